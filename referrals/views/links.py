"""`/r/<code>`: count the click, remember it in the attribution cookie, and send the visitor to the
landing page, which shows who sent them and the offer.

The redirect goes to `reverse("referrals:landing")` and nowhere else: no parameter of the request
names where it goes, so the link cannot send anyone off the site. An unknown code (or one whose
member has left) answers the friendly "unknown link" page with a 404 and sets no cookie.
"""

import re
import time
import uuid

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import tracking
from ..app_settings import app_settings
from ..clicks import channel_clean, click_record
from ..codes import code_lookup, code_lookup_fast
from ..models import ReferralProgramme

# Link-preview fetchers (a post with the link is fetched by them once per share, not per reader)
# are shown the landing page but not counted, nor given cookies.
_PREVIEW_BOTS = re.compile(
    r"facebookexternalhit|facebot|twitterbot|whatsapp|telegrambot|slackbot|linkedinbot|discordbot|"
    r"skypeuripreview|pinterest|redditbot|applebot|googlebot|bingbot|embedly|mastodon|bot/|crawler|spider",
    re.IGNORECASE,
)


def _programme(request):
    return ReferralProgramme.load(request_or_site=request)


_COOKIE_DAYS = {}


def _cookie_days(request):
    """ReferralProgramme.cookie_days, remembered per process as long as codes are (an editor's
    change reaches every click within REFERRAL_CODE_MEMO_SECONDS)."""
    now = time.monotonic()
    hit = _COOKIE_DAYS.get("days")
    if hit is not None and now - hit[1] < app_settings.CODE_MEMO_SECONDS:
        return hit[0]
    days = _programme(request).cookie_days
    _COOKIE_DAYS["days"] = (days, now)
    return days


def _landing_url(request, referral_code):
    """The landing page in the visitor's language (a shared link carries no language prefix)."""
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        return reverse("referrals:landing", kwargs={"code": referral_code.public})


def _unknown(request):
    return render(request, "referrals/landing_unknown.html", status=404)


@require_safe
@never_cache
def go(request, code):
    referral_code = code_lookup_fast(code)
    if referral_code is None:
        return _unknown(request)
    response = HttpResponseRedirect(_landing_url(request, referral_code))
    agent = tracking.user_agent(request)
    if _PREVIEW_BOTS.search(agent) or request.method != "GET":
        return response
    user = request.user
    own_link = user.is_authenticated and user.pk == referral_code.member_id
    ip_hash = tracking.ip_hash(request)
    device = tracking.device_ensure(request, response)
    token = None  # a click over the limit is not counted, but still attributed if the visitor joins
    channel = channel_clean(request.GET.get("via"))
    if not own_link:
        token = click_record(
            referral_code, channel=channel, ip_hash=ip_hash,
            device_hash=tracking.keyed_hash(device, "device"), user_agent=agent,
            limit_name=f"referrals:click:{ip_hash}:{referral_code.pk}", limit=app_settings.CLICKS_PER_MINUTE,
        )
    if not user.is_authenticated:
        tracking.attribution_set(request, response, referral_code.code, token or uuid.uuid4(),
                                 _cookie_days(request), channel)
    return response


@require_safe
def landing(request, code):
    referral_code = code_lookup(code)
    if referral_code is None:
        return _unknown(request)
    programme = _programme(request)
    referrer = referral_code.member
    name = referrer.public_name
    title = translation.gettext("%(name)s invites you: %(offer)s") % {"name": name, "offer": programme.headline}
    return render(request, "referrals/landing.html", {
        "referral_code": referral_code,
        "referrer_name": name,
        "programme": programme,
        "title": title,
        "social": {"title": title, "description": programme.friend_offer, "image": programme.share_image,
                   "type": "website"},
        "own_link": request.user.is_authenticated and request.user.pk == referrer.pk,
    })
