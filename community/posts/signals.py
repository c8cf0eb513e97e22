"""Photo posts' receivers and the signal they send to the layers above.

- post_published (sent after commit; sender=Post, post): a post became published and visible, at
  creation or when a moderator approved it (loyalty awards its points; a receiver must be
  idempotent: a post rejected and approved again is published again).
- posts_featured_changed (sent after commit; sender=Post, post_ids): a post started or stopped
  being featured, or a featured post left the wall (hidden, rejected, its rights withdrawn).
  What shows featured posts (the home page, CMS gallery blocks, campaign pages: content, above
  community) answers it by moving its own cache versions.
- a new live post schedules its hashtags' followers' batch (community.posts.notify), and a post
  created with the rights box ticked gets its first RightsEvent;
- a member's data export and account deletion (community.posts.privacy).
"""

from django.db import transaction
from django.dispatch import Signal, receiver

from community.members.signals import member_data_requested, member_deleting, member_files_requested

from .models import Post, RightsEvent
from .privacy import member_posts_erase, posts_export, posts_export_files
from .services import post_created

post_published = Signal()  # post
posts_featured_changed = Signal()


def published_announce(post):
    """Send post_published for `post` once the transaction that published it commits."""
    transaction.on_commit(lambda: post_published.send(sender=Post, post=post), robust=True)


@receiver(post_created, sender=Post, dispatch_uid="posts_social_created")
def post_created_social(sender, post, **kwargs):
    if post.rights_granted_at:
        RightsEvent.objects.create(post=post, member_id=post.author_id, action=RightsEvent.Action.GRANT,
                                   version=post.rights_version, created_at=post.rights_granted_at)
    if post.is_live:
        from .notify import followers_schedule

        followers_schedule(post)
        published_announce(post)


@receiver(member_data_requested, dispatch_uid="posts_export")
def export_posts(sender, member, **kwargs):
    return "posts", posts_export(member)


@receiver(member_files_requested, dispatch_uid="posts_export_files")
def export_posts_files(sender, member, **kwargs):
    return posts_export_files(member)


@receiver(member_deleting, dispatch_uid="posts_delete")
def forget_member(sender, member, **kwargs):
    member_posts_erase(member)
