"""The members' report flow, the registry (a test-only kind), the forum's counters after every
moderation action, the answer that is hidden or deleted, and the data export and deletion."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from community.forum import services as forum
from community.forum.models import Category, Post, Topic
from community.members.models import Notification
from community.members.signals import member_data_requested, member_deleting
from community.moderation import registry, services
from community.moderation.models import ModerationLog, Reason, Report
from community.moderation.registry import ModerationKind, Preview
from tests.factories import MemberFactory
from tests.forum.conftest import make_replies

pytestmark = pytest.mark.django_db


def _report_url(post):
    return reverse("moderation:report", args=["forum_post", post.pk])


def test_report_flow(client, reply, alice, bob):
    url = _report_url(reply)
    assert client.get(url).status_code == 302  # visitors sign in first
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 403 and "what you wrote yourself" in response.content.decode()
    client.force_login(bob)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "nonsense"}).status_code == 400
    response = client.post(url, {"reason": "spam", "details": "Links"})
    assert response.status_code == 302 and response["Location"] == reply.get_absolute_url()
    response = client.post(url, {"reason": "rude"}, follow=True)
    assert "already reported" in response.content.decode()
    report = Report.objects.get()
    assert (report.item, report.reporter, report.reason, report.details) == (reply, bob, "spam", "Links")


def test_one_open_report_per_member_is_a_constraint(reply, bob, moderator):
    first = services.report_create(bob, reply, reason=Reason.SPAM)
    assert services.report_create(bob, reply, reason=Reason.RUDE) is None
    services.report_dismiss(moderator, first)
    assert services.report_create(bob, reply, reason=Reason.RUDE) is not None  # the first one is closed
    assert Report.objects.filter(resolved_at__isnull=True).count() == 1


def test_report_of_what_you_cannot_see_is_404(client, topic, reply, bob, moderator):
    client.force_login(bob)
    forum.post_set_hidden(moderator, reply, True)
    assert client.get(_report_url(reply)).status_code == 404
    assert client.get(reverse("moderation:report", args=["forum_post", 999999])).status_code == 404
    assert client.get(reverse("moderation:report", args=["nonsense", reply.pk])).status_code == 404


def test_report_rate_limit(client, topic, alice, bob, settings):
    settings.MODERATION_REPORTS_PER_DAY = 2
    posts = make_replies(topic, [alice], 3)
    client.force_login(bob)
    codes = [client.post(_report_url(post), {"reason": "spam"}).status_code for post in posts]
    assert codes == [302, 302, 429] and Report.objects.count() == 2


def test_old_forum_report_url_still_works(client, reply, bob):
    client.force_login(bob)
    assert client.get(f"/forum/p/{reply.pk}/report/").status_code == 200
    assert client.post(f"/forum/p/{reply.pk}/report/", {"reason": "spam"}).status_code == 302
    assert Report.objects.count() == 1
    page = client.get(reply.topic.get_absolute_url()).content.decode()
    assert _report_url(reply) in page  # the topic page's Report link goes to the one flow


# --- the registry ---------------------------------------------------------------------------

@pytest.fixture
def test_kind():
    """A kind the forum knows nothing of: topics, with actions that record their calls."""
    calls = []

    def preview(topic):
        return Preview(title=f"Test {topic.title}", excerpt="A test item", author=topic.author, url=topic.get_absolute_url(),
                       created_at=topic.created_at, hidden=topic.hidden, waiting=not topic.approved)

    def hide(actor, topic, reason):
        calls.append(("hide", topic.pk))
        Topic.objects.filter(pk=topic.pk).update(hidden=True)

    def approve(actor, topic):
        calls.append(("approve", topic.pk))
        Topic.objects.filter(pk=topic.pk).update(approved=True)
        services.log_add(actor, "approve", item=topic, member=topic.author)

    kind = ModerationKind(
        code="test_topic", label="test item", model=Topic, queryset=lambda: Topic.objects.select_related("author"),
        waiting=lambda: Topic.objects.filter(approved=False, hidden=False).select_related("author").order_by("created_at"),
        preview=preview, can_view=lambda user, topic: True, hide=hide, restore=lambda *args: None, approve=approve,
    )
    registry.register(kind)
    yield kind, calls
    registry.unregister("test_topic")


def test_a_registered_kind_shows_in_the_queue_and_its_actions_run(client, test_kind, topic, alice, moderator, bob):
    test_kind, calls = test_kind
    Topic.objects.filter(pk=topic.pk).update(approved=False)
    second = forum.topic_create(alice, topic.category, title="Reported thing", body="Some words")
    services.report_create(bob, second, reason=Reason.OFF_TOPIC)
    client.force_login(moderator)
    html = client.get("/admin/moderation/queue/", {"kind": "test_topic"}).content.decode()
    assert "Test How do I wash linen?" in html and "Test Reported thing" in html and "test item" in html
    response = client.post("/admin/moderation/queue/act/", {"action": "approve", "items": [f"test_topic:{topic.pk}"]})
    assert response.status_code == 302 and calls == [("approve", topic.pk)]
    client.post("/admin/moderation/queue/act/", {"item": f"hide@test_topic:{second.pk}"})
    assert calls[-1] == ("hide", second.pk) and Topic.objects.get(pk=second.pk).hidden
    assert ModerationLog.objects.filter(action="approve", content_type=ContentType.objects.get_for_model(Topic)).exists()
    assert "<td>approved an item</td>" in client.get("/admin/moderation/log/", {"kind": "test_topic"}).content.decode()


# --- counters ---------------------------------------------------------------------------------

def test_every_moderation_action_keeps_every_counter(topic, category, alice, bob, moderator, settings):
    other = Category.objects.create(name="Elsewhere", slug="elsewhere")
    replies = make_replies(topic, [alice, bob], 6)
    forum.post_like(bob, replies[0])
    second = forum.topic_create(bob, category, title="Another question", body="What about wool?")
    more = [forum.post_reply(moderator, second, body=f"Wool answer {n}") for n in range(3)]
    forum.post_like(bob, more[0])
    settings.FORUM_APPROVE_NEW_MEMBERS = True
    newcomer = MemberFactory()
    waiting_reply = forum.post_reply(newcomer, topic, body="Waiting reply here")
    waiting_topic = forum.topic_create(newcomer, category, title="Waiting topic", body="New here")
    settings.FORUM_APPROVE_NEW_MEMBERS = False
    forum.post_reply(moderator, waiting_topic, body="A moderator's word in a waiting topic")
    steps = [
        lambda: forum.post_set_hidden(moderator, replies[0], True, "spam"),
        lambda: forum.post_set_hidden(moderator, replies[0], False),
        lambda: forum.post_delete(moderator, replies[1]),
        lambda: forum.post_delete(alice, replies[2]),  # the author deletes their own reply
        lambda: forum.post_approve(moderator, waiting_reply),
        lambda: forum.post_approve(moderator, Post.objects.get(topic=waiting_topic, number=1)),
        lambda: forum.post_set_hidden(moderator, Post.objects.get(topic=second, number=1), True),
        lambda: forum.post_set_hidden(moderator, Post.objects.get(topic=second, number=1), False),
        lambda: forum.topic_set_flag(moderator, second, "hidden", True),
        lambda: forum.topic_set_flag(moderator, second, "hidden", False),
        lambda: forum.topic_set_flag(moderator, second, "locked", True),
        lambda: forum.topic_move(moderator, second, other),
        lambda: forum.topic_merge(moderator, second, topic),
        lambda: forum.topic_move(moderator, topic, other),
        lambda: forum.post_delete(moderator, Post.objects.get(topic=waiting_topic, number=1)),
    ]
    for number, step in enumerate(steps):
        step()
        assert forum.counters_recount() == 0, f"step {number} left a counter wrong"


def test_a_hidden_or_deleted_answer_is_no_longer_the_answer(client, topic, alice, bob, moderator,
                                                            django_capture_on_commit_callbacks):
    answer, other = make_replies(topic, [bob], 2)
    forum.topic_mark_solved(alice, topic, answer)
    assert topic.pk in [t.pk for t in client.get("/forum/solved/").context["topics"]]
    with django_capture_on_commit_callbacks(execute=True):
        forum.post_set_hidden(moderator, answer, True, "spam")
    topic.refresh_from_db()
    assert topic.solution_id is None
    assert topic.pk not in [t.pk for t in client.get("/forum/solved/").context["topics"]]
    assert "Cold or warm water?" in client.get("/forum/feed/").content.decode()
    told = Notification.objects.filter(recipient=alice, kind="moderation")
    assert told.count() == 1 and "answer" in told.get().title
    forum.topic_mark_solved(alice, topic, other)
    with django_capture_on_commit_callbacks(execute=True):
        forum.post_delete(moderator, other)
    topic.refresh_from_db()
    assert topic.solution_id is None and told.count() == 2
    assert forum.counters_recount() == 0


# --- export and deletion ----------------------------------------------------------------------

def test_export_and_deletion(reply, bob, moderator):
    services.report_create(bob, reply, reason=Reason.SPAM, details="Links")
    closed = services.report_create(bob, Post.objects.get(topic=reply.topic, number=1), reason=Reason.RUDE)
    services.report_dismiss(moderator, closed)
    services.member_suspend(moderator, bob, days=2, reason="Shouting")
    sections = dict(response for _receiver, response in member_data_requested.send(sender=None, member=bob))
    data = sections["moderation"]
    assert [r["details"] for r in data["reports_filed"]] == ["Links", ""]
    assert data["reports_filed"][0]["kind"] == "forum post" and data["suspensions"][0]["reason"] == "Shouting"
    member_deleting.send(sender=None, member=bob)
    assert list(Report.objects.values_list("resolution", flat=True)) == ["dismissed"]  # the open one went


def test_demo_moderator_moderates():
    import io

    from community.moderation import demo
    from community.moderation.permissions import can_moderate, moderators

    demo.load(io.StringIO())
    demo.load(io.StringIO())
    member = get_user_model().objects.get(username="moderator")
    assert can_moderate(member) and list(moderators()) == [member]
