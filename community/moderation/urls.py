from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("moderation/report/<slug:kind>/<int:pk>/", views.report, name="report"),
]
