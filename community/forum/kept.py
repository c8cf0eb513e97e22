"""A signed-in member's forum pages, kept for a minute (the pages a member rereads or goes back
to cost no query and no rendering). The views of community.forum.views use kept_for_member and member_page_key."""

import functools
import hashlib

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from community.members.selectors import notifications_unread_cache_key, notifications_unread_count
from core.pagecache import is_fresh, page_depends, page_scope_versions

from .app_settings import app_settings
from .cache import read_version_key, viewer_scope
from .permissions import is_member

# A signed-in member's forum pages are kept for a minute (FORUM_MEMBER_PAGE_SECONDS; 0 keeps none)
# with the versions of the scopes they show (community.forum.cache): the page's own (its topic,
# category, the lists, the members shown) and the member's viewer scope (active, staff, suspensions,
# subscriptions). The key holds the page, the member's session and CSRF cookie, their unread
# notifications, the language, and for the lists with unread counts the member's read version (it
# moves whenever they read on). A topic page is only kept when the visit did not move the member's
# read position, so a kept page never hides a needed move (positions only go forward, and new posts
# move the topic's scope). A page is only stored after a full render passed the permission checks,
# and anything that could change them moves a scope it was kept under. The site menu may lag by
# up to that minute.


def member_page_key(request, member_id, *parts, with_reading=False):
    """The key of a page kept for a member, or None when it must not be kept (no CSRF cookie yet,
    a message waiting to be shown, keeping turned off). `with_reading`: the page shows the member's
    unread counts, so their read version is part of the key too. Names the member's own scope for the
    page about to be rendered."""
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    session = request.session.session_key
    if app_settings.MEMBER_PAGE_SECONDS <= 0 or not csrf or not session or "messages" in request.COOKIES:
        return None
    page_depends(request, viewer_scope(member_id))
    # The member's unread count and read version in one round trip to the cache.
    unread_key, read_key = notifications_unread_cache_key(member_id), read_version_key(member_id)
    found = cache.get_many([unread_key, read_key])
    unread = found[unread_key] if unread_key in found else notifications_unread_count(request.user)
    reading = found.get(read_key, 0) if with_reading else ""
    parts = [reading, get_language(), session, csrf, member_id, unread, *parts]
    digest = hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()
    return f"forum:memberpage:{digest}"


def member_page_get(key):
    """The content of the page kept under `key` while every scope it showed is unchanged, else None."""
    entry = cache.get(key) if key else None
    if entry is None:
        return None
    versions, content = entry
    return content if is_fresh(versions) else None


def member_page_keep(request, key, response):
    cache.set(key, (page_scope_versions(request), response.content), app_settings.MEMBER_PAGE_SECONDS)


def kept_for_member(view):
    """Keep a list page for the signed-in member who asked for it (see FORUM_MEMBER_PAGE_SECONDS)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        member_id = request.session.get(SESSION_KEY)
        key = member_page_key(request, member_id, request.get_full_path(), with_reading=True) if member_id else None
        cached = member_page_get(key)
        if cached is not None:
            response = HttpResponse(cached)
            patch_cache_control(response, private=True)
            return response
        response = view(request, *args, **kwargs)
        user = request.user
        if is_member(user):
            keep = key and str(user.pk) == str(member_id) and response.status_code == 200 and not response.cookies
            if keep and not response.streaming:
                member_page_keep(request, key, response)
            patch_cache_control(response, private=True)
        return response

    return wrapped
