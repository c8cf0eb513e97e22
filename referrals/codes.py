"""Members' referral codes and their links.

Every member has one random code (models.CODE_ALPHABET, upper case, models.CODE_LENGTH long), made
the first time it is asked for, and may choose a vanity code beside it (stored case-folded). Both
open `/r/<code>` for as long as the member is active; the random code never changes, and a vanity
code the member replaces is kept as a RetiredVanity that still opens their link and that nobody
else may choose, so every link a member ever shared keeps working and keeps crediting them.

A vanity code is 4-24 letters of any one script, digits and single hyphens; it may not be a path of
the site, a staff or brand word, indecent, taken, or look like a random code (which would let a
member squat the code another member is given later, or pass one off as another's).
"""

import re
import time
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.absolute import absolute_url
from core.ratelimit import window_hit

from .app_settings import app_settings
from .models import CODE_ALPHABET, CODE_LENGTH, VANITY_MAX, VANITY_MIN, Channel, ReferralCode, RetiredVanity

# Site paths (first segments of every URL the site answers, present and planned), words that would
# let a code pass for the site or its staff, and the usernames members may not take either.
SITE_PATHS = {
    "about", "accounts", "account", "admin", "api", "blog", "cart", "checkout", "documents", "favicon",
    "feed", "forum", "healthz", "login", "logout", "lookbooks", "me", "media", "members", "orders", "pages",
    "posts", "products", "r", "referrals", "robots", "search", "shop", "signup", "sitemap", "static", "tags",
    "webhooks", "welcome", "el", "hu", "nb", "en",
}
IMPERSONATION = {
    "admin", "administrator", "staff", "moderator", "support", "official", "helpdesk", "customerservice",
    "webmaster", "postmaster", "security", "billing", "refund", "giftcard", "coupon", "discount", "promo",
    "voucher", "free",
}
RESERVED_NAMES = {
    "help", "root", "system", "deleted", "anonymous", "null", "none", "team", "brand", "wagtail", "django",
}
# Characters a reader mistakes for the random alphabet's: a vanity code made of these and the
# alphabet, as long as a random code, is refused as a lookalike.
_LOOKALIKE = set(CODE_ALPHABET) | set("0O1IL")
_CONFUSABLE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK"}
_JUNK = re.compile(r"[^\w-]", re.UNICODE)


def _brand_words():
    name = getattr(settings, "WAGTAIL_SITE_NAME", "") or ""
    words = {w.casefold() for w in re.split(r"\W+", name) if len(w) >= 3}
    joined = "".join(w.casefold() for w in re.split(r"\W+", name))
    return words | ({joined} if joined else set())


def _random_code():
    return get_random_string(CODE_LENGTH, CODE_ALPHABET)


def code_for(member):
    """The member's ReferralCode, created on the first call. Safe under races: two requests making
    the first code for the same member both get the one row; a random clash is retried."""
    try:
        return ReferralCode.objects.get(member=member)
    except ReferralCode.DoesNotExist:
        pass
    for _attempt in range(8):
        try:
            with transaction.atomic():
                return ReferralCode.objects.create(member=member, code=_random_code())
        except IntegrityError:
            existing = ReferralCode.objects.filter(member=member).first()
            if existing is not None:  # another request made it first
                return existing
            # else the random code was taken: 26^8 makes this rare; try another
    raise IntegrityError("Could not find a free referral code.")


def normalise(text):
    """Case-folded, NFKC-normalised, trimmed; "" for anything that is not a string."""
    if not isinstance(text, str):
        return ""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def code_lookup(text):
    """The active member's ReferralCode that `text` names (random code, any case, or vanity code),
    with its member; None for junk, unknown codes and deleted or inactive members. Never raises."""
    value = normalise(text)
    if not value or len(value) > max(VANITY_MAX, CODE_LENGTH) or _JUNK.search(value) or "\x00" in value:
        return None
    active = ReferralCode.objects.select_related("member").filter(member__is_active=True,
                                                                    member__deleted_at__isnull=True)
    found = active.filter(Q(code=value.upper()) | Q(vanity=value)).first()
    if found is None and len(value) >= VANITY_MIN:  # an earlier chosen code (one more query, on a miss only)
        found = active.filter(retired__vanity=value).first()
    return found


# code_lookup_fast's memory: normalised text -> (ReferralCode or None, when), per process.
_MEMO = {}
_MEMO_MAX = 10_000


def code_lookup_fast(text):
    """code_lookup for the click view, remembered in this process for REFERRAL_CODE_MEMO_SECONDS
    (default 10): a viral link is one code asked for thousands of times a second, and its query
    costs more than the rest of the click. A code whose member has just left may still count
    clicks for those seconds (its landing page, which uses code_lookup, is already unknown)."""
    seconds = app_settings.CODE_MEMO_SECONDS
    if seconds <= 0:
        return code_lookup(text)
    key = normalise(text)[:64]
    now = time.monotonic()
    hit = _MEMO.get(key)
    if hit is not None and now - hit[1] < seconds:
        return hit[0]
    found = code_lookup(text)
    if len(_MEMO) >= _MEMO_MAX:
        _MEMO.clear()
    _MEMO[key] = (found, now)
    return found


def code_memo_clear():
    _MEMO.clear()


