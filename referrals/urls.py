from django.urls import path

from .loyalty import views as loyalty
from .loyalty import views_redeem
from .views import links, member

app_name = "referrals"

urlpatterns = [
    # the link a member shares, and the page it leads to (referrals.views.links)
    path("r/<str:code>", links.go, name="go"),
    path("r/<str:code>/welcome/", links.landing, name="landing"),
    # the member's own page (referrals.views.member): sharing, QR code, vanity code, what came of it
    path("me/referrals/", member.dashboard, name="dashboard"),
    path("me/referrals/code/", member.vanity, name="vanity"),
    path("me/referrals/qr.svg", member.qr_svg_download, name="qr_svg"),
    path("me/referrals/qr.png", member.qr_png_download, name="qr_png"),
    # loyalty (referrals.loyalty.views): the member's points, tier and the leaderboard
    path("me/points/", loyalty.points, name="points"),
    path("me/points/leaderboard/", loyalty.leaderboard_choice, name="points_leaderboard"),
    # loyalty: points into a discount code (referrals.loyalty.views_redeem)
    path("me/points/redeem/", views_redeem.redeem, name="points_redeem"),
]
