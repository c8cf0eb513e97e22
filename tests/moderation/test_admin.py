"""The one moderation queue, log and suspensions in the Wagtail admin: who may use them (each
actor's exact answer), what the actions do, bulk actions, and fixed query counts."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from community.forum import services as forum
from community.forum.models import ModerationAction, Post, Topic
from community.members.models import Notification
from community.moderation import services
from community.moderation.models import ModerationLog, Reason, Report, Suspension
from tests.factories import MemberFactory
from tests.forum.conftest import make_replies

pytestmark = pytest.mark.django_db

QUEUE = "/admin/moderation/queue/"
ACT = "/admin/moderation/queue/act/"
LOG = "/admin/moderation/log/"
SUSPENSIONS = "/admin/moderation/suspensions/"


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _refused(response, who):
    """Staff with admin access get the admin's "no permission" redirect to its dashboard; members
    and visitors, who may not use the admin at all, its login redirect."""
    assert response.status_code == 302
    if who == "staff":
        assert response["Location"] == reverse("wagtailadmin_home")
    else:
        assert response["Location"].startswith(f'{reverse("account_login")}?next=/admin/moderation/')


def test_urls_are_named():
    assert reverse("moderation_queue:index") == QUEUE and reverse("moderation_queue:act") == ACT
    assert reverse("moderation_log:index") == LOG and reverse("moderation_suspensions:index") == SUSPENSIONS


@pytest.mark.parametrize("who", ["moderator", "staff", "member", "visitor"])
def test_pages_by_actor(actors, who, report, waiting):
    client = _client_for(actors[who])
    for url in (QUEUE, LOG, SUSPENSIONS, f"{QUEUE}?kind=forum_post&reason=spam&age=1d"):
        response = client.get(url)
        if who == "moderator":
            assert response.status_code == 200, url
        else:
            _refused(response, who)
            assert b"Buy cheap linen" not in response.content


@pytest.mark.parametrize("who", ["moderator", "staff", "member", "visitor"])
def test_actions_by_actor(actors, who, report, reply, waiting, alice, chief_suspension):
    client = _client_for(actors[who])
    responses = [
        client.post(ACT, {"item": f"hide@forum_post:{reply.pk}", "reason": "Spam"}),
        client.post(ACT, {"action": "approve", "items": [f"forum_post:{waiting.pk}"]}),
        client.post(reverse("moderation_queue:dismiss", args=[report.pk])),
        client.post(SUSPENSIONS, {"username": "alice", "days": 7, "reason": "Insults"}),
        client.post(reverse("moderation_suspensions:lift", args=[chief_suspension.pk])),
    ]
    for row in (report, reply, waiting, chief_suspension):
        row.refresh_from_db()
    if who == "moderator":
        assert [r.status_code for r in responses] == [302, 302, 302, 302, 302]
        assert reply.hidden and waiting.approved and report.resolved_at and chief_suspension.lifted_at
        assert Suspension.objects.filter(member=alice).exists()
    else:
        for response in responses:
            _refused(response, who)
        assert not reply.hidden and not waiting.approved and report.resolved_at is None
        assert chief_suspension.lifted_at is None and not Suspension.objects.filter(member=alice).exists()
        assert not ModerationLog.objects.exclude(action="suspend").exists()


@pytest.fixture
def chief_suspension(db):
    chief = MemberFactory(username="chief", is_superuser=True, is_staff=True)
    return services.member_suspend(chief, MemberFactory(username="spammer"), days=3, reason="Cooling off")


def test_actions_refuse_get(moderator, report, reply):
    client = _client_for(moderator)
    for url in (ACT, reverse("moderation_queue:dismiss", args=[report.pk])):
        assert client.get(url).status_code == 405


def test_menu_for_moderators_only(moderator, staff_editor):
    html = _client_for(moderator).get("/admin/").content.decode()
    for url in (QUEUE, LOG, SUSPENSIONS):
        assert url in html, url
    html = _client_for(staff_editor).get("/admin/").content.decode()
    for url in (QUEUE, LOG, SUSPENSIONS, "/admin/snippets/forum/category/"):
        assert url not in html, url


def test_superuser_moderates_without_the_group(reply):
    root = MemberFactory(username="root", is_superuser=True)
    assert _client_for(root).get(QUEUE).status_code == 200


def test_queue_lists_reported_and_waiting_oldest_first(moderator, report, reply, waiting):
    html = _client_for(moderator).get(QUEUE).content.decode()
    assert "Buy cheap linen at example.com" in html and "Spam or advertising" in html
    assert "Reply number 0 with some words." in html and "My very first words here." in html
    assert reply.get_absolute_url() in html and waiting.get_absolute_url() in html
    assert html.index("Reply number 0") < html.index("My very first words")  # the report is older
    assert f'value="forum_post:{reply.pk}"' in html and f'value="approve@forum_post:{waiting.pk}"' in html
    assert reverse("moderation_queue:dismiss", args=[report.pk]) in html
    forms = re.findall(r'<form method="post".*?</form>', html, flags=re.S)
    assert forms and all('name="csrfmiddlewaretoken"' in form for form in forms)


def test_queue_filters(moderator, report, reply, waiting):
    client = _client_for(moderator)
    html = client.get(QUEUE, {"reason": "rude"}).content.decode()
    assert "Reply number 0" not in html and "My very first words" not in html
    html = client.get(QUEUE, {"reason": "spam"}).content.decode()
    assert "Reply number 0" in html and "My very first words" not in html  # waiting items have no reason
    html = client.get(QUEUE, {"age": "7d"}).content.decode()
    assert "Reply number 0" not in html and "My very first words" not in html
    Report.objects.update(created_at=report.created_at.replace(year=2020))
    assert "Reply number 0" in client.get(QUEUE, {"age": "7d"}).content.decode()
    assert client.get(QUEUE, {"kind": "nonsense"}).status_code == 200  # an unknown filter is ignored


def test_hide_closes_reports_logs_notifies_and_restores(moderator, report, reply, alice,
                                                        django_capture_on_commit_callbacks):
    client = _client_for(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACT, {"item": f"hide@forum_post:{reply.pk}", "reason": "Advertising"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    reply.refresh_from_db()
    report.refresh_from_db()
    assert reply.hidden and report.resolution == "hidden" and report.resolved_by == moderator
    entry = ModerationLog.objects.get(action="hide")
    assert (entry.actor, entry.object_id, entry.detail, entry.member) == (moderator, reply.pk, "Advertising", alice)
    assert Notification.objects.filter(recipient=alice, kind="moderation").count() == 1
    html = client.get(QUEUE).content.decode()
    assert "Buy cheap linen" not in html and f'value="restore@forum_post:{reply.pk}"' in html  # recently hidden
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ACT, {"item": f"restore@forum_post:{reply.pk}"})
    reply.refresh_from_db()
    assert not reply.hidden and ModerationLog.objects.filter(action="restore").exists()
    assert Notification.objects.filter(recipient=alice, kind="moderation").count() == 2


def test_bulk_approve_and_hide(moderator, topic, settings, django_capture_on_commit_callbacks):
    settings.FORUM_APPROVE_NEW_MEMBERS = True
    newcomers = [MemberFactory() for _ in range(3)]
    posts = [forum.post_reply(member, topic, body=f"Waiting words {n}") for n, member in enumerate(newcomers)]
    client = _client_for(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACT, {"action": "approve", "items": [f"forum_post:{p.pk}" for p in posts[:2]]})
    assert "2 items approved." in _messages(response)
    assert list(Post.objects.filter(pk__in=[p.pk for p in posts]).order_by("pk").values_list("approved", flat=True)) == [
        True, True, False]
    response = client.post(ACT, {"action": "hide", "reason": "Spam", "items": [f"forum_post:{p.pk}" for p in posts]
                                 + ["nonsense:1", "forum_post:x"]})
    assert "3 items hidden; their open reports are closed." in _messages(response)
    assert Post.objects.filter(pk__in=[p.pk for p in posts], hidden=True).count() == 3
    response = client.post(ACT, {"action": "approve", "items": [f"forum_post:{posts[2].pk}"]})
    assert any("left as it was" in m for m in _messages(response))  # a hidden post is not approved
    assert client.post(ACT, {"action": "explode", "items": [f"forum_post:{posts[0].pk}"]}).status_code == 400
    assert any("Tick the items" in m for m in _messages(client.post(ACT, {"action": "hide"})))
    assert forum.counters_recount() == 0


def test_dismiss_once(moderator, report, reply):
    client = _client_for(moderator)
    response = client.post(reverse("moderation_queue:dismiss", args=[report.pk]))
    assert "The report is dismissed." in _messages(response)
    response = client.post(reverse("moderation_queue:dismiss", args=[report.pk]))
    assert "That report was already dealt with." in _messages(response)
    assert ModerationLog.objects.filter(action="dismiss_report").count() == 1
    reply.refresh_from_db()
    assert not reply.hidden


def test_unknown_rows_are_404(moderator):
    client = _client_for(moderator)
    assert client.post(reverse("moderation_queue:dismiss", args=[999999])).status_code == 404
    assert client.post(reverse("moderation_suspensions:lift", args=[999999])).status_code == 404


def test_queue_query_count_does_not_grow(moderator, assert_queries, topic, alice, settings):
    posts = make_replies(topic, [alice], 10)
    reporters = [MemberFactory() for _ in range(10)]
    services.report_create(reporters[0], posts[0], reason=Reason.SPAM)
    settings.FORUM_APPROVE_NEW_MEMBERS = True
    newcomers = [MemberFactory() for _ in range(10)]
    forum.post_reply(newcomers[0], topic, body="Waiting 0")
    forum.post_set_hidden(moderator, posts[9], True, "spam")
    client = _client_for(moderator)

    def grow():
        for n in range(1, 10):
            services.report_create(reporters[n], posts[n % 5], reason=Reason.OFF_TOPIC, details=f"Report {n}")
            forum.post_reply(newcomers[n], topic, body=f"Waiting {n}")
        forum.post_set_hidden(moderator, posts[8], True, "spam")

    # session, member, the admin's permission checks and profile (3); reports (count, rows), their
    # items; waiting (count, rows) of forum posts, photo posts and reviews (photo comments never wait);
    # recently hidden (log, items); the admin menu's locale, page and collection permissions (4)
    client.get(QUEUE)  # the kinds' content types, which Django keeps once read
    response = assert_queries(QUEUE_QUERIES, lambda: client.get(QUEUE), grow=grow)
    assert response.content.decode().count("/dismiss/") == 10


QUEUE_QUERIES = 20
LOG_QUERIES = 11
SUSPENSIONS_QUERIES = 11


def test_log_lists_across_kinds_filters_and_is_read_only(moderator, report, reply, waiting, alice, topic, category):
    services.report_dismiss(moderator, report)
    forum.post_approve(moderator, waiting)
    forum.topic_set_flag(moderator, topic, "pinned", True)
    services.member_suspend(moderator, alice, days=2, reason="Shouting")
    client = _client_for(moderator)
    html = client.get(LOG).content.decode()
    for text in ("dismissed a report", "approved an item", "pinned a topic", "suspended a member", "2 d: Shouting",
                 "Spam or advertising", "forum post", "How do I wash linen?"):
        assert text in html.split('<table class="listing">')[1], text
    html = client.get(LOG, {"action": "suspend"}).content.decode()
    assert "2 d: Shouting" in html and "Spam or advertising" not in html
    html = client.get(LOG, {"q": "Shouting"}).content.decode()
    assert "2 d: Shouting" in html and "Spam or advertising" not in html
    html = client.get(LOG, {"kind": "member"}).content.decode()
    assert "2 d: Shouting" in html and "<td>pinned a topic</td>" not in html
    html = client.get(LOG, {"kind": "forum_post"}).content.decode()
    assert "<td>approved an item</td>" in html and "2 d: Shouting" not in html
    assert "<form method=\"post\"" not in html  # nothing to change here
    entry = ModerationLog.objects.first()
    entry.detail = "changed"
    with pytest.raises(ValueError):
        entry.save()


def test_log_query_count_does_not_grow(moderator, assert_queries, topic, alice):
    posts = make_replies(topic, [alice], 6)
    members = [MemberFactory() for _ in range(4)]
    forum.post_set_hidden(moderator, posts[0], True, "a")
    services.member_suspend(moderator, members[0], days=1, reason="b")
    client = _client_for(moderator)

    def grow():
        for post in posts[1:]:
            forum.post_set_hidden(moderator, post, True, "c")
        for member in members[1:]:
            services.member_suspend(moderator, member, days=1, reason="d")
        forum.topic_set_flag(moderator, topic, "locked", True)

    assert_queries(LOG_QUERIES, lambda: client.get(LOG), grow=grow)


def test_suspend_lists_and_lift(moderator, alice, topic):
    client = _client_for(moderator)
    response = client.post(SUSPENSIONS, {"username": " @Alice ", "days": 7, "reason": "Insults in three topics"})
    assert response.status_code == 302 and response["Location"] == SUSPENSIONS
    suspension = Suspension.objects.get(member=alice)
    assert suspension.created_by == moderator
    html = client.get(SUSPENSIONS).content.decode()
    assert "@alice" in html and "Insults in three topics" in html
    member = _client_for(alice)
    assert member.post(f"/forum/t/{topic.pk}/reply/", {"body": "Let me answer anyway."}).status_code == 403
    response = client.post(SUSPENSIONS, {"username": "alice", "days": 30, "reason": "Again"})
    assert response.status_code == 400 and "already suspended" in response.content.decode()
    client.post(reverse("moderation_suspensions:lift", args=[suspension.pk]))
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None and ModerationLog.objects.get(action="unsuspend").member == alice
    assert member.post(f"/forum/t/{topic.pk}/reply/", {"body": "Thanks for lifting it."}).status_code == 302


@pytest.mark.parametrize("data, message", [
    ({"username": "nobody-here", "days": 7, "reason": "Spam"}, "No member has the username “nobody-here”."),
    ({"username": "alice", "days": 0, "reason": "Spam"}, ""),
    ({"username": "alice", "days": 366, "reason": "Spam"}, ""),
    ({"username": "alice", "days": "seven", "reason": "Spam"}, ""),
    ({"username": "alice", "days": 3, "reason": ""}, ""),
    ({"username": "mod", "days": 3, "reason": "Testing"}, "You cannot suspend yourself."),
])
def test_suspend_form_errors(moderator, alice, data, message):
    response = _client_for(moderator).post(SUSPENSIONS, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Suspension.objects.exists()


def test_suspensions_query_count_does_not_grow(moderator, assert_queries):
    members = [MemberFactory() for _ in range(10)]
    for member in members[:2]:
        services.member_suspend(moderator, member, days=5, reason="Spam")
    client = _client_for(moderator)

    def grow():
        for member in members[2:]:
            services.member_suspend(moderator, member, days=5, reason="Spam")

    response = assert_queries(SUSPENSIONS_QUERIES, lambda: client.get(SUSPENSIONS), grow=grow)
    assert response.content.decode().count("/lift/") == 10


def test_topic_page_actions_are_logged_in_the_one_log(moderator, topic, category, alice):
    from community.forum.models import Category

    other = Category.objects.create(name="Elsewhere", slug="elsewhere")
    second = forum.topic_create(alice, category, title="Second question", body="Another one?")
    client = _client_for(moderator)
    for action in ("pin", "lock", "close", "unlock", "reopen", "unpin", "hide", "restore"):
        assert client.post(f"/forum/t/{topic.pk}/moderate/", {"action": action}).status_code == 302
    client.post(f"/forum/t/{topic.pk}/moderate/", {"action": "move", "category": other.pk})
    client.post(f"/forum/t/{second.pk}/moderate/", {"action": "merge", "target": topic.pk})
    codes = set(ModerationLog.objects.values_list("action", flat=True))
    assert {c.value for c in ModerationAction if c.value not in ("hide", "restore", "approve", "delete")} <= codes
    assert Topic.objects.get(pk=second.pk).merged_into_id == topic.pk
    assert forum.counters_recount() == 0
