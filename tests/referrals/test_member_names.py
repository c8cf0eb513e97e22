"""Names as a friend types them at sign-up: folding keys, the stored keys, and who a name finds."""

import pytest
from allauth.account.models import EmailAddress
from hypothesis import given
from hypothesis import strategies as st

from community.members.services import member_delete
from referrals.models import ReferrerName
from referrals.names import name_key
from referrals.selectors import NameMatch, referrer_find
from tests.factories import MemberFactory

KEYS = [
    # typed, as stored: the same key
    ("Μαρία Παπαδοπούλου", "ΜΑΡΊΑ  παπαδοπουλου."),
    ("Ödön Kovács", "odon kovacs"),
    ("Őrs Szűcs", "ors szucs"),
    ("Åsne Solberg", "asne solberg"),
    ("Øyvind Æsir", "oyvind aesir"),
    ("Łukasz", "lukasz"),
    ("Straße", "STRASSE"),
    ("Σωκράτης", "σωκρατησ"),  # final sigma folds like any sigma
    ("ﬁona", "fiona"),  # a ligature, by compatibility
    ("Zoë-Ann O'Neil", "zoe ann o neil"),
    ("王小明", "王小明"),
    ("Ирина", "ИРИНА"),
]


@pytest.mark.parametrize("typed, stored", KEYS)
def test_names_meet_whatever_the_accents_case_and_script_forms(typed, stored):
    assert name_key(typed) == name_key(stored) != ""


@pytest.mark.parametrize("junk", ["", "   ", "...", "—", None, "\u0301\u0301"])
def test_names_without_letters_have_no_key(junk):
    assert name_key(junk) == ""


def test_different_names_stay_different():
    assert name_key("Anna") != name_key("Anne")
    assert name_key("Ирина") != name_key("Irina")  # no transliteration across scripts


def test_the_key_fits_its_column():
    assert len(name_key("a" * 500)) == ReferrerName._meta.get_field("name_key").max_length


# --- stored keys ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_keys_are_stored_on_joining_and_follow_name_changes():
    member = MemberFactory(username="maria77", display_name="Μαρία Παπαδοπούλου")
    row = ReferrerName.objects.get(member=member)
    assert (row.name_key, row.username_key) == ("μαρια παπαδοπουλου", "maria77")
    member.display_name = "Maria P."
    member.save()
    assert ReferrerName.objects.get(member=member).name_key == "maria p"


@pytest.mark.django_db
def test_a_sign_in_does_not_touch_the_keys(django_assert_num_queries):
    member = MemberFactory()
    member.display_name = "Changed without saving the name"
    with django_assert_num_queries(1):  # the last_login update alone
        member.save(update_fields=["last_login"])
    assert ReferrerName.objects.get(member=member).name_key != name_key("Changed without saving the name")


@pytest.mark.django_db
def test_deleted_and_inactive_members_cannot_be_named():
    gone, closed = MemberFactory(display_name="Zsófia Gone"), MemberFactory(display_name="Zsófia Closed")
    member_delete(gone)
    assert not ReferrerName.objects.filter(member=gone).exists()
    closed.is_active = False
    closed.save()
    assert not ReferrerName.objects.filter(member=closed).exists()
    assert referrer_find("Zsófia Closed").status == NameMatch.NONE


# --- who a name finds ------------------------------------------------------------------------

@pytest.fixture
def named(db):
    members = {
        "maria": MemberFactory(username="mariap", display_name="Μαρία Παπαδοπούλου", email="maria@example.com"),
        "anna1": MemberFactory(username="anna1", display_name="Anna Kovács", email="anna.one@example.com"),
        "anna2": MemberFactory(username="anna2", display_name="Anna Kovacs", email="anna.two@example.com"),
    }
    EmailAddress.objects.create(user=members["anna2"], email="Anna.Work@Example.com", verified=True)
    EmailAddress.objects.create(user=members["anna1"], email="unconfirmed@example.com", verified=False)
    return members


FINDS = [
    # name, e-mail, status, who
    ("maria papadopoulou", "", NameMatch.NONE, None),  # no transliteration
    ("μαρια παπαδοπουλου", "", NameMatch.FOUND, "maria"),
    ("MARIAP", "", NameMatch.FOUND, "maria"),  # the username
    ("Anna Kovacs", "", NameMatch.SEVERAL, None),
    ("anna kovács", "ANNA.ONE@example.com ", NameMatch.FOUND, "anna1"),
    ("anna kovacs", "anna.work@example.com", NameMatch.FOUND, "anna2"),  # a verified second address
    ("anna kovacs", "unconfirmed@example.com", NameMatch.EMAIL_MISMATCH, None),  # not confirmed: not theirs
    ("anna kovacs", "maria@example.com", NameMatch.EMAIL_MISMATCH, None),  # another member's address
    ("Anna", "", NameMatch.NONE, None),  # a whole name, not a part of one
    ("", "maria@example.com", NameMatch.NONE, None),  # an address alone finds nobody
    ("Nobody Here", "", NameMatch.NONE, None),
]


@pytest.mark.parametrize("name, email, status, who", FINDS)
def test_who_a_name_finds(named, name, email, status, who):
    match = referrer_find(name, email)
    assert match.status == status
    assert match.member == (named[who] if who else None)


def test_a_finding_takes_few_queries(named, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        referrer_find("Μαρία Παπαδοπούλου")
    with django_assert_max_num_queries(2):
        referrer_find("Anna Kovacs", "anna.two@example.com")


# --- properties no table covers ------------------------------------------------------------------

@given(st.text(max_size=200))
def test_any_text_folds_to_a_stable_short_key(text):
    key = name_key(text)
    assert name_key(key) == key  # folding a key changes nothing
    assert len(key) <= ReferrerName._meta.get_field("name_key").max_length
    assert key == key.strip() and "  " not in key
    assert name_key(text.upper()) == name_key(text.lower()) or not text.isascii()
