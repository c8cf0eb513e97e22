"""{% fragment %}: a part of a page rendered once per change of what it shows, not once per request.

    {% load fragments %}
    {% fragment "blog:article" page.pk scopes=post_scopes %} ... {% endfragment %}

The part is kept in the cache under its name, the values after the name (what it varies on), the
language, the scheme and the host, together with the versions of the scopes it shows
(core.pagecache.part_kept): those named with `scopes=` (a list of scope names), the content version
(the pages' structure, images and snippets every part of the site is built from: content.cache)
and every scope the code inside declares while it renders (`page_depends`: a tag inside that names
its members' scopes). A later request serves the kept part while all of them are at the versions
it was kept under; once one has moved, the part is rendered again. The scopes are declared to the
page as well, on a hit as on a miss, so the whole-page cache keeps the page under them too.

A part that set a max age while rendering (`page_max_age`: a rendition the task worker has not made
yet, a strip that may lag) is kept that long, and makes the page around it keep no longer.

Nothing that differs between visitors goes inside (a member's name, a permission, a bound form):
the key does not carry the visitor. The one exception is the CSRF token of a form inside (a reply
box): the part is made with a mark in its place ({% csrf_token %} renders the mark) and each use
puts the visitor's own token there. The mark is derived from SECRET_KEY, so no one writing a post
can plant it to have a visitor's token written into their words. Previews are never cached.
FRAGMENT_CACHE_SECONDS = 0 turns the tag off (the part is rendered on every request).
"""

import functools
import logging
import re

from django import template
from django.utils.crypto import salted_hmac
from django.utils.html import conditional_escape

from core.pagecache import part_kept

register = template.Library()
logger = logging.getLogger(__name__)

# The scope every fragment follows (content.cache.CONTENT_VERSION_KEY: core cannot import content).
CONTENT_SCOPE = "content:version"


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary, scopes):
        self.nodelist, self.name, self.vary, self.scopes = nodelist, name, vary, scopes

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        scopes = [CONTENT_SCOPE, *((self.scopes.resolve(context) or ()) if self.scopes else ())]
        token, mark = context.get("csrf_token"), csrf_mark()
        with context.push(csrf_token=mark):
            html = part_kept(request, f"fragment:{name}", [value.resolve(context) for value in self.vary], scopes,
                             lambda: self.nodelist.render(context), keep=lambda html: _keepable(name, html))
        if mark in html:
            token = "" if not token or str(token) == "NOTPROVIDED" else conditional_escape(str(token))
            html = html.replace(mark, token)
        return html


# A token written by other means than {% csrf_token %} (a form rendered in Python): not the mark.
_RAW_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="(?!csrf-mark-)')


def _keepable(name, html):
    if _RAW_TOKEN.search(html):
        logger.warning("fragment %s holds a visitor's CSRF token: not kept", name)
        return False
    return True


@functools.cache
def csrf_mark():
    """What a kept part holds in place of the CSRF token: secret (from SECRET_KEY), so it never comes
    from a visitor's words."""
    return "csrf-mark-" + salted_hmac("core.fragments.csrf_mark", "mark").hexdigest()[:32]


@register.tag
def fragment(parser, token):
    """{% fragment "name" value... [scopes=list] %}...{% endfragment %}"""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    name = parser.compile_filter(bits[1])
    vary, scopes = [], None
    for bit in bits[2:]:
        if bit.startswith("scopes="):
            scopes = parser.compile_filter(bit[len("scopes="):])
        else:
            vary.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, name, vary, scopes)
