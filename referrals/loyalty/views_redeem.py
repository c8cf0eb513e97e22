"""POST /me/points/redeem/: a member turns points into a discount code (referrals.loyalty.redemption).
Thin: check the input and the rate limit, call the service, say what happened, and go back to
/me/points/ (post/redirect/get, so it works without JavaScript and a reload posts nothing)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.ratelimit import window_hit

from ..app_settings import app_settings
from .redeem_selectors import day
from .redemption import RedeemError, points_redeem

POINTS_PAGE_URL_NAME = "referrals:points"  # /me/points/ (loyalty's page)
POINTS_PAGE_PATH = "/me/points/"


def points_page_url():
    try:
        return reverse(POINTS_PAGE_URL_NAME)
    except NoReverseMatch:
        return POINTS_PAGE_PATH


@login_required
@require_POST
def redeem(request):
    try:
        option_pk = int(request.POST.get("option", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Choose a reward to redeem."), content_type="text/plain; charset=utf-8")
    key = request.POST.get("key", "").strip()[:64]
    if not window_hit(f"loyalty-redeem:{request.user.pk}", app_settings.REDEMPTIONS_PER_HOUR, 3600):
        messages.error(request, _("You have made many codes in the last hour. Please try again later."))
        return redirect(points_page_url() + "#redeem")
    try:
        code, created = points_redeem(request.user, option_pk, request_key=key or None)
    except RedeemError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(points_page_url() + "#redeem")
    if created:
        messages.success(request, _("Your code %(code)s is ready: %(value)s %(currency)s off, once, until %(date)s.") % {
            "code": code.code, "value": code.value, "currency": code.currency,
            "date": day(code.expires_at)})
    else:
        messages.info(request, _("That code was already made: %(code)s.") % {"code": code.code})
    return redirect(points_page_url() + "#your-codes")
