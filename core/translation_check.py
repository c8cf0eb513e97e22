"""The translation check run by CI (`manage.py check_translations`, a step in .ci/run):

1. every entry of locale/{el,nb,hu} and locale_admin/{el,nb,hu} is translated and not fuzzy; and
   every admin string of wagtail-localize (its translation editor, sync, convert to alias, locales)
   is translated somewhere: its own catalogues, Wagtail's or Django's, or ours;
2. each translation keeps the msgid's placeholders (%(x)s, %s, {x}) and HTML tags;
3. the catalogues are not stale: makemessages, run over a temporary copy of the sources, finds
   exactly the msgids the committed locale/<lang>/django.po holds;
4. no template of ours holds user-visible text outside {% translate %} / {% blocktranslate %}
   (text between tags, and the alt, title, placeholder, aria-label attributes).

Each part is a function returning a list of problems (strings), so tests can run them over small
fixture catalogues and templates.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.template.base import tag_re

from core.catalogues import BASE_DIR, CHECKED_LANGUAGES, catalogue_problems

# What makemessages is run with (the same as made the catalogues; see the README's language section).
MAKEMESSAGES_IGNORE = [".venv/*", ".cache/*", "staticfiles/*", "tests/*"]
# Directories of ours that hold templates; everything else (the venv, tests' fixtures) is not ours.
SOURCE_DIRS = ("website", "content", "insights", "engagement", "referrals", "community", "shop", "core")
COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "node_modules", "media")


# --- 1 and 2: the .po files ------------------------------------------------------------------------

def catalogue_paths(base_dir=BASE_DIR, languages=CHECKED_LANGUAGES):
    """The catalogues that must be complete: ours for each language, and the admin supplement
    where there is one (Wagtail's own Hungarian is nearly complete, so locale_admin/hu may be absent),
    with its JavaScript catalogue (djangojs.po) where there is one."""
    base_dir = Path(base_dir)
    paths, missing = [], []
    for lang in languages:
        ours = base_dir / "locale" / lang / "LC_MESSAGES" / "django.po"
        (paths if ours.exists() else missing).append(ours)
        for domain in ("django", "djangojs"):
            admin = base_dir / "locale_admin" / lang / "LC_MESSAGES" / f"{domain}.po"
            if admin.exists():
                paths.append(admin)
    return paths, missing


def check_catalogues(base_dir=BASE_DIR, languages=CHECKED_LANGUAGES, packages=None):
    """Parts 1 and 2, and the admin strings of the packages editors work in (ADMIN_PACKAGES)."""
    problems = _check_po_files(base_dir, languages)
    problems.extend(check_admin_packages(base_dir, languages, packages=packages))
    return problems


def _check_po_files(base_dir, languages):
    paths, missing = catalogue_paths(base_dir, languages)
    problems = [f"{path}: missing" for path in missing]
    for path in paths:
        try:
            found = catalogue_problems(path)
        except (OSError, ValueError) as exc:  # polib raises OSError/ValueError on a broken file
            problems.append(f"{path}: cannot be read: {exc}")
            continue
        problems.extend(f"{path.relative_to(base_dir)}: {p}" for p in found)
    return problems


# --- 1, continued: the admin strings of the packages editors use ------------------------------------

# Packages whose admin screens editors work in, with their gettext domains: wagtail-localize's
# translation editor is a JavaScript app (djangojs, served by its own JavaScriptCatalog, which reads
# LOCALE_PATHS too), the rest its Django views and templates. Their source strings are the English
# catalogue each ships (locale/en/LC_MESSAGES/<domain>.po).
ADMIN_PACKAGES = {
    "wagtail_localize": ("django", "djangojs"),
    "wagtail_localize.locales": ("django",),
}
# Strings of those packages no editor sees.
ADMIN_NOT_SHOWN = {
    "Dummy translator",  # the name of a machine translator for development only
}


def _key(msgctxt, msgid):
    return (msgctxt or "", msgid)


def package_msgids(package, domain):
    """{(msgctxt, msgid): msgid_plural} of a package's source catalogue (its English one)."""
    import importlib

    module = importlib.import_module(package)
    path = Path(module.__file__).parent / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return {}
    return {_key(e.msgctxt, e.msgid): e.msgid_plural for e in polib.pofile(str(path)) if e.msgid and not e.obsolete}


def _mo_keys(catalogue):
    keys = set()
    for key, value in catalogue.items():
        if not value:
            continue
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:
            continue  # the header
        context, _sep, text = msgid.rpartition("\x04")
        keys.add(_key(context, text))
    return keys


def translated_elsewhere(language, domain):
    """The (msgctxt, msgid) keys translated into `language` by Django's or an installed app's
    compiled catalogue: what gettext finds besides our own catalogues."""
    import gettext

    import django
    from django.apps import apps
    from django.utils.translation import to_locale

    directories = [Path(django.__file__).parent / "conf" / "locale"]
    directories += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    keys = set()
    for directory in directories:
        if not directory.is_dir():
            continue
        found = gettext.translation(domain, str(directory), [to_locale(language)], fallback=True)
        if isinstance(found, gettext.GNUTranslations):
            keys |= _mo_keys(found._catalog)
    return keys


def translated_by_us(base_dir, language, domain):
    """The (msgctxt, msgid) keys our catalogues (locale/, locale_admin/) translate, from the .po files."""
    keys = set()
    for directory in ("locale", "locale_admin"):
        path = Path(base_dir) / directory / language / "LC_MESSAGES" / f"{domain}.po"
        if path.exists():
            keys |= {_key(e.msgctxt, e.msgid) for e in polib.pofile(str(path))
                     if e.msgid and not e.obsolete and not e.fuzzy and e.translated()}
    return keys


def check_admin_packages(base_dir=BASE_DIR, languages=CHECKED_LANGUAGES, packages=None):
    """Every string of ADMIN_PACKAGES an editor sees is translated into each language somewhere:
    the package's own catalogue, another app's (Wagtail's, Django's), or ours. What none has goes
    into locale_admin/<lang>/LC_MESSAGES/<domain>.po."""
    packages = ADMIN_PACKAGES if packages is None else packages
    problems = []
    for package, domains in packages.items():
        for domain in domains:
            sources = {key: plural for key, plural in package_msgids(package, domain).items()
                       if key[1] not in ADMIN_NOT_SHOWN}
            for language in languages:
                known = translated_elsewhere(language, domain) | translated_by_us(base_dir, language, domain)
                for context, msgid in sorted(set(sources) - known):
                    label = (f"[{context}] " if context else "") + repr(msgid[:80])
                    problems.append(f"{package} ({domain}, {language}): untranslated in every catalogue: {label} "
                                    f"(add it to locale_admin/{language}/LC_MESSAGES/{domain}.po)")
    return problems


# --- 3: stale catalogues --------------------------------------------------------------------------

def entry_key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def msgids(po_path):
    return {entry_key(e) for e in polib.pofile(str(po_path)) if e.msgid and not e.obsolete}


def fresh_msgids(base_dir=BASE_DIR, language="el"):
    """The msgids makemessages finds in the sources now: it runs in a temporary copy of the project
    (never writing into locale/), with the same options as made the catalogues."""
    base_dir = Path(base_dir)
    with tempfile.TemporaryDirectory(prefix="makemessages-") as tmp:
        copy = Path(tmp) / "src"
        copy.mkdir()
        for item in base_dir.iterdir():
            if item.name.startswith(".") or item.name in ("var", "staticfiles", "media", "tests", "locale",
                                                          "locale_admin", "node_modules"):
                continue
            if item.is_dir():
                shutil.copytree(item, copy / item.name, ignore=COPY_IGNORE)
            else:
                shutil.copy2(item, copy / item.name)
        (copy / "locale").mkdir()
        command = [sys.executable, "manage.py", "makemessages", "-l", language, "--add-location", "file",
                   "--no-wrap"]
        for pattern in MAKEMESSAGES_IGNORE:
            command += ["-i", pattern]
        subprocess.run(command, cwd=copy, check=True, capture_output=True, text=True,  # noqa: S603 (our own argv)
                       env={**_clean_env(), "DJANGO_SETTINGS_MODULE": "website.settings.dev"})
        return msgids(copy / "locale" / language / "LC_MESSAGES" / "django.po")


def _clean_env():
    import os

    env = dict(os.environ)
    # The copy must not read or write the developer's database or cache.
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    return env


def check_stale(base_dir=BASE_DIR, languages=CHECKED_LANGUAGES, fresh=None):
    """Differences between the sources' msgids (`fresh`, or makemessages' now) and each committed
    catalogue's."""
    base_dir = Path(base_dir)
    if fresh is None:
        if not shutil.which("xgettext"):
            return ["stale check: xgettext (GNU gettext) is not installed; .ci/run installs it"]
        fresh = fresh_msgids(base_dir)
    problems = []
    for lang in languages:
        path = base_dir / "locale" / lang / "LC_MESSAGES" / "django.po"
        if not path.exists():
            continue
        committed = msgids(path)
        for key in sorted(fresh - committed)[:50]:
            problems.append(f"{path.relative_to(base_dir)}: stale: missing msgid {key[1][:80]!r} (run makemessages)")
        for key in sorted(committed - fresh)[:50]:
            problems.append(f"{path.relative_to(base_dir)}: stale: msgid no longer in the sources {key[1][:80]!r}")
    return problems


# --- 4: unmarked template text --------------------------------------------------------------------

# Text that is not language: symbols, numbers, and the few words that are the same in every
# language (names, formats, codes). Compared after whitespace is collapsed.
ALLOWED_TEXT = {
    "RSS", "Atom", "JSON", "CSV", "QR", "URL", "HTML", "ID", "OK", "htmx", "Wagtail", "Django",
    "Google", "Apple", "Facebook", "Instagram", "TikTok", "Pinterest", "X", "WhatsApp", "Telegram",
    "Messenger", "E-mail", "e.g.", "px", "Nu", "axe",
}
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "aria-roledescription"}
SKIP_CONTENT = {"script", "style", "pre", "code"}
TRANSLATING_BLOCKS = {"translate", "trans", "blocktranslate", "blocktrans"}
MARK = "\x00"
LETTER_RE = re.compile(r"[^\W\d_]")


