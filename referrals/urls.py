from django.urls import path

from .views import links

app_name = "referrals"

urlpatterns = [
    path("r/<str:code>", links.go, name="go"),
    path("r/<str:code>/welcome/", links.landing, name="landing"),
]
