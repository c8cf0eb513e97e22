"""What an account deletion does to the member's forum writing (community.forum.signals calls it).

The posts keep their place and number, so replies, quotes and links around them still make sense,
but their text goes: each becomes the "deleted post" placeholder, its earlier versions
(revisions) are deleted, it leaves the search index, and the excerpts quoting it in other members'
notifications are blanked. A topic the member opened stays, under its title, while other members'
replies live in it; otherwise it goes with its opening post. The member's pictures are deleted,
files and renditions, whether a post used them or not.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.search.index import insert_or_update_object, remove_object

from community.members.notifications import notifications_forget_excerpts

from ..cache import forum_changed
from ..models import Post, PostRevision, Topic, Upload
from .counters import counters_recount


@transaction.atomic
def member_writing_erase(member):
    """Erase the text of everything `member` wrote in the forum (see the module's docstring)."""
    posts = list(Post.objects.filter(author=member).select_related("topic").order_by("pk"))
    if posts:
        urls = {post.get_absolute_url() for post in posts}
        PostRevision.objects.filter(post__author=member).delete()
        now = timezone.now()
        Post.objects.filter(author=member, deleted_at__isnull=True).update(deleted_at=now)
        Post.objects.filter(author=member).update(body="", body_html="")
        topic_ids = {post.topic_id for post in posts}
        Topic.objects.filter(pk__in=topic_ids, solution__author=member).update(solution=None)
        others_live = Post.objects.filter(topic=OuterRef("pk"), deleted_at__isnull=True).exclude(author=member)
        emptied = Topic.objects.filter(author=member, pk__in=topic_ids, deleted_at__isnull=True).exclude(Exists(others_live))
        emptied_ids = list(emptied.values_list("pk", flat=True))
        Topic.objects.filter(pk__in=emptied_ids).update(deleted_at=now)
        counters_recount(topic_ids)
        for post in posts:
            remove_object(post)
        for topic in Topic.objects.filter(pk__in=emptied_ids):
            insert_or_update_object(topic)
        notifications_forget_excerpts(urls)
    for upload in Upload.objects.filter(member=member):
        upload.delete()  # its files and renditions go once the transaction commits (signals.py)
    forum_changed()
