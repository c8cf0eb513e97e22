from django.urls import path

from . import link_views

app_name = "reviews"

urlpatterns = [
    path("products/<str:slug>/review/link/<str:token>/", link_views.review_link, name="link"),
    path("reviews/unsubscribe/<str:token>/", link_views.request_unsubscribe, name="request_unsubscribe"),
]
