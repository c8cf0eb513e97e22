from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("members/<str:username>/", views.profile, name="profile"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/profile/", views.profile_edit, name="profile_edit"),
    path("me/data.json", views.data_export, name="data_export"),
    path("me/delete/", views.account_delete, name="account_delete"),
]
