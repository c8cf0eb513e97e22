"""The member's consent that the brand may feature a post's photos off the wall (the home page, CMS
pages, campaign highlights, the brand's channels), credited to them.

The post holds the current state (rights_granted_at, rights_version: the version of the wording
ticked); RightsEvent rows are the append-only history of every grant and withdrawal. Only the
author grants or withdraws (social_permissions.check_manage_rights). Withdrawing un-features the
post at once, everywhere: featured_at is cleared in the same transaction, and the versions of
what showed it move (community.posts.moderation.featured_changed), so no cached page keeps it.

A post created with the box ticked (posts-core's post_create stores the time and version) gets
its first RightsEvent from community.posts.signals.
"""

from django.db import transaction
from django.utils import timezone

from .app_settings import app_settings
from .forms import RIGHTS_WORDING  # noqa: F401 - the wording ticked, with its version
from .interactions import shown_changed
from .models import Post, RightsEvent


def rights_version():
    return app_settings.RIGHTS_VERSION


@transaction.atomic
def rights_grant(member, post):
    """Record the author's consent, with the time and the wording's version. Granting again under
    a newer wording records the new version; under the same one it changes nothing."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    version = rights_version()
    if post.rights_granted_at and post.rights_version == version:
        return post
    post.rights_granted_at, post.rights_version = timezone.now(), version
    post.save(update_fields=["rights_granted_at", "rights_version"])
    RightsEvent.objects.create(post=post, member=member, action=RightsEvent.Action.GRANT, version=version,
                               created_at=post.rights_granted_at)
    shown_changed(post.pk)
    return post


@transaction.atomic
def rights_withdraw(member, post):
    """Take the consent back: the post stops being featured everywhere at once."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not post.rights_granted_at:
        return post
    was_featured = bool(post.featured_at)
    post.rights_granted_at, post.rights_version, post.featured_at = None, "", None
    post.save(update_fields=["rights_granted_at", "rights_version", "featured_at"])
    RightsEvent.objects.create(post=post, member=member, action=RightsEvent.Action.WITHDRAW)
    shown_changed(post.pk)
    if was_featured:
        from .moderation import featured_changed

        featured_changed(post.pk)
    return post