def _template_text(source):
    """The template's source with every template tag and variable replaced by a marker (keeping
    line numbers), comments and {% blocktranslate %} bodies and {% verbatim %} blocks removed."""
    out = []
    pos = 0
    skip_until = None  # the closing tag name we are skipping to
    for match in tag_re.finditer(source):
        text = source[pos:match.start()]
        out.append(MARK * bool(text) if skip_until else text)
        if skip_until:
            out.append("\n" * text.count("\n"))
        raw = match.group(0)
        pos = match.end()
        newlines = "\n" * raw.count("\n")
        if raw.startswith("{%"):
            bits = raw[2:-2].split()
            name = bits[0] if bits else ""
            if skip_until:
                if name == skip_until:
                    skip_until = None
                out.append(MARK + newlines)
                continue
            if name in ("blocktranslate", "blocktrans"):
                skip_until = "end" + name
            elif name == "comment":
                skip_until = "endcomment"
            elif name == "verbatim":
                skip_until = "endverbatim"
        out.append(MARK + newlines)
    tail = source[pos:]
    out.append(tail if not skip_until else "\n" * tail.count("\n"))
    # A tag or variable where a tag name goes (<{{ level }} ...>) stands for a name; anywhere else
    # for a space, so that <div{% if x %} hidden{% endif %}> still parses as a tag.
    text = re.sub(r"(</?)" + MARK, r"\1x", "".join(out))
    return text.replace(MARK, " ")


