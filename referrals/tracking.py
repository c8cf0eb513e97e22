"""What a click and a sign-up leave behind in the browser, and keyed hashes of who sent them.

Two first-party cookies, both signed (a tampered or malformed one reads as absent, never a 500):
- the attribution cookie `ref`: "<code>:<click token>:<channel>", kept `ReferralProgramme.cookie_days`
  (the channel rides along because a buffered click may not be in the database yet at sign-up);
- the device cookie `rdev`: a random id for this browser, kept a year, so a friend signing up in
  the referrer's own browser can be flagged. Neither is readable by scripts.
IP addresses and device ids are stored only as keyed hashes (HMAC with SECRET_KEY): enough to see
two visits came from the same place, not enough to say where.
"""

import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.core import signing

ATTRIBUTION_COOKIE = "ref"
ATTRIBUTION_SALT = "referrals.attribution"
DEVICE_COOKIE = "rdev"
DEVICE_SALT = "referrals.device"
DEVICE_DAYS = 365


def keyed_hash(value, purpose):
    if not value:
        return ""
    key = f"{settings.SECRET_KEY}:referrals:{purpose}".encode()
    return hmac.new(key, str(value).encode(), hashlib.sha256).hexdigest()


def client_ip(request):
    """The client's address as allauth sees it (ALLAUTH_TRUSTED_PROXY_COUNT), or "" when unknown."""
    from allauth.core.internal.httpkit import get_client_ip  # allauth's own rule for proxies

    try:
        return get_client_ip(request) or ""
    except Exception:  # a forwarded-for header that does not match the proxy count
        return request.META.get("REMOTE_ADDR", "") or ""


def ip_hash(request):
    return keyed_hash(client_ip(request), "ip")


def user_agent(request):
    return request.META.get("HTTP_USER_AGENT", "")[:300]


def device_id(request):
    """This browser's device id, or "" if it has none (or a forged one)."""
    given = getattr(request, "_referrals_device", None)  # set by device_ensure in this request
    if given is not None:
        return given
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT)
    except (signing.BadSignature, ValueError, UnicodeError):
        return ""
    return value if value.isalnum() and len(value) <= 32 else ""


def device_hash(request):
    return keyed_hash(device_id(request), "device")


def device_ensure(request, response):
    """Give this browser a device id if it has none; returns the id."""
    current = device_id(request)
    if current:
        return current
    new = secrets.token_hex(12)
    response.set_signed_cookie(DEVICE_COOKIE, new, salt=DEVICE_SALT, max_age=DEVICE_DAYS * 86400,
                               secure=request.is_secure(), httponly=True, samesite="Lax")
    request._referrals_device = new
    return new


def attribution_set(request, response, code, token, days, channel=""):
    response.set_signed_cookie(ATTRIBUTION_COOKIE, f"{code}:{token}:{channel}", salt=ATTRIBUTION_SALT,
                               max_age=days * 86400, secure=request.is_secure(), httponly=True, samesite="Lax")


def attribution_read(request, days):
    """(code, click token) from a valid cookie younger than `days`, else None. The channel is
    attribution_channel()'s."""
    found = _attribution(request, days)
    return found[:2] if found else None


def attribution_channel(request, days):
    """The `?via=` channel of the click in a valid attribution cookie ("" when not known)."""
    found = _attribution(request, days)
    return found[2] if found else ""


def _attribution(request, days):
    try:
        value = request.get_signed_cookie(ATTRIBUTION_COOKIE, default="", salt=ATTRIBUTION_SALT, max_age=days * 86400)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    code, sep, rest = (value or "").partition(":")
    token, _sep, channel = rest.partition(":")  # cookies set before the channel rode along have none
    if not sep or not code or len(code) > 32 or len(channel) > 16:
        return None
    try:
        token = uuid.UUID(token)
    except ValueError:
        return None
    return code, token, channel
