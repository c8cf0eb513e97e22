"""Referral codes: the member's random code, vanity codes, lookups and links (referrals.codes)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from referrals import codes
from referrals.codes import code_for, code_lookup, referral_url, vanity_check, vanity_set
from referrals.models import CODE_ALPHABET, CODE_LENGTH, ReferralCode
from tests.factories import MemberFactory
from tests.hostile import HOSTILE_TEXT

pytestmark = pytest.mark.django_db


def test_code_for_makes_one_code_and_keeps_it(member):
    first = code_for(member)
    assert len(first.code) == CODE_LENGTH and set(first.code) <= set(CODE_ALPHABET)
    assert code_for(member) == first
    assert ReferralCode.objects.count() == 1


def test_code_for_tries_again_when_the_random_code_is_taken(member, monkeypatch):
    other = code_for(MemberFactory())
    made = iter([other.code, other.code, "BCDFGHJK"])
    monkeypatch.setattr(codes, "_random_code", lambda: next(made))
    assert code_for(member).code == "BCDFGHJK"


def test_code_lookup_reads_random_codes_in_any_case_and_vanity_codes_case_folded(member):
    code = code_for(member)
    vanity_set(member, "Ἀλίκη-42")
    for text in (code.code, code.code.lower(), f"  {code.code.title()} ", "ἀλίκη-42", "ἈΛΊΚΗ-42"):
        assert code_lookup(text) == code, text
    assert code_lookup("ἀλίκη-42").member == member


@pytest.mark.parametrize("text", [*HOSTILE_TEXT, None, 5, "", "BCDFGHJ", "BCDFGHJKX", "no-such-code"])
def test_code_lookup_is_none_for_junk_and_unknown_codes(member, text):
    code_for(member)
    assert code_lookup(text) is None


def test_code_lookup_is_none_for_inactive_and_deleted_members():
    inactive, deleted = MemberFactory(is_active=False), MemberFactory(deleted_at=timezone.now())
    assert code_lookup(code_for(inactive).code) is None
    assert code_lookup(code_for(deleted).code) is None


VANITY = [
    # (text, normalised or the error code)
    ("Alice-2024", "alice-2024"),
    ("  Zoë-1  ", "zoë-1"),
    ("καλοκαίρι", "καλοκαίρι"),
    ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),  # NFKC
    ("nyár-42", "nyár-42"),
    ("abc", "length"),
    ("a" * 25, "length"),
    ("a" * 24, "a" * 24),
    ("ab cd", "characters"),
    ("ab_cd", "characters"),
    ("ab.cd", "characters"),
    ("----", "characters"),
    ("<script>", "characters"),
    ("-abcd", "hyphens"),
    ("abcd-", "hyphens"),
    ("ab--cd", "hyphens"),
    ("pаypal", "scripts"),  # a Cyrillic а among Latin letters
    ("BCDF2345", "lookalike"),
    ("bcdf2345", "lookalike"),
    ("BCDF0OIL", "lookalike"),
    ("admin", "reserved"),
    ("forum", "reserved"),
    ("accounts", "reserved"),
    ("the-admins", "reserved"),
    ("OfficialDeals", "reserved"),
    ("brandcommunity", "reserved"),
    ("free-coupon", "reserved"),
    ("fuck-off", "indecent"),
    ("shithead", "indecent"),
]


@pytest.mark.parametrize(("text", "expected"), VANITY)
def test_vanity_check(text, expected):
    if expected in {"length", "characters", "hyphens", "scripts", "lookalike", "reserved", "indecent"}:
        with pytest.raises(ValidationError) as error:
            vanity_check(text)
        assert error.value.code == expected, error.value.messages
        assert error.value.messages[0]  # a sentence for the form
    else:
        assert vanity_check(text) == expected


def test_vanity_taken_by_another_vanity_or_random_code_but_not_by_ones_own(member):
    other = MemberFactory()
    vanity_set(other, "Linen-Lover")
    with pytest.raises(ValidationError) as error:
        vanity_check("linen-LOVER", member=member)
    assert error.value.code == "taken"
    assert vanity_check("linen-lover", member=other) == "linen-lover"
    # a random code is taken too, whatever its length (an older, longer alphabet's code)
    ReferralCode.objects.filter(member=other).update(code="LONGERCODE9")
    with pytest.raises(ValidationError):
        vanity_check("longercode9", member=member)


def test_vanity_set_sets_clears_and_is_limited(member, settings):
    settings.REFERRAL_VANITY_CHANGES_PER_MONTH = 2
    assert vanity_set(member, "First-Pick").vanity == "first-pick"
    assert vanity_set(member, "first-pick").vanity == "first-pick"  # the same again is no change
    assert vanity_set(member, "").vanity is None  # removing is free
    assert vanity_set(member, "second-pick").public == "second-pick"
    with pytest.raises(ValidationError) as error:
        vanity_set(member, "third-pick")
    assert error.value.code == "limit"
    code = ReferralCode.objects.get(member=member)
    assert code.vanity == "second-pick" and code.vanity_changed_at is not None
    assert code_lookup(code.code) == code  # the random code keeps working beside it


def test_a_replaced_vanity_code_keeps_opening_the_link_and_nobody_else_can_take_it(member, settings):
    settings.REFERRAL_VANITY_CHANGES_PER_MONTH = 10
    code = vanity_set(member, "summer-walks")
    vanity_set(member, "winter-walks")
    vanity_set(member, "")  # back to the random code: the chosen ones stay retired, not free
    for shared in ("summer-walks", "Winter-Walks", code.code):
        assert code_lookup(shared) == code
    other = MemberFactory()
    for taken in ("summer-walks", "winter-walks"):
        with pytest.raises(ValidationError) as error:
            vanity_set(other, taken)
        assert error.value.code == "taken"
    # the member may go back to an earlier one; it is then their current code again
    assert vanity_set(member, "summer-walks").vanity == "summer-walks"
    assert list(code.retired.values_list("vanity", flat=True)) == ["winter-walks"]
    assert code_lookup("winter-walks") == code


def test_referral_url_is_absolute_without_language_prefix_and_with_known_channels_only(member, rf, settings):
    code = code_for(member)
    settings.SITE_URL = "https://community.example.com"
    assert referral_url(code) == f"https://community.example.com/r/{code.code}"
    assert referral_url(code, "whatsapp") == f"https://community.example.com/r/{code.code}?via=whatsapp"
    assert referral_url(code, "evil&x=1") == f"https://community.example.com/r/{code.code}"
    code = vanity_set(member, "καλοκαίρι")
    request = rf.get("/el/me/referrals/")
    assert referral_url(code, "qr", request) == "http://testserver/r/%CE%BA%CE%B1%CE%BB%CE%BF%CE%BA%CE%B1%CE%AF%CF%81%CE%B9?via=qr"
    from django.utils import translation

    with translation.override("el"):
        assert "/el/" not in referral_url(code)
