"""Photo posts' receivers and the signal they send to the layers above.

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

posts_featured_changed = Signal()
# sent when a photo post becomes live (published at once, or approved): sender=Post, post
post_published = Signal()


@receiver(post_created, sender=Post, dispatch_uid="posts_social_created")
def post_created_social(sender, post, **kwargs):
    if post.rights_granted_at:
        RightsEvent.objects.create(post=post, member_id=post.author_id, action=RightsEvent.Action.GRANT,
                                   version=post.rights_version, created_at=post.rights_granted_at)
    if post.is_live:
        from .notify import followers_schedule

        followers_schedule(post)
        transaction.on_commit(lambda: post_published.send(sender=Post, post=post), robust=True)


@receiver(member_data_requested, dispatch_uid="posts_export")
def export_posts(sender, member, **kwargs):
    return "posts", posts_export(member)


@receiver(member_files_requested, dispatch_uid="posts_export_files")
def export_posts_files(sender, member, **kwargs):
    return posts_export_files(member)


@receiver(member_deleting, dispatch_uid="posts_delete")
def forget_member(sender, member, **kwargs):
    member_posts_erase(member)
