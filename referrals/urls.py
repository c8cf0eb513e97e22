from django.urls import path

from .views import links

app_name = "referrals"

urlpatterns = [
    path("r/<str:code>", links.go, name="go"),
    path("r/<str:code>/welcome/", links.landing, name="landing"),
]

# The member's own page (referrals.views.member): sharing, QR code, vanity code, what came of it.
from .views import member  # noqa: E402

urlpatterns += [
    path("me/referrals/", member.dashboard, name="dashboard"),
    path("me/referrals/code/", member.vanity, name="vanity"),
    path("me/referrals/qr.svg", member.qr_svg_download, name="qr_svg"),
    path("me/referrals/qr.png", member.qr_png_download, name="qr_png"),
]
