"""Forum posts are Markdown (markdown-it-py, CommonMark with tables and strikethrough, no raw HTML)
turned into HTML once, when written, and then sanitised by nh3 with an allow-list:

- links keep http(s) and mailto only, and get rel="nofollow ugc noopener";
- images are kept only when they are members' uploads (forum.Upload) that exist, at a plain
  normalised address inside MEDIA_URL (no `..`, `//`, backslash, query, fragment or encoded dot or
  slash: a picture must never make the reader's browser request a page of the site with its
  cookies); an outside http(s) picture becomes a plain link, any other address plain text. An upload is shown with its
  responsive renditions (core.renditions: a <picture> with AVIF and WebP sources, width and height,
  lazy loading), and every address in a srcset must be an upload too;
- @mentions of existing members become links to their profiles (never inside code or links);
- #hashtags become links to their pages at /tags/<key>/ (never inside code or links), by the rules
  of community.posts.hashtags (a pure module: it imports nothing of the forum).

The stored HTML is what pages show, so reading a topic costs no rendering.
"""

import posixpath
import re
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.token import Token

from community.members.permissions import verified_members
from community.posts.hashtags import hashtags_find, normalise
from core.renditions import picture_html

# After a space, a line start or punctuation: @ and 3 to 30 letters, digits, ".", "-", "_" in any
# script (the username rules of community.members.validators), not ending with a dot.
MENTION = re.compile(r"(?<![\w@/])@([\w.\-]{3,30})(?<!\.)", re.UNICODE)
MAX_MENTIONS = 10

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "img",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "picture", "source",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},  # class: "mention", "hashtag"
    "img": {"src", "alt", "title", "width", "height", "loading", "decoding"},
    "source": {"type", "srcset", "sizes"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}


def mentioned_usernames(text):
    """Lower-cased usernames @mentioned in `text`, in order, at most MAX_MENTIONS."""
    seen = []
    for name in MENTION.findall(text):
        name = name.lower()
        if name not in seen:
            seen.append(name)
    return seen[:MAX_MENTIONS]


def _mention_rule(known):
    """A markdown-it core rule: text outside code and links, "@name" of a known member -> a link."""

    def rule(state):
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            children, out, link_depth = block.children, [], 0
            for token in children:
                if token.type == "link_open":
                    link_depth += 1
                elif token.type == "link_close":
                    link_depth -= 1
                if token.type != "text" or link_depth or "@" not in token.content:
                    out.append(token)
                    continue
                position = 0
                for match in MENTION.finditer(token.content):
                    username = match.group(1).lower()
                    if username not in known:
                        continue
                    if match.start() > position:
                        out.append(_text(token.content[position:match.start()]))
                    link = Token("link_open", "a", 1)
                    link.attrs = {"href": known[username], "class": "mention"}
                    out += [link, _text(match.group(0)), Token("link_close", "a", -1)]
                    position = match.end()
                if position < len(token.content):
                    out.append(_text(token.content[position:]))
            block.children = out

    return rule


def _hashtag_rule(state):
    """A markdown-it core rule: #hashtags in text outside code and links -> links to their pages."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out, link_depth = [], 0
        for token in block.children:
            if token.type == "link_open":
                link_depth += 1
            elif token.type == "link_close":
                link_depth -= 1
            if token.type != "text" or link_depth or "#" not in token.content:
                out.append(token)
                continue
            text = normalise(token.content)
            position = 0
            for tag in hashtags_find(text):
                if tag.too_long:
                    continue
                if tag.start > position:
                    out.append(_text(text[position:tag.start]))
                link = Token("link_open", "a", 1)
                link.attrs = {"href": reverse("posts:tag", args=[tag.key]), "class": "hashtag"}
                out += [link, _text(text[tag.start:tag.end]), Token("link_close", "a", -1)]
                position = tag.end
            if position < len(text):
                out.append(_text(text[position:]))
        block.children = out


def _text(content):
    token = Token("text", "", 0)
    token.content = content
    return token


# Percent-encoded dots, slashes and backslashes, backslashes and empty segments: never in the
# addresses the storage gives uploads, and the ways a path walks out of the uploads folder.
SUSPECT_IN_ADDRESS = re.compile(r"%(?:2e|2f|5c)|\\|//", re.IGNORECASE)


def _upload_name(src):
    """The storage name that `src`, an address of the site's uploads, names; None unless it is a
    plain path inside MEDIA_URL that is already normalised."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or "?" in src or "#" in src or not src.startswith(settings.MEDIA_URL):
        return None
    if SUSPECT_IN_ADDRESS.search(src):
        return None
    name = unquote(src[len(settings.MEDIA_URL):])
    if not name or SUSPECT_IN_ADDRESS.search(name) or any(ord(c) < 32 or c == "\x7f" for c in name):
        return None
    if name.startswith("/") or posixpath.normpath(name) != name or {".", ".."} & set(name.split("/")):
        return None
    return name


def _is_own_upload(src):
    return _upload_name(src) is not None