def _scripts(value):
    scripts = set()
    for ch in value:
        if ch.isalpha():
            try:
                scripts.add(unicodedata.name(ch).split(" ", 1)[0])
            except ValueError:
                scripts.add("?")
    return scripts


def looks_random(value):
    """Whether `value` could be read as a random code."""
    return len(value) == CODE_LENGTH and all(ch in _LOOKALIKE for ch in value.upper())


def vanity_check(text, member=None):
    """`text` as a vanity code (normalised), or ValidationError with a translated message saying
    what is wrong. `member` is the member choosing it: their own current code is not "taken"."""
    value = normalise(text)
    if len(value) < VANITY_MIN or len(value) > VANITY_MAX:
        raise ValidationError(
            _("Use %(min)d to %(max)d characters.") % {"min": VANITY_MIN, "max": VANITY_MAX}, code="length",
        )
    if not all(ch.isalnum() or ch == "-" for ch in value) or not any(ch.isalpha() or ch.isdigit() for ch in value):
        raise ValidationError(_("Use only letters, digits and hyphens."), code="characters")
    if value.startswith("-") or value.endswith("-") or "--" in value:
        raise ValidationError(_("A hyphen may only stand between letters or digits."), code="hyphens")
    if len(_scripts(value) & _CONFUSABLE_SCRIPTS) > 1:
        raise ValidationError(_("Please use letters of one alphabet only."), code="scripts")
    if looks_random(value):
        raise ValidationError(_("That looks like a code the site gives out. Please choose another."),
                              code="lookalike")
    parts = set(value.split("-")) | {value, value.replace("-", "")}
    flat = value.replace("-", "")
    if (parts & (SITE_PATHS | RESERVED_NAMES | _brand_words())
            or any(word in flat for word in IMPERSONATION)
            or any(word in flat for word in _brand_words() if len(word) >= 5)):
        raise ValidationError(_("That code is reserved. Please choose another."), code="reserved")
    if _indecent(value):
        raise ValidationError(_("Please choose a code without offensive words."), code="indecent")
    taken = ReferralCode.objects.filter(Q(vanity=value) | Q(code=value.upper()))
    retired = RetiredVanity.objects.filter(vanity__in=[value, vanity_reserved_key(value)])
    if member is not None and getattr(member, "pk", None):
        taken = taken.exclude(member=member, vanity=value)
        retired = retired.exclude(code__member=member)  # a member may go back to an earlier code
    if taken.exists() or retired.exists():
        raise ValidationError(_("That code is taken. Please choose another."), code="taken")
    return value


def vanity_reserved_key(value):
    """What is kept of a chosen code whose member's account was deleted: a keyed hash."""
    from .tracking import keyed_hash

    return "h:" + keyed_hash(value, "vanity")[:62]


def _retire(code, vanity=None):
    """Keep the vanity code being replaced, so links with it keep working (see the module doc)."""
    vanity = vanity if vanity is not None else code.vanity
    if vanity:
        RetiredVanity.objects.get_or_create(vanity=vanity, defaults={"code": code})


def _indecent(value):
    from better_profanity import profanity  # loads its word list on first use

    return profanity.contains_profanity(value.replace("-", " ")) or profanity.contains_profanity(
        value.replace("-", ""))


def vanity_set(member, text):
    """Give `member` the vanity code `text` (checked by vanity_check), or take it away when `text`
    is empty. At most REFERRAL_VANITY_CHANGES_PER_MONTH choices in a 30-day window (removing is
    free). Raises ValidationError; returns the member's ReferralCode."""
    code = code_for(member)
    if not normalise(text):
        if code.vanity is not None:
            with transaction.atomic():
                _retire(code)
                code.vanity = None
                code.vanity_changed_at = timezone.now()
                code.save(update_fields=["vanity", "vanity_changed_at"])
            code_memo_clear()
        return code
    value = vanity_check(text, member=member)
    if value == code.vanity:
        return code
    limit = app_settings.VANITY_CHANGES_PER_MONTH
    if not window_hit(f"referrals:vanity:{member.pk}", limit, 30 * 86400):
        raise ValidationError(
            ngettext("You can choose a new code %(n)d time a month.", "You can choose a new code %(n)d times a month.",
                     limit) % {"n": limit},
            code="limit",
        )
    code.vanity = value
    code.vanity_changed_at = timezone.now()
    code_memo_clear()
    try:
        with transaction.atomic():
            previous = ReferralCode.objects.filter(pk=code.pk).values_list("vanity", flat=True).first()
            _retire(code, previous)
            RetiredVanity.objects.filter(code=code, vanity=value).delete()  # going back to an earlier one
            code.save(update_fields=["vanity", "vanity_changed_at"])
    except IntegrityError:  # someone took it between the check and now
        code.refresh_from_db()
        raise ValidationError(_("That code is taken. Please choose another."), code="taken") from None
    return code


def referral_url(code, channel=None, request=None):
    """The absolute link `/r/<public code>` (no language prefix: the link picks the reader's
    language), with `?via=<channel>` when `channel` is a known Channel."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("referrals:go", kwargs={"code": code.public})
    if channel and channel in Channel.values:
        path += f"?via={channel}"
    return absolute_url(path, request)
