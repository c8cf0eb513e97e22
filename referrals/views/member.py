"""/me/referrals/: the member's link and the ways to share it (share intents, QR code, a code of
their own), and what came of it (clicks, friends who joined and qualified, rewards and why they
stand where they do), with the offer's terms. Signed-in members only; each sees only their own.

GET writes nothing: a member who has no code yet sees a button that makes it (POST). The page gives
the browser its device cookie (referrals.tracking), and the POSTs record a sighting, so a "friend"
who later signs up in the referrer's own browser or network is flagged for review.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services, tracking
from ..codes import code_for, referral_url, vanity_set
from ..forms import VanityForm
from ..models import Channel, ReferralCode
from ..selectors import (
    FRIENDS_SHOWN,
    referral_friends_qualified,
    referral_funnel,
    referral_points,
    referral_programme,
    referral_rewards,
)
from ..sharing import qr_png, qr_svg, share_links

QR_CACHE_SECONDS = 3600


def _own_code(member):
    """The member's code, or None before they asked for one. Reads only."""
    return ReferralCode.objects.filter(member=member).first()


def _page(request, code, vanity_form=None, status=200):
    member = request.user
    programme = referral_programme()
    # Rewards and points are the member's whether or not they have a link of their own: a friend
    # who joined with someone's link reads their welcome reward (and its discount code) here.
    context = {"programme": programme, "code": code,
               "rewards": referral_rewards(member), "points": referral_points(member)}
    if code is not None:
        funnel = referral_funnel(member, code)
        context.update({
            "link": referral_url(code, request=request),
            "copy_link": referral_url(code, Channel.COPY, request),
            "shares": share_links(code, programme, request),
            "vanity_form": vanity_form or VanityForm(initial={"vanity": code.vanity or ""}),
            "funnel": funnel,
            "friends": referral_friends_qualified(member),
            "friends_more": max(0, funnel.qualified - FRIENDS_SHOWN),
        })
    response = render(request, "referrals/dashboard.html", context, status=status)
    response["Cache-Control"] = "private, no-cache"
    tracking.device_ensure(request, response)
    return response


def _seen(request):
    services.sighting_record(request.user, ip_hash=tracking.ip_hash(request), device_hash=tracking.device_hash(request))


@login_required
@require_http_methods(["GET", "POST"])
def dashboard(request):
    """GET: the page. POST: make the member's link (the first time; again changes nothing)."""
    if request.method == "POST":
        code_for(request.user)
        _seen(request)
        messages.success(request, _("Here is your link. Share it with friends who would like it."))
        return redirect("referrals:dashboard")
    return _page(request, _own_code(request.user))


@login_required
@require_POST
def vanity(request):
    """Choose a code of one's own, or go back to the random one (an empty field)."""
    form = VanityForm(request.POST)
    _seen(request)
    if form.is_valid():
        try:
            code = vanity_set(request.user, form.cleaned_data["vanity"])
        except ValidationError as error:
            form.add_error("vanity", error)
        else:
            if code.vanity:
                messages.success(request, _("Your link now uses your own code. Links you shared before keep working."))
            else:
                messages.success(request, _("Your link uses the code we gave you again."))
            return redirect("referrals:dashboard")
    return _page(request, code_for(request.user), vanity_form=form, status=400)


def _qr_response(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The member's own link: browsers may keep it, shared caches must not.
    response["Cache-Control"] = f"private, max-age={QR_CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _qr_code(request):
    code = _own_code(request.user)
    if code is None:
        raise Http404  # no link yet: the page offers to make one
    return code


@login_required
@require_GET
def qr_svg_download(request):
    code = _qr_code(request)
    return _qr_response(qr_svg(code, request), "image/svg+xml", "invitation-qr.svg")


@login_required
@require_GET
def qr_png_download(request):
    code = _qr_code(request)
    return _qr_response(qr_png(code, request), "image/png", "invitation-qr.png")
