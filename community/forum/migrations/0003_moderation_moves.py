"""Reports, suspensions and the moderation log move to community.moderation, for every kind of
member-written content: existing rows are carried over (reports and log entries now name their
post or topic by content type and id); 0004 then drops the forum's tables. Answers that were hidden or
deleted stop being answers (issue 11)."""

from django.db import migrations
from django.urls import NoReverseMatch, reverse

ACTIONS = {"hide_post": "hide", "restore_post": "restore", "approve_post": "approve"}


def _post_item(post):
    try:
        url = reverse("forum:post", kwargs={"slug": post.topic.slug, "pk": post.topic_id, "number": post.number})
    except NoReverseMatch:
        url = ""
    return f"{post.topic.title} #{post.number}"[:200], url


def _topic_item(topic):
    try:
        url = reverse("forum:topic", kwargs={"slug": topic.slug, "pk": topic.pk})
    except NoReverseMatch:
        url = ""
    return topic.title[:200], url


def carry_over(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    post_type, _created = ContentType.objects.get_or_create(app_label="forum", model="post")
    topic_type, _created = ContentType.objects.get_or_create(app_label="forum", model="topic")
    OldReport = apps.get_model("forum", "Report")
    OldSuspension = apps.get_model("forum", "Suspension")
    OldLog = apps.get_model("forum", "ModerationLog")
    Report = apps.get_model("moderation", "Report")
    Suspension = apps.get_model("moderation", "Suspension")
    Log = apps.get_model("moderation", "ModerationLog")
    Report.objects.bulk_create(
        Report(content_type=post_type, object_id=old.post_id, reporter_id=old.reporter_id, reason=old.reason,
               details=old.text, created_at=old.created_at, resolved_at=old.resolved_at,
               resolved_by_id=old.resolved_by_id, resolution=old.resolution)
        for old in OldReport.objects.order_by("pk").iterator()
    )
    Suspension.objects.bulk_create(
        Suspension(member_id=old.member_id, until=old.until, reason=old.reason, created_by_id=old.created_by_id,
                   created_at=old.created_at, lifted_at=old.lifted_at)
        for old in OldSuspension.objects.order_by("pk").iterator()
    )
    entries = []
    for old in OldLog.objects.select_related("post__topic", "topic").order_by("pk").iterator():
        action, detail = ACTIONS.get(old.action, old.action), old.detail
        if old.action == "hide_post" and old.detail == "deleted":  # how a moderator's delete was logged
            action, detail = "delete", ""
        entry = Log(actor_id=old.actor_id, action=action, member_id=old.member_id, detail=detail,
                    created_at=old.created_at)
        if old.post_id:
            entry.content_type, entry.object_id = post_type, old.post_id
            entry.item_title, entry.item_url = _post_item(old.post)
        elif old.topic_id:
            entry.content_type, entry.object_id = topic_type, old.topic_id
            entry.item_title, entry.item_url = _topic_item(old.topic)
        entries.append(entry)
    Log.objects.bulk_create(entries, batch_size=500)
    Topic = apps.get_model("forum", "Topic")
    Topic.objects.filter(solution__hidden=True).update(solution=None)
    Topic.objects.filter(solution__deleted_at__isnull=False).update(solution=None)


def carry_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    post_type = ContentType.objects.filter(app_label="forum", model="post").first()
    topic_type = ContentType.objects.filter(app_label="forum", model="topic").first()
    Post = apps.get_model("forum", "Post")
    OldReport = apps.get_model("forum", "Report")
    OldSuspension = apps.get_model("forum", "Suspension")
    OldLog = apps.get_model("forum", "ModerationLog")
    Report = apps.get_model("moderation", "Report")
    Suspension = apps.get_model("moderation", "Suspension")
    Log = apps.get_model("moderation", "ModerationLog")
    posts = set(Post.objects.values_list("pk", flat=True))
    OldReport.objects.bulk_create(
        OldReport(post_id=r.object_id, reporter_id=r.reporter_id, reason=r.reason, text=r.details, created_at=r.created_at,
                  resolved_at=r.resolved_at, resolved_by_id=r.resolved_by_id, resolution=r.resolution)
        for r in Report.objects.filter(content_type=post_type) if r.object_id in posts
    )
    OldSuspension.objects.bulk_create(
        OldSuspension(member_id=s.member_id, until=s.until, reason=s.reason, created_by_id=s.created_by_id,
                      created_at=s.created_at, lifted_at=s.lifted_at)
        for s in Suspension.objects.all()
    )
    back = {new: old for old, new in ACTIONS.items()}
    entries = []
    for e in Log.objects.order_by("pk"):
        action = "hide_post" if e.action == "delete" else back.get(e.action, e.action)
        post_id = e.object_id if e.content_type_id == getattr(post_type, "pk", None) and e.object_id in posts else None
        topic_id = e.object_id if e.content_type_id == getattr(topic_type, "pk", None) else None
        if post_id:
            topic_id = Post.objects.filter(pk=post_id).values_list("topic_id", flat=True).first()
        entries.append(OldLog(actor_id=e.actor_id, action=action[:20], post_id=post_id, topic_id=topic_id,
                              member_id=e.member_id, detail="deleted" if e.action == "delete" else e.detail,
                              created_at=e.created_at))
    OldLog.objects.bulk_create(entries, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0002_uploads"),
        ("moderation", "0002_moderators_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
    ]
