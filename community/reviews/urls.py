from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("products/<str:slug>/review/", views.write, name="write"),
    path("reviews/<int:pk>/edit/", views.edit, name="edit"),
    path("reviews/<int:pk>/delete/", views.delete, name="delete"),
    path("reviews/<int:pk>/helpful/", views.helpful, name="helpful"),
]
