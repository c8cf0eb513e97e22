"""The language walk: under /el/, /nb/ and /hu/, the pages a new member sees first (home, forum
index, a topic, new topic, sign-up, log-in, /me/, notifications, a blog post, a product, search,
404) hold no English interface string, and every piece of text carries the right lang.

Each page's visible text (text between tags, and alt, title, placeholder, aria-label and button
values) is cut into pieces, each with the language its element declares (lang, inherited). A
piece of the translated page is "English left" when it is one of our catalogue's msgids, the
English page shows it too, and the catalogue translates it into something else. A piece inside a
lang="en" element (a page not translated yet, marked so) is content and is not compared; every lang
attribute must name one of the site's languages. Nu and axe check the same pages in every language
(tests/pagecheck.py lists them: WALK_PAGES).

This passes once the Greek, Norwegian and Hungarian catalogues are complete (the translators'
branches); until then it lists the English left on each page.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

from tests import pagecheck

pytestmark = pytest.mark.django_db
LANGUAGES = ("el", "nb", "hu")
SKIP = {"script", "style", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
PLACEHOLDER_RE = re.compile(r"%\([^)]+\)[sd]|%[sd]")
# What members wrote (a post's body): their words, in whatever language, not the interface.
MEMBER_CONTENT = {"post-body"}


class _Pieces(HTMLParser):
    """(lang, text) for every piece of visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, lang)
        self.pieces = []
        self.content = []  # stack depths where members' own text starts

    @property
    def lang(self):
        return self.stack[-1][1] if self.stack else ""

    def _add(self, lang, text):
        text = " ".join(text.split())
        if text and re.search(r"[^\W\d_]", text):
            self.pieces.append((lang, text))

    def _skipping(self):
        return bool(self.content) or any(t in SKIP for t, _ in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang") or self.lang
        if tag not in VOID and MEMBER_CONTENT & set((attributes.get("class") or "").split()):
            self.content.append(len(self.stack))
        if not self._skipping():
            for name in ATTRIBUTES:
                if attributes.get(name):
                    self._add(lang, attributes[name])
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self._add(lang, attributes["value"])
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                self.content = [depth for depth in self.content if depth < len(self.stack)]
                break

    def handle_data(self, data):
        if not self._skipping():
            self._add(self.lang, data)


def pieces(html):
    parser = _Pieces()
    parser.feed(html)
    parser.close()
    return parser.pieces


class Catalogue:
    """Our msgids, and what the language's catalogue makes of each."""

    def __init__(self, code):
        self.exact = {}
        self.patterns = []
        path = Path(settings.BASE_DIR) / "locale" / code / "LC_MESSAGES" / "django.po"
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgid or "<" in entry.msgid:
                continue
            translated = entry.msgstr if not entry.msgid_plural else entry.msgstr_plural.get(1, "")
            for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                if PLACEHOLDER_RE.search(msgid):
                    words = PLACEHOLDER_RE.sub("", msgid)
                    if len(re.findall(r"[^\W\d_]{3,}", words)) >= 2:  # enough text to be recognised
                        self.patterns.append((re.compile(self._regex(msgid)), translated))
                else:
                    self.exact[msgid] = translated

    @staticmethod
    def _regex(msgid):
        out, position = [], 0
        for match in PLACEHOLDER_RE.finditer(msgid):
            out.append(re.escape(msgid[position:match.start()]))
            out.append(".+?")
            position = match.end()
        out.append(re.escape(msgid[position:]))
        return "".join(out)

    def english_left(self, text):
        """True when `text` is an English msgid of ours that the catalogue translates otherwise."""
        if text in self.exact:
            return self.exact[text] != text
        return any(pattern.fullmatch(text) and translated != text and not pattern.fullmatch(translated)
                   for pattern, translated in self.patterns)


@pytest.fixture(scope="module")
def catalogues():
    return {code: Catalogue(code) for code in LANGUAGES}


@pytest.fixture
def walk(db):
    member = pagecheck.make_page_member()
    pagecheck.prepare(pagecheck.WALK_PAGES)
    pagecheck.index_live_pages()
    return member


def fetch(client, page, username, prefix=""):
    response = client.get(prefix + page.url(username))
    assert response.status_code == page.status, (prefix + page.url(username), response.status_code)
    return response.content.decode()


def test_no_english_interface_string_is_left_under_el_nb_hu(walk, catalogues):
    anonymous, member = Client(), Client()
    member.force_login(walk)
    problems = []
    for page in pagecheck.WALK_PAGES:
        client = member if page in pagecheck.WALK_MEMBER_PAGES else anonymous
        english = {text for lang, text in pieces(fetch(client, page, walk.username)) if lang in ("", "en")}
        for code in LANGUAGES:
            html = fetch(client, page, walk.username, f"/{code}")
            assert f'<html lang="{code}"' in html
            catalogue = catalogues[code]
            for lang, text in pieces(html):
                if lang == code and text in english and catalogue.english_left(text):
                    problems.append(f"/{code}{page.url(walk.username)}: English left: {text!r}")
            # Every lang names a language of the site (content not translated yet says "en").
            for declared in set(re.findall(r'\slang="([^"]*)"', html)):
                if declared not in dict(settings.LANGUAGES):
                    problems.append(f"/{code}{page.url(walk.username)}: unknown lang={declared!r}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems))[:200])


def test_the_walk_sees_text_and_languages():
    """The walk's parser: inherited lang, attributes, skipped scripts."""
    html = ('<html lang="el"><body><h1>Φόρουμ</h1><div lang="en"><p>Our <b>story</b></p></div>'
            '<img alt="Λογότυπο"><script>var x = "Forum";</script><input type="submit" value="Send"></body></html>')
    assert pieces(html) == [("el", "Φόρουμ"), ("en", "Our"), ("en", "story"), ("el", "Λογότυπο"), ("el", "Send")]


def test_the_walk_finds_english_left_with_a_fixture_catalogue(tmp_path, settings):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Latest activity", msgstr="Τελευταία δραστηριότητα"))
    po.append(polib.POEntry(msgid="Blog", msgstr="Blog"))  # the same word on purpose
    po.append(polib.POEntry(msgid="%(count)s topics in all", msgstr="%(count)s θέματα συνολικά", flags=["python-format"]))
    (tmp_path / "locale" / "el" / "LC_MESSAGES").mkdir(parents=True)
    po.save(str(tmp_path / "locale" / "el" / "LC_MESSAGES" / "django.po"))
    settings.BASE_DIR = tmp_path
    catalogue = Catalogue("el")
    assert catalogue.english_left("Latest activity")
    assert not catalogue.english_left("Τελευταία δραστηριότητα")
    assert not catalogue.english_left("Blog")
    assert catalogue.english_left("12 topics in all")
    assert not catalogue.english_left("12 θέματα συνολικά")
