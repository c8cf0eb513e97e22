"""reverse() for the URLs a page names many times (a topic's link on each of its posts, a member's on
each of theirs): each (name, arguments) is reversed once per process and language, then read from
memory. Django's reverse() builds the URL anew every call, about 20 µs; a forum page calls it a few
hundred times.

The memory holds the 8,192 most recently used URLs, keyed by everything reverse() reads besides its
arguments: the URLconf (the setting and a request's own), the script prefix and the language (the
i18n prefix).
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation


@functools.lru_cache(maxsize=8192)
def _reverse(root, urlconf, prefix, language, name, items):
    return reverse(name, kwargs=dict(items))


def reverse_kept(name, **kwargs):
    """reverse(name, kwargs=kwargs), from memory after the first time."""
    return _reverse(settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), translation.get_language(), name,
                    tuple(sorted(kwargs.items())))
