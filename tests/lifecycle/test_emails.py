"""Each lifecycle e-mail kind: its trigger, content, language, preference, one-click unsubscribe
and idempotency under replays (the nightly pass run again, and the same batch sent again)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from community.members.notifications import notification_preferences_save
from engagement.lifecycle import passes
from engagement.lifecycle.kinds import PREFERENCE, Kind
from engagement.lifecycle.models import EmailText, SendLog, Survey
from engagement.lifecycle.sending import Item, send_batch
from referrals.loyalty.models import LoyaltyAccount, Tier
from tests.factories import MemberFactory, ProductFactory

from .helpers import NOW, buyer, care_due, care_product, days_ago, links_in, paid_order

pytestmark = pytest.mark.django_db


def run(now=NOW):
    mail.outbox.clear()
    return passes.lifecycle_nightly(now)


# --- care tips ------------------------------------------------------------------------------------

def test_care_tips_go_a_few_days_after_payment_with_each_products_guide():
    member = buyer(username="ines")
    shirt, socks, plain = care_product(name="Linen shirt"), care_product(name="Wool socks"), ProductFactory(name="Gift card")
    order = paid_order(member, [shirt, socks, plain], paid_at=care_due())
    assert run()["care_tips"] == 1
    [message] = mail.outbox
    assert message.to == [member.email]
    assert f"#{order.external_id}" in message.body
    assert "Linen shirt" in message.body and "Wool socks" in message.body and "Gift card" not in message.body
    assert "Dry flat, away from the sun." in message.body
    html = message.alternatives[0][0]
    assert "<p>Wash cold, inside out.</p>" in html or "Wash cold, inside out." in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert SendLog.objects.filter(kind=Kind.CARE_TIPS, member=member, event_key=f"order:{order.pk}").count() == 1


@pytest.mark.parametrize("paid_days_ago, sent", [(1, False), (5, True), (11, True), (13, False)])
def test_care_tips_window(paid_days_ago, sent, settings):
    settings.LIFECYCLE_CARE_TIPS_DAYS, settings.LIFECYCLE_LATE_DAYS = 5, 7
    paid_order(buyer(), [care_product()], paid_at=days_ago(paid_days_ago))
    assert run()["care_tips"] == int(sent)


def test_care_tips_skip_orders_without_guides_refunds_and_guests():
    paid_order(buyer(), [ProductFactory()], paid_at=care_due())
    paid_order(buyer(), [care_product()], paid_at=care_due(), status="refunded")
    paid_order(None, [care_product()], paid_at=care_due())
    assert run()["care_tips"] == 0


def test_replays_send_nothing_twice():
    member = buyer()
    paid_order(member, [care_product()], paid_at=care_due())
    assert run()["care_tips"] == 1
    assert run()["care_tips"] == 0
    assert mail.outbox == []
    # and the same batch handed to send_batch again (a retried task) is stopped by the log
    again = Item(member, SendLog.objects.get().event_key, {"order": "#1", "care_tips": "x"})
    assert send_batch(Kind.CARE_TIPS, [again, again]) == 0


def test_the_members_language_and_the_editors_text():
    member = buyer(language="el")
    EmailText.objects.create(kind=Kind.CARE_TIPS, language="el", subject="Φροντίδα για την παραγγελία {order}",
                             body="Γεια σου {name},\n\n{care_tips}")
    EmailText.objects.create(kind=Kind.CARE_TIPS, language="en", subject="English {order}", body="English {care_tips}")
    order = paid_order(member, [care_product()], paid_at=care_due())
    run()
    [message] = mail.outbox
    assert f"Φροντίδα για την παραγγελία #{order.external_id}" in message.subject
    assert message.body.startswith(f"Γεια σου {member.public_name},")
    assert "English" not in message.body


def test_default_text_is_translated_into_the_members_language():
    member = buyer(language="hu")
    paid_order(member, [care_product()], paid_at=care_due())
    run()
    [message] = mail.outbox
    # the frame of the e-mail (unsubscribe lines) is rendered in the member's language
    from django.utils import translation
    with translation.override("hu"):
        from django.utils.translation import gettext
        expected = gettext("Stop e-mails like this one with one click:")
    assert expected in message.body


def test_preference_off_and_one_click_unsubscribe(client):
    stays, leaves, chose = buyer(), buyer(), buyer()
    notification_preferences_save(chose, {PREFERENCE[Kind.CARE_TIPS]: (True, False)})
    for member in (stays, leaves, chose):
        paid_order(member, [care_product()], paid_at=care_due())
    paid_days = {}
    run()
    sent_to = {m.to[0] for m in mail.outbox}
    assert sent_to == {stays.email, leaves.email}
    # the one-click link in leaves' e-mail (RFC 8058 POST) turns the kind off
    message = next(m for m in mail.outbox if m.to == [leaves.email])
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in links_in(message)
    assert client.post(unsubscribe).status_code in (200, 302)
    for member in (stays, leaves):
        paid_order(member, [care_product()], paid_at=care_due(NOW + datetime.timedelta(days=1)))
    run(NOW + datetime.timedelta(days=1))
    assert {m.to[0] for m in mail.outbox} == {stays.email}
    assert paid_days == {}


def test_no_mail_to_unconfirmed_or_closed_accounts():
    unconfirmed = MemberFactory(verified=False)
    closed = buyer()
    closed.is_active = False
    closed.save()
    for member in (unconfirmed, closed):
        paid_order(member, [care_product()], paid_at=care_due())
    assert run()["care_tips"] == 0


# --- birthdays --------------------------------------------------------------------------------------

def test_birthday_with_the_reward_and_the_tiers_bonus_once_a_year():
    today = NOW.date()
    plain = buyer(birthday=today.replace(year=1990))
    vip = buyer(birthday=today.replace(year=1985))
    tier = Tier.objects.create(name="Lifecycle VIP", threshold=987654, birthday_bonus=50)
    LoyaltyAccount.objects.update_or_create(member=vip, defaults={"tier": tier})
    buyer(birthday=(today - datetime.timedelta(days=1)).replace(year=1990))
    assert run()["birthday"] == 2
    by_member = {m.to[0]: m for m in mail.outbox}
    from referrals.loyalty.rules import programme
    points = programme().birthday_points
    assert f"{points} points" in by_member[plain.email].body
    assert f"{points + 50} points" in by_member[vip.email].body
    assert reverse("referrals:points") in by_member[vip.email].body
    assert run()["birthday"] == 0  # the same day again
    assert run(NOW.replace(year=2027))["birthday"] == 2  # next year's


def test_29_february_birthdays_are_greeted_on_28_february_in_other_years():
    leapling = buyer(birthday=datetime.date(2000, 2, 29))
    assert run(NOW.replace(month=2, day=28))["birthday"] == 1
    assert mail.outbox[0].to == [leapling.email]
    assert run(NOW.replace(year=2028, month=2, day=28))["birthday"] == 0
    assert run(NOW.replace(year=2028, month=2, day=29))["birthday"] == 1


# --- win-back ----------------------------------------------------------------------------------------

def test_win_back_picks_what_similar_customers_bought_together(settings):
    settings.LIFECYCLE_WIN_BACK_DAYS = 180
    shirt, trousers, scarf, hat, hidden = (ProductFactory(name=n) for n in ("Shirt", "Trousers", "Scarf", "Hat", "Old"))
    hidden.active = False
    hidden.save()
    recent = days_ago(2)
    for _ in range(3):
        paid_order(buyer(), [shirt, trousers], paid_at=recent)
    paid_order(buyer(), [shirt, scarf], paid_at=recent)
    paid_order(buyer(), [shirt, hidden, hidden], paid_at=recent)
    paid_order(buyer(), [hat], paid_at=recent)
    lapsed = buyer(username="lapsed")
    last = paid_order(lapsed, [shirt], paid_at=days_ago(181))
    assert run()["win_back"] == 1
    [message] = mail.outbox
    assert message.to == [lapsed.email]
    body = message.body
    assert body.index("Trousers") < body.index("Scarf")
    assert "Hat" not in body and "Old" not in body and "Shirt:" not in body
    assert SendLog.objects.get(kind=Kind.WIN_BACK).event_key == f"after:{last.pk}"
    assert run(NOW + datetime.timedelta(days=1))["win_back"] == 0


def test_win_back_not_for_a_member_who_ordered_since():
    member = buyer()
    paid_order(member, [ProductFactory()], paid_at=days_ago(181))
    paid_order(member, [ProductFactory()], paid_at=days_ago(20))
    assert run()["win_back"] == 0


def test_picks_table():
    counts = {1: {2: 5, 3: 1}, 4: {3: 7, 1: 2}}
    assert passes.picks_for({1}, counts, {1, 2, 3, 4}) == [2, 3]
    assert passes.picks_for({1, 4}, counts, {1, 2, 3, 4}) == [3, 2]
    assert passes.picks_for({1}, counts, {1, 3}) == [3]
    assert passes.picks_for(set(), counts, {1, 2}) == []


# --- the weekly digest ---------------------------------------------------------------------------------

def test_digest_only_for_members_who_chose_it_once_a_week():
    from community.forum.models import Category, Post, Topic

    author = MemberFactory()
    category = Category.objects.create(name="Care", slug="care")
    busy = Topic.objects.create(category=category, title="Mending elbows", slug="mending", author=author)
    quiet = Topic.objects.create(category=category, title="Say hi here", slug="say-hi", author=author)
    hidden = Topic.objects.create(category=category, title="Spam", slug="spam", author=author, hidden=True)
    for n, topic in enumerate([busy, busy, busy, quiet, hidden, hidden, hidden, hidden]):
        Post.objects.create(topic=topic, author=author, body="x", number=n + 1, created_at=NOW - datetime.timedelta(days=1))
    wants, default = buyer(), buyer()
    notification_preferences_save(wants, {PREFERENCE[Kind.DIGEST]: (True, True)})
    mail.outbox.clear()
    assert passes.digest_send(NOW) == 1
    [message] = mail.outbox
    assert message.to == [wants.email]
    assert message.body.index("Mending elbows") < message.body.index("Say hi here")
    assert "Spam" not in message.body
    assert passes.digest_send(NOW + datetime.timedelta(hours=2)) == 0
    assert default.email not in {m.to[0] for m in mail.outbox}


# --- surveys --------------------------------------------------------------------------------------------

def test_csat_and_nps_links_one_per_answer(settings):
    settings.LIFECYCLE_CSAT_DAYS, settings.LIFECYCLE_NPS_DAYS = 10, 30
    member = buyer()
    order = paid_order(member, paid_at=days_ago(10))
    other = paid_order(member, paid_at=days_ago(30))
    result = run()
    assert result["csat"] == 1 and result["nps"] == 1
    csat = Survey.objects.get(type=Survey.Type.CSAT)
    nps = Survey.objects.get(type=Survey.Type.NPS)
    assert (csat.order, nps.order) == (order, other)
    by_subject = {("CSAT" if f"#{order.external_id}" in m.subject else "NPS"): m for m in mail.outbox}
    assert len([u for u in links_in(by_subject["CSAT"]) if "/surveys/" in u]) == 5
    assert len([u for u in links_in(by_subject["NPS"]) if "/surveys/" in u]) == 11


def test_nps_at_most_once_per_interval(settings):
    settings.LIFECYCLE_NPS_DAYS, settings.LIFECYCLE_NPS_INTERVAL_DAYS = 30, 180
    member = buyer()
    paid_order(member, paid_at=days_ago(30))
    paid_order(member, paid_at=days_ago(31))  # two orders in the window: one question
    assert run()["nps"] == 1
    paid_order(member, paid_at=days_ago(30, NOW + datetime.timedelta(days=40)))
    assert run(NOW + datetime.timedelta(days=40))["nps"] == 0
    paid_order(member, paid_at=days_ago(30, NOW + datetime.timedelta(days=200)))
    assert run(NOW + datetime.timedelta(days=200))["nps"] == 1


def test_a_failing_mail_server_leaves_nothing_logged_and_the_next_run_retries(monkeypatch):
    member = buyer()
    paid_order(member, [care_product()], paid_at=care_due())

    def broken(self, messages):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with pytest.raises(OSError):
        run()
    assert not SendLog.objects.exists()
    monkeypatch.undo()
    assert run()["care_tips"] == 1


# --- the pass costs a fixed number of queries per batch ------------------------------------------------

def test_the_nightly_pass_makes_as_many_queries_for_many_members_as_for_few(count_queries, settings):
    settings.LIFECYCLE_BATCH = 500
    product = care_product()

    def grow(n):
        for _ in range(n):
            member = buyer(birthday=NOW.date().replace(year=1990))
            paid_order(member, [product], paid_at=care_due())
            paid_order(member, [product], paid_at=days_ago(181))

    grow(2)
    passes.lifecycle_nightly(NOW)  # what a running process holds already (the brand, the programme)
    SendLog.objects.all().delete()
    with count_queries() as few:
        small = passes.lifecycle_nightly(NOW)
    SendLog.objects.all().delete()
    Survey.objects.all().delete()
    grow(12)
    with count_queries() as many:
        large = passes.lifecycle_nightly(NOW)
    assert small["birthday"] == 2 and large["birthday"] == 14
    assert small["care_tips"] == 2 and large["care_tips"] == 14
    assert many.count == few.count, many.sql