# How wide a picture in a post is shown: the column is at most about 45rem.
PICTURE_SIZES = "(max-width: 48rem) 100vw, 720px"
FIXED_VALUES = {
    ("img", "loading"): {"lazy"},
    ("img", "decoding"): {"async"},
    ("source", "type"): {"image/avif", "image/webp"},
    ("source", "sizes"): {PICTURE_SIZES},
}
SRCSET_CANDIDATE = re.compile(r"\s*(\S+) \d{1,5}w\s*")


def _own_srcset(value):
    candidates = value.split(",")
    return all((m := SRCSET_CANDIDATE.fullmatch(c)) and _is_own_upload(m.group(1)) for c in candidates)


def _attribute_filter(tag, attribute, value):
    if tag == "img" and attribute == "src" and not _is_own_upload(value):
        return None
    if (tag, attribute) in FIXED_VALUES and value not in FIXED_VALUES[tag, attribute]:
        return None
    if attribute in ("width", "height") and not (value.isdigit() and len(value) <= 5):
        return None
    if attribute == "srcset" and not _own_srcset(value):
        return None
    if tag == "a" and attribute == "class" and value not in ("mention", "hashtag"):
        return None
    if tag in ("th", "td") and attribute == "style" and value not in ("text-align:left", "text-align:center", "text-align:right"):
        return None
    return value


def pictures_for_markdown(text):
    """{address: Upload} of the members' uploads the Markdown `text` shows (one query, none when
    it shows no picture), for render_markdown."""
    from .models import Upload

    names = {_upload_name(src) for src in re.findall(r"!\[[^\]]*\]\(\s*<?([^\s)>]+)", text)} - {None}
    if not names:
        return {}
    return {upload.file.url: upload for upload in Upload.objects.filter(file__in=names)}


def _renderer(known, pictures=None, *, hashtags=True):
    md = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(["table", "strikethrough"])
    md.core.ruler.push("mentions", _mention_rule(known))
    if hashtags:
        md.core.ruler.push("hashtags", _hashtag_rule)
    # Only an existing upload is shown; an image from elsewhere is a link to it: the site never loads
    # outside pictures, nor any of its own pages as a picture.
    default_image = md.renderer.rules.get("image")

    def image(renderer, tokens, idx, options, env):
        token = tokens[idx]
        src = token.attrGet("src") or ""
        upload = (pictures or {}).get(src)
        if upload is not None and upload.width and upload.height:
            alt = renderer.renderInlineAsText(token.children or [], options, env)
            title = token.attrGet("title")
            html = picture_html(upload.file.storage, upload.file.name, upload.width, upload.height, upload.renditions,
                                alt=alt, sizes=PICTURE_SIZES)
            return html.replace("<img ", f'<img title="{escape(title)}" ', 1) if title else html
        if upload is not None:
            return default_image(tokens, idx, options, env)
        alt = renderer.renderInlineAsText(token.children or [], options, env) or src
        if urlsplit(src).scheme in ("http", "https") and urlsplit(src).netloc:
            return f'<a href="{md.utils.escapeHtml(src)}">{md.utils.escapeHtml(alt)}</a>'
        # Not an upload that exists (or a path made to look like one): its words, nothing to load.
        return md.utils.escapeHtml(alt)

    md.add_render_rule("image", image)
    return md


def members_for_mentions(text):
    """{username: profile url} of the existing, active, verified members @mentioned in `text` (one
    query): a mention links only to a profile anyone can see (community.members.permissions)."""
    names = mentioned_usernames(text)
    if not names:
        return {}
    rows = verified_members().filter(username__in=names)
    return {member.username: reverse("members:profile", kwargs={"username": member.username}) for member in rows}


def render_markdown(text, known_members=None, pictures=None):
    """Safe HTML for a post's Markdown. `known_members` maps usernames to profile URLs (from
    members_for_mentions); mentions of anyone else stay plain text. `pictures` maps upload
    addresses to their Upload rows (from pictures_for_markdown), shown with their renditions."""
    html = _renderer(known_members or {}, pictures).render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def count_links(text):
    """How many links a post's Markdown makes (for the new members' link limit); hashtags, which
    only lead to the site's own hashtag pages, do not count."""
    html = _renderer({}, hashtags=False).render(text)
    return html.count("<a ")


# The line a quote starts with ("@name:", see views.posting: Quote), left out with the quote itself.
QUOTE_INTRO = re.compile(r"@[\w.\-]{3,30}:", re.UNICODE)


def plain_words(text):
    """The member's own words in a post's Markdown, as plain text on one line: no Markdown syntax,
    no quotes of others (block quotes and the "@name:" line that introduces one), no code blocks
    and no pictures; a link keeps its text. For snippets such as the replies listed on a profile."""
    md = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(["table", "strikethrough"])
    tokens = md.parse(text)
    paragraphs, depth = [], 0
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
        if depth or token.type != "inline":
            continue
        words = "".join(
            child.content if child.type in ("text", "code_inline") else " " if child.type in ("softbreak", "hardbreak") else ""
            for child in token.children or []
        )
        words = " ".join(words.split())
        following = tokens[index + 2].type if index + 2 < len(tokens) else None  # after paragraph_close
        if following == "blockquote_open" and QUOTE_INTRO.fullmatch(words):
            continue
        if words:
            paragraphs.append(words)
    return " ".join(paragraphs)
