"""A caption (or a comment) as HTML: its text escaped, #hashtags linked to their pages, @mentions of
members linked to their profiles, line breaks kept. Stored once when written (Post.caption_html),
so showing a post costs no rendering. Plain text in, never Markdown or HTML."""

import re

from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from community.members.permissions import verified_members

from .hashtags import hashtags_find, normalise

# After a space, a line start or punctuation: @ and 3 to 30 letters, digits, ".", "-", "_" in any
# script (the username rules of community.members.validators), not ending with a dot.
MENTION = re.compile(r"(?<![\w@/])@([\w.\-]{3,30})(?<!\.)", re.UNICODE)
MAX_MENTIONS = 10


def mentioned_usernames(text):
    """Lower-cased usernames @mentioned in `text`, in order, at most MAX_MENTIONS."""
    seen = []
    for name in MENTION.findall(text or ""):
        name = name.lower()
        if name not in seen:
            seen.append(name)
    return seen[:MAX_MENTIONS]


def members_for_mentions(text):
    """{username (lower-cased): profile path} of the verified, active members @mentioned (one
    query, none without a mention)."""
    names = mentioned_usernames(text)
    if not names:
        return {}
    rows = verified_members().filter(username__in=names).values_list("username", flat=True)
    return {name.lower(): reverse("members:profile", kwargs={"username": name}) for name in rows}


def tag_path(key):
    try:
        return reverse("posts:tag", args=[key])
    except NoReverseMatch:  # pragma: no cover - a key is never empty
        return ""


def render_caption(text, known_members=None):
    """Safe HTML for a caption or comment `text` (see the module docstring). `known_members` from
    members_for_mentions; other @names stay text."""
    text = normalise(text).replace("\r\n", "\n").replace("\r", "\n")
    known = known_members or {}
    spans = []  # (start, end, html)
    for tag in hashtags_find(text):
        if not tag.too_long:
            spans.append((tag.start, tag.end, f'<a class="hashtag" href="{escape(tag_path(tag.key))}">#{escape(tag.name)}</a>'))
    for match in MENTION.finditer(text):
        path = known.get(match.group(1).lower())
        if path and not any(a < match.end() and match.start() < b for a, b, _html in spans):
            spans.append((match.start(), match.end(), f'<a class="mention" href="{escape(path)}">{escape(match.group(0))}</a>'))
    spans.sort()
    out, position = [], 0
    for start, end, html in spans:
        out.append(escape(text[position:start]))
        out.append(html)
        position = end
    out.append(escape(text[position:]))
    html = "".join(out).strip("\n")
    return mark_safe("<br>".join(html.split("\n")))  # noqa: S308 - escaped above
