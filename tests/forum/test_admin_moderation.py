"""The forum's moderation in the Wagtail admin: the queue and its actions, suspensions, the log,
and who may use them."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client

from community.forum import services
from community.forum.models import Category, ModerationAction, ModerationLog, Post, Report, Suspension
from tests.factories import MemberFactory
from tests.forum.conftest import make_replies

pytestmark = pytest.mark.django_db

QUEUE = "/admin/forum/queue/"
SUSPENSIONS = "/admin/forum/suspensions/"
LOG = "/admin/forum/log/"
CATEGORIES = "/admin/snippets/forum/category/"
CATEGORY_LIST_QUERIES = 8


@pytest.fixture
def chief(db):
    """A moderator who can use the Wagtail admin."""
    return MemberFactory(username="chief", display_name="Chief moderator", is_staff=True, is_superuser=True)


@pytest.fixture
def mod_client(client, chief):
    client.force_login(chief)
    return client


@pytest.fixture
def reply(topic, alice):
    return make_replies(topic, [alice], 1)[0]


@pytest.fixture
def report(reply, bob):
    return services.report_create(bob, reply, reason=Report.Reason.SPAM, text="Buy cheap linen at example.com")


@pytest.fixture
def waiting(settings, topic):
    settings.FORUM_APPROVE_NEW_MEMBERS = True
    newcomer = MemberFactory(username="newcomer", display_name="Newcomer")
    post = services.post_reply(newcomer, topic, body="My very first words here.")
    assert not post.approved
    return post


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _log(action):
    return ModerationLog.objects.filter(action=action)


def test_queue_lists_open_reports_and_waiting_posts(mod_client, report, waiting, reply):
    response = mod_client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Buy cheap linen at example.com" in html  # the reporter's details
    assert "Spam or advertising" in html and "Bob" in html and "@alice" in html
    assert "Reply number 0 with some words." in html  # the reported post's excerpt
    assert reply.get_absolute_url() in html  # the front-end link to the post
    assert "My very first words here." in html and "@newcomer" in html
    assert waiting.get_absolute_url() in html
    for name in ("hide", "approve"):
        assert f"/admin/forum/queue/posts/{waiting.pk}/{name}/" in html
    assert f"/admin/forum/queue/posts/{reply.pk}/hide/" in html
    assert f"/admin/forum/queue/reports/{report.pk}/dismiss/" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_hide_closes_reports_logs_and_can_be_restored(mod_client, report, reply, chief, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = mod_client.post(f"/admin/forum/queue/posts/{reply.pk}/hide/", {"reason": "Advertising"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert "The post is hidden and its open reports are closed." in _messages(response)
    reply.refresh_from_db()
    report.refresh_from_db()
    assert reply.hidden and report.resolved_at and report.resolution == "hidden" and report.resolved_by == chief
    entry = _log(ModerationAction.HIDE_POST).get()
    assert (entry.actor, entry.post, entry.detail) == (chief, reply, "Advertising")

    html = mod_client.get(QUEUE).content.decode()
    assert "Buy cheap linen" not in html  # the report is closed
    assert f"/admin/forum/queue/posts/{reply.pk}/restore/" in html  # listed with the hidden posts

    response = mod_client.post(f"/admin/forum/queue/posts/{reply.pk}/restore/")
    assert response.status_code == 302 and "The post is shown again." in _messages(response)
    reply.refresh_from_db()
    assert not reply.hidden
    assert _log(ModerationAction.RESTORE_POST).get().actor == chief


def test_approve_shows_the_waiting_post_and_logs(mod_client, waiting, topic, chief):
    replies_before = topic.reply_count
    response = mod_client.post(f"/admin/forum/queue/posts/{waiting.pk}/approve/")
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert "The post is approved and shown to everyone." in _messages(response)
    waiting.refresh_from_db()
    topic.refresh_from_db()
    assert waiting.approved and topic.reply_count == replies_before + 1
    assert _log(ModerationAction.APPROVE_POST).get().post == waiting
    assert "My very first words here." not in mod_client.get(QUEUE).content.decode()


def test_hiding_a_waiting_post_turns_it_down(mod_client, waiting):
    mod_client.post(f"/admin/forum/queue/posts/{waiting.pk}/hide/", {"reason": ""})
    waiting.refresh_from_db()
    assert waiting.hidden and not waiting.approved
    html = mod_client.get(QUEUE).content.decode()
    assert f"/admin/forum/queue/posts/{waiting.pk}/approve/" not in html
    assert f"/admin/forum/queue/posts/{waiting.pk}/restore/" in html


def test_dismiss_closes_the_report_and_keeps_the_post(mod_client, report, reply, chief):
    response = mod_client.post(f"/admin/forum/queue/reports/{report.pk}/dismiss/")
    assert response.status_code == 302 and "The report is dismissed." in _messages(response)
    report.refresh_from_db()
    reply.refresh_from_db()
    assert report.resolved_at and report.resolution == "dismissed" and not reply.hidden
    entry = _log(ModerationAction.DISMISS_REPORT).get()
    assert (entry.actor, entry.post) == (chief, reply)
    # a second dismissal changes nothing and logs nothing
    response = mod_client.post(f"/admin/forum/queue/reports/{report.pk}/dismiss/")
    assert "That report was already dealt with." in _messages(response)
    assert _log(ModerationAction.DISMISS_REPORT).count() == 1


def test_every_action_form_carries_the_csrf_token(chief, report, reply, waiting, alice, bob):
    services.post_set_hidden(chief, make_replies(reply.topic, [bob], 1)[0], True, "Shouting")
    services.member_suspend(chief, alice, days=3, reason="Cooling off")
    client = Client(enforce_csrf_checks=True)
    client.force_login(chief)
    for url in (QUEUE, SUSPENSIONS):
        html = client.get(url).content.decode()
        forms = re.findall(r'<form method="post".*?</form>', html, flags=re.S)
        assert len(forms) >= (5 if url == QUEUE else 2)
        assert all('name="csrfmiddlewaretoken"' in form for form in forms), url
    # without the token an action is refused and changes nothing; with it, it works
    assert client.post(f"/admin/forum/queue/posts/{reply.pk}/hide/").status_code == 403
    reply.refresh_from_db()
    assert not reply.hidden
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(QUEUE).content.decode()).group(1)
    assert client.post(f"/admin/forum/queue/posts/{reply.pk}/hide/", {"csrfmiddlewaretoken": token}).status_code == 302
    reply.refresh_from_db()
    assert reply.hidden


def test_unknown_rows_are_404(mod_client):
    for url in ("/admin/forum/queue/posts/999999/hide/", "/admin/forum/queue/reports/999999/dismiss/",
                "/admin/forum/suspensions/999999/lift/"):
        assert mod_client.post(url).status_code == 404, url


def _action_urls(report, reply, waiting, suspension):
    return [
        f"/admin/forum/queue/posts/{reply.pk}/hide/",
        f"/admin/forum/queue/posts/{reply.pk}/restore/",
        f"/admin/forum/queue/posts/{waiting.pk}/approve/",
        f"/admin/forum/queue/reports/{report.pk}/dismiss/",
        f"/admin/forum/suspensions/{suspension.pk}/lift/",
    ]


def _nothing_changed(report, reply, waiting, suspension):
    for row in (report, reply, waiting, suspension):
        row.refresh_from_db()
    assert report.resolved_at is None and not reply.hidden and not waiting.approved and suspension.lifted_at is None
    assert not ModerationLog.objects.exclude(action=ModerationAction.SUSPEND).exists()


def test_actions_refuse_get(mod_client, report, reply, waiting, bob, chief):
    suspension = services.member_suspend(chief, bob, days=3, reason="Cooling off")
    for url in _action_urls(report, reply, waiting, suspension):
        assert mod_client.get(url).status_code == 405, url
    _nothing_changed(report, reply, waiting, suspension)


def _admin_only_member():
    """Not staff, so no forum moderator, though the Wagtail admin lets them in."""
    member = MemberFactory(username="editor")
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return member


@pytest.mark.parametrize("who", ["staff_without_admin_access", "member", "admin_user_not_staff", "superuser_not_staff",
                                 "anonymous"])
def test_non_moderators_cannot_use_the_queue(client, who, moderator, report, reply, waiting, bob, chief):
    suspension = services.member_suspend(chief, bob, days=3, reason="Cooling off")
    user = {"staff_without_admin_access": moderator, "member": bob, "admin_user_not_staff": _admin_only_member(),
            "superuser_not_staff": MemberFactory(username="root", is_superuser=True), "anonymous": None}[who]
    if user is not None:
        client.force_login(user)
    for url in [QUEUE, SUSPENSIONS, LOG, CATEGORIES]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Buy cheap linen" not in response.content
    for url in _action_urls(report, reply, waiting, suspension):
        assert client.post(url, {"reason": "x"}).status_code in (302, 403), url
    response = client.post(SUSPENSIONS, {"username": "alice", "days": 7, "reason": "x"})
    assert response.status_code in (302, 403)
    assert not Suspension.objects.filter(member__username="alice").exists()
    _nothing_changed(report, reply, waiting, suspension)


def test_staff_editor_with_admin_access_moderates(client, moderator, report, reply):
    """can_moderate is active staff: a staff editor who is no superuser uses the queue too."""
    moderator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(moderator)
    assert client.get(QUEUE).status_code == 200
    client.post(f"/admin/forum/queue/posts/{reply.pk}/hide/")
    reply.refresh_from_db()
    assert reply.hidden


def test_menu_shows_the_forum_group_to_moderators_only(client, chief):
    client.force_login(chief)
    html = client.get("/admin/").content.decode()
    for url in (QUEUE, SUSPENSIONS, LOG, CATEGORIES):
        assert url in html, url
    client.force_login(_admin_only_member())
    html = client.get("/admin/").content.decode()
    for url in (QUEUE, SUSPENSIONS, LOG, CATEGORIES):
        assert url not in html, url


def test_queue_query_count_does_not_grow(mod_client, assert_queries, topic, alice, settings):
    posts = make_replies(topic, [alice], 10)
    reporters = [MemberFactory() for _ in range(10)]
    services.report_create(reporters[0], posts[0], reason=Report.Reason.SPAM)
    services.report_create(reporters[1], posts[1], reason=Report.Reason.RUDE, text="Rude")
    settings.FORUM_APPROVE_NEW_MEMBERS = True
    newcomers = [MemberFactory() for _ in range(10)]
    services.post_reply(newcomers[0], topic, body="Waiting 0")
    services.post_set_hidden(alice, posts[9], True, "spam")

    def grow():
        for n in range(2, 10):
            services.report_create(reporters[n], posts[n % 5], reason=Report.Reason.OFF_TOPIC, text=f"Report {n}")
            services.post_reply(newcomers[n], topic, body=f"Waiting {n}")
        services.post_set_hidden(alice, posts[8], True, "spam")
        assert Report.objects.filter(resolved_at__isnull=True).count() == 10

    response = assert_queries(11, lambda: mod_client.get(QUEUE), grow=grow)
    assert response.status_code == 200
    assert response.content.decode().count("/dismiss/") == 10


def test_suspend_lists_and_lift(mod_client, alice, topic, chief):
    response = mod_client.post(SUSPENSIONS, {"username": " @Alice ", "days": 7, "reason": "Insults in three topics"})
    assert response.status_code == 302 and response["Location"] == SUSPENSIONS
    suspension = Suspension.objects.get(member=alice)
    assert suspension.created_by == chief and suspension.reason == "Insults in three topics"
    entry = _log(ModerationAction.SUSPEND).get()
    assert (entry.actor, entry.member) == (chief, alice)
    html = mod_client.get(SUSPENSIONS).content.decode()
    assert "@alice" in html and "Insults in three topics" in html
    assert f"/admin/forum/suspensions/{suspension.pk}/lift/" in html

    # a suspended member cannot reply
    client = Client()
    client.force_login(alice)
    assert client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Let me answer anyway."}).status_code == 403
    assert not Post.objects.filter(body="Let me answer anyway.").exists()

    # a second suspension while one runs is refused on the form
    response = mod_client.post(SUSPENSIONS, {"username": "alice", "days": 30, "reason": "Again"})
    assert response.status_code == 400 and "already suspended" in response.content.decode()

    response = mod_client.post(f"/admin/forum/suspensions/{suspension.pk}/lift/")
    assert response.status_code == 302
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None
    assert _log(ModerationAction.UNSUSPEND).get().member == alice
    assert client.post(f"/forum/t/{topic.pk}/reply/", {"body": "Thanks for lifting it."}).status_code == 302


def test_suspend_unknown_username_is_a_form_error(mod_client):
    response = mod_client.post(SUSPENSIONS, {"username": "nobody-here", "days": 7, "reason": "Spam"})
    assert response.status_code == 400
    assert "No member has the username “nobody-here”." in response.content.decode()
    assert not Suspension.objects.exists() and not ModerationLog.objects.exists()


@pytest.mark.parametrize("days", [0, 366, "seven", ""])
def test_suspend_days_must_be_1_to_365(mod_client, alice, days):
    response = mod_client.post(SUSPENSIONS, {"username": "alice", "days": days, "reason": "Spam"})
    assert response.status_code == 400
    assert not Suspension.objects.exists()


def test_suspend_needs_a_reason_and_not_yourself(mod_client, alice):
    response = mod_client.post(SUSPENSIONS, {"username": "alice", "days": 3, "reason": ""})
    assert response.status_code == 400
    response = mod_client.post(SUSPENSIONS, {"username": "chief", "days": 3, "reason": "Testing"})
    assert response.status_code == 400 and "You cannot suspend yourself." in response.content.decode()
    assert not Suspension.objects.exists()


def test_suspensions_query_count_does_not_grow(mod_client, assert_queries, chief):
    members = [MemberFactory() for _ in range(10)]
    for member in members[:2]:
        services.member_suspend(chief, member, days=5, reason="Spam")

    def grow():
        for member in members[2:]:
            services.member_suspend(chief, member, days=5, reason="Spam")

    response = assert_queries(8, lambda: mod_client.get(SUSPENSIONS), grow=grow)
    assert response.content.decode().count("/lift/") == 10


def test_log_lists_filters_and_is_read_only(mod_client, report, reply, waiting, chief, alice):
    services.report_dismiss(chief, report)
    services.post_approve(chief, waiting)
    services.member_suspend(chief, alice, days=2, reason="Shouting")
    response = mod_client.get(LOG)
    assert response.status_code == 200
    html = response.content.decode()
    assert "dismissed a report" in html and "approved a post" in html and "suspended a member" in html
    assert "2 d: Shouting" in html and "Spam or advertising" in html  # the details
    html = mod_client.get(LOG, {"action": ModerationAction.SUSPEND}).content.decode()
    assert "2 d: Shouting" in html and "Spam or advertising" not in html
    html = mod_client.get(LOG, {"q": "Shouting"}).content.decode()
    assert "2 d: Shouting" in html and "Spam or advertising" not in html
    entry = ModerationLog.objects.first()
    assert mod_client.get(f"{LOG}inspect/{entry.pk}/").status_code == 200
    for path in ("new/", f"edit/{entry.pk}/", f"delete/{entry.pk}/"):
        assert mod_client.get(LOG + path).status_code == 404


def test_log_query_count_does_not_grow(mod_client, assert_queries, topic, alice, chief):
    posts = make_replies(topic, [alice], 6)
    members = [MemberFactory() for _ in range(4)]
    services.post_set_hidden(chief, posts[0], True, "a")
    services.member_suspend(chief, members[0], days=1, reason="b")

    def grow():
        for post in posts[1:]:
            services.post_set_hidden(chief, post, True, "c")
        for member in members[1:]:
            services.member_suspend(chief, member, days=1, reason="d")

    assert_queries(8, lambda: mod_client.get(LOG), grow=grow)


def test_moderators_edit_categories_in_the_forum_group(mod_client, category, assert_queries):
    response = mod_client.get(CATEGORIES)
    assert response.status_code == 200 and "Care and repair" in response.content.decode()
    response = mod_client.get(f"{CATEGORIES}edit/{category.pk}/")
    assert response.status_code == 200
    response = mod_client.post(f"{CATEGORIES}edit/{category.pk}/", {
        "name": "Care and mending", "slug": "care", "description": "", "colour": "#0f5c4d", "position": 2,
    })
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "Care and mending"

    def grow():
        for n in range(8):
            Category.objects.create(name=f"Sub {n}", slug=f"sub-{n}", parent=category)

    assert_queries(CATEGORY_LIST_QUERIES, lambda: mod_client.get(CATEGORIES), grow=grow)
