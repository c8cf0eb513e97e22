"""Hashtags: what counts as one in a caption (or a forum post), and the key it is looked up by.

Pure functions without models or queries, so the forum's Markdown rendering can link hashtags
too (community.forum.markup imports this module; this module imports nothing of the forum).

The rules (tests/posts/test_hashtags.py walks a table of them):

1. The text is first normalised to NFC, so "e" + a combining acute and "é" are the same letter.
2. A hashtag is `#` followed by one or more *tag characters*: Unicode letters (categories L*),
   combining marks (M*, needed by Devanagari, Thai, Hebrew points...), decimal digits (Nd) and
   the underscore. `#été`, `#καλοκαίρι`, `#sommerlook`, `#nyár`, `#夏`, `#ss24`, `#my_look` work.
3. At least one of them must be a letter: `#1`, `#2024` and "item #42" are not hashtags.
4. Anything else ends the hashtag, a hyphen or an apostrophe included: `#summer-look` is the tag
   `summer` followed by the text "-look" (as on Instagram and X). Write `#summer_look` instead.
5. The `#` must start a word: at the start of the text, after white space, or after punctuation
   other than `# & / @ . : = ? % + ~ \\` and tag characters. So `##x`, `x#y`, `&#39;` and a lone
   `#` are not hashtags.
6. A `#` inside a web address is not a hashtag: anything from `http://`, `https://` or `www.` to the
   next white space is an address (`https://example.com/page#section`).
7. Hashtags are case-insensitive: each has a *key*, its name case-folded (Unicode default
   case folding, no locale tailoring) and normalised to NFC again. `#Été` and `#ÉTÉ` are one tag;
   German `#Straße` and `#STRASSE` are one tag (ß folds to "ss"); Greek final sigma folds to σ.
   Turkish dotted and dotless i stay apart (`#ılık` is not `#ilik`, and `#İzmir` folds to
   "i̇zmir", not "izmir"), because default folding keeps them apart and they are different words.
   Accents are kept: `#été` is not `#ete`.
8. A tag is shown as it was first written anywhere on the site (Hashtag.name); later spellings
   with other capitals find the same tag.
9. A caption may carry at most MAX_PER_TEXT (30) different hashtags, each at most MAX_LENGTH
   (100) characters without the `#`. A caption over either limit is refused with a message
   (hashtags_validate); the forum simply does not link an over-long one.
"""

import re
import unicodedata
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_PER_TEXT = 30
MAX_LENGTH = 100  # community.posts.models.HASHTAG_MAX
NOT_BEFORE = set("#&/@.:=?%+~\\")
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


class Found(NamedTuple):
    name: str  # as written (NFC), without the "#"
    key: str  # hashtag_key(name)
    start: int  # index of the "#" in the NFC text
    end: int  # index after the last tag character

    @property
    def too_long(self):
        return len(self.name) > MAX_LENGTH


def is_tag_char(char):
    return char == "_" or unicodedata.category(char)[0] in "LM" or unicodedata.category(char) == "Nd"


def hashtag_key(name):
    """The key a hashtag is looked up by: NFC, case-folded, NFC again; without a leading "#"."""
    name = name[1:] if name.startswith("#") else name
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def normalise(text):
    return unicodedata.normalize("NFC", text or "")


def hashtags_find(text):
    """Every hashtag in `text` (already NFC: see normalise), in order, repeats and over-long ones
    included, as Found(name, key, start, end) with positions in `text`."""
    if "#" not in text:
        return []
    urls = [match.span() for match in URL.finditer(text)]
    found, n = [], len(text)
    position = text.find("#")
    while position != -1:
        end = position + 1
        if not _starts_word(text, position) or any(a <= position < b for a, b in urls):
            position = text.find("#", end)
            continue
        while end < n and is_tag_char(text[end]):
            end += 1
        name = text[position + 1:end]
        if name and any(unicodedata.category(c)[0] == "L" for c in name):
            found.append(Found(name, hashtag_key(name), position, end))
        position = text.find("#", end)
    return found


def _starts_word(text, position):
    if position == 0:
        return True
    before = text[position - 1]
    return before not in NOT_BEFORE and not is_tag_char(before)


def hashtags_parse(text):
    """The distinct hashtags of `text`, in the order first written: [(name, key)] (the first
    spelling of each key wins). Over-long ones are left out (hashtags_validate refuses them)."""
    seen, out = set(), []
    for tag in hashtags_find(normalise(text)):
        if tag.key not in seen and not tag.too_long:
            seen.add(tag.key)
            out.append((tag.name, tag.key))
    return out


def hashtags_validate(text):
    """ValidationError for a text with a hashtag over MAX_LENGTH characters or with more than
    MAX_PER_TEXT different hashtags; else the hashtags as hashtags_parse gives them."""
    found = hashtags_find(normalise(text))
    too_long = [tag for tag in found if tag.too_long]
    if too_long:
        raise ValidationError(
            _("The hashtag #%(start)s… is %(length)d characters long; a hashtag may have at most %(max)d.")
            % {"start": too_long[0].name[:20], "length": len(too_long[0].name), "max": MAX_LENGTH},
            code="hashtag_too_long",
        )
    keys = {tag.key for tag in found}
    if len(keys) > MAX_PER_TEXT:
        raise ValidationError(
            ngettext("This has %(count)d different hashtags; at most %(max)d are allowed.",
                     "This has %(count)d different hashtags; at most %(max)d are allowed.", len(keys))
            % {"count": len(keys), "max": MAX_PER_TEXT},
            code="too_many_hashtags",
        )
    return hashtags_parse(text)
