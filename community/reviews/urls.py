from django.urls import path

from . import link_views, views

app_name = "reviews"

urlpatterns = [
    path("products/<str:slug>/review/", views.write, name="write"),
    path("products/<str:slug>/review/link/<str:token>/", link_views.review_link, name="link"),
    path("reviews/<int:pk>/edit/", views.edit, name="edit"),
    path("reviews/<int:pk>/delete/", views.delete, name="delete"),
    path("reviews/<int:pk>/helpful/", views.helpful, name="helpful"),
    path("reviews/unsubscribe/<str:token>/", link_views.request_unsubscribe, name="request_unsubscribe"),
]
