from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("members/<str:username>/", views.profile, name="profile"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/welcome/", views.welcome, name="welcome"),
    path("me/profile/", views.profile_edit, name="profile_edit"),
    path("me/data.json", views.data_export, name="data_export"),
    path("me/data.zip", views.data_export_zip, name="data_export_zip"),
    path("me/delete/", views.account_delete, name="account_delete"),
    path("me/notifications/", views.notifications, name="notifications"),
    path("me/notifications/read/", views.notifications_read, name="notifications_read"),
    path("me/notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("me/notifications/preferences/", views.notification_preferences, name="notification_preferences"),
    path("notifications/unsubscribe/<str:token>/", views.notification_unsubscribe, name="notification_unsubscribe"),
]