class _TextFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []  # (line, text)
        self.skipping = []

    def _note(self, text):
        cleaned = " ".join(text.replace(MARK, " ").split())
        words = [word for word in cleaned.split() if word.strip(".,:;!?()[]«»\"'") not in ALLOWED_TEXT]
        if any(LETTER_RE.search(word) for word in words):
            self.found.append((self.getpos()[0], cleaned))

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_CONTENT:
            self.skipping.append(tag)
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self._note(value)
        if tag == "input":
            attributes = dict(attrs)
            if attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
                self._note(attributes["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIP_CONTENT and self.skipping:
            self.skipping.pop()

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self._note(data)


def unmarked_text(source):
    """(line, text) for each piece of user-visible text in a template not marked for translation."""
    finder = _TextFinder()
    finder.feed(_template_text(source))
    finder.close()
    return finder.found


def our_templates(base_dir=BASE_DIR):
    base_dir = Path(base_dir)
    for top in SOURCE_DIRS:
        for path in sorted((base_dir / top).glob("**/templates/**/*")):
            if path.is_file() and path.suffix in (".html", ".txt", ".xml"):
                yield path


def check_templates(base_dir=BASE_DIR, paths=None):
    base_dir = Path(base_dir)
    problems = []
    for path in paths if paths is not None else our_templates(base_dir):
        for line, text in unmarked_text(Path(path).read_text(encoding="utf-8")):
            try:
                shown = Path(path).relative_to(base_dir)
            except ValueError:
                shown = path
            problems.append(f"{shown}:{line}: text not marked for translation: {text[:80]!r}")
    return problems
