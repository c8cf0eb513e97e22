"""Background tasks of the members app (Django's tasks API, the django_tasks package)."""

from django.core.cache import cache
from django_tasks import task


@task()
def notification_digest_send(member_id, base_url=""):
    """Send the member's batched notification e-mail (see notifications.notification_digest_email).
    `base_url`: the address of the request that queued it (core.absolute), for the e-mail's links."""
    from core.absolute import base_url_use

    from .notifications import digest_cache_key, notification_digest_email

    # Open the next batching window first: a notification that arrives from now on schedules its
    # own digest, while everything committed before this point is read and sent below.
    cache.delete(digest_cache_key(member_id))
    with base_url_use(base_url):
        return notification_digest_email(member_id)
