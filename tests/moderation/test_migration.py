"""The forum's reports, suspensions and moderation log are carried over to community.moderation
(forum migration 0003), and answers that were hidden stop being answers."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("forum", "0002_uploads"), ("moderation", "0002_moderators_group"), ("members", "0003_notification_kind_registry")]
AFTER = [("forum", "0003_moderation_moves")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_forum_rows_are_carried_over():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("members", "User")
    mod = User.objects.create(username="mod", email="mod@example.com", is_staff=True)
    alice = User.objects.create(username="alice", email="alice@example.com")
    category = old.get_model("forum", "Category").objects.create(name="Care", slug="care")
    Topic, Post = old.get_model("forum", "Topic"), old.get_model("forum", "Post")
    topic = Topic.objects.create(category=category, title="Linen", slug="linen", author=alice)
    Post.objects.create(topic=topic, number=1, author=alice, body="Q", body_html="<p>Q</p>")
    answer = Post.objects.create(topic=topic, number=2, author=alice, body="A", body_html="<p>A</p>", hidden=True)
    Topic.objects.filter(pk=topic.pk).update(solution=answer)
    now = timezone.now()
    old.get_model("forum", "Report").objects.create(post=answer, reporter=mod, reason="spam", text="Links")
    old.get_model("forum", "Suspension").objects.create(member=alice, until=now, reason="Shouting", created_by=mod)
    Log = old.get_model("forum", "ModerationLog")
    Log.objects.create(actor=mod, action="hide_post", topic=topic, post=answer, detail="spam")
    Log.objects.create(actor=mod, action="hide_post", topic=topic, post=answer, detail="deleted")
    Log.objects.create(actor=mod, action="pin", topic=topic)
    Log.objects.create(actor=mod, action="suspend", member=alice, detail="1 d: Shouting")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    report = new.get_model("moderation", "Report").objects.get()
    assert (report.object_id, report.content_type.model, report.reporter_id, report.details) == (answer.pk, "post", mod.pk,
                                                                                                  "Links")
    suspension = new.get_model("moderation", "Suspension").objects.get()
    assert (suspension.member_id, suspension.reason, suspension.created_by_id) == (alice.pk, "Shouting", mod.pk)
    entries = list(new.get_model("moderation", "ModerationLog").objects.order_by("pk")
                   .values_list("action", "content_type__model", "object_id", "item_title", "detail"))
    assert entries == [
        ("hide", "post", answer.pk, "Linen #2", "spam"),
        ("delete", "post", answer.pk, "Linen #2", ""),
        ("pin", "topic", topic.pk, "Linen", ""),
        ("suspend", None, None, "", "1 d: Shouting"),
    ]
    assert new.get_model("forum", "Topic").objects.get(pk=topic.pk).solution_id is None
    executor = MigrationExecutor(connection)  # forward to the latest state for the other tests
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
