"""The translation catalogues: building the .mo files, and the checks CI runs over the .po files.

The .mo files are not committed: `make` (install, run, test) builds each one from its .po with
polib, so a machine with only Python and make gets them (no GNU gettext needed). By hand:

    .venv/bin/python -m core.catalogues            # build every .mo that is missing or older than its .po
    .venv/bin/python -m core.catalogues --force    # rebuild them all

Two catalogue directories (settings.LOCALE_PATHS, the first wins):
- locale/<lang>/LC_MESSAGES/django.po: our own strings, made by makemessages;
- locale_admin/<lang>/LC_MESSAGES/django.po: the Wagtail admin strings Wagtail's own catalogues lack
  (written by hand; makemessages never touches it); and djangojs.po beside it, the strings of
  wagtail-localize's translation editor (a JavaScript app) its own catalogues lack.

This module imports neither Django nor the project's settings, so the build runs before anything
is configured. The checks that need Django (stale catalogues, unmarked template text) are in
core.translation_check.
"""

import os
import re
import sys
from collections import Counter
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
CATALOGUE_DIRS = ("locale", "locale_admin")
CHECKED_LANGUAGES = ("el", "nb", "hu")


def po_files(base_dir=BASE_DIR, dirs=CATALOGUE_DIRS):
    """Every django.po and djangojs.po under the catalogue directories, in a stable order."""
    found = []
    for name in dirs:
        found.extend(sorted(path for pattern in ("django.po", "djangojs.po")
                            for path in (Path(base_dir) / name).glob(f"*/LC_MESSAGES/{pattern}")))
    return found


def build_mo(po_path, force=False):
    """Compile one .po into the .mo beside it; return True when it was (re)built."""
    po_path = Path(po_path)
    mo_path = po_path.with_suffix(".mo")
    if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    catalogue = polib.pofile(str(po_path))
    # A fuzzy entry is a guess waiting for review: like msgfmt, leave it out of the .mo (polib's
    # save_as_mofile already skips obsolete entries and, since 1.2, fuzzy ones; filter anyway).
    for entry in list(catalogue):
        if entry.fuzzy and entry.msgid:
            catalogue.remove(entry)
    tmp = mo_path.with_name(f".{mo_path.name}.{os.getpid()}.tmp")
    catalogue.save_as_mofile(str(tmp))
    tmp.replace(mo_path)  # never a half-written .mo in use
    return True


def build_all(base_dir=BASE_DIR, force=False):
    return [path for path in po_files(base_dir) if build_mo(path, force=force)]


# --- checks over the .po files -----------------------------------------------------------------

PERCENT_RE = re.compile(r"%(?:\((?P<name>[^)]+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcou%]")
BRACE_RE = re.compile(r"(?<!\{)\{(?P<field>[A-Za-z_][A-Za-z0-9_]*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def placeholders(text, entry_flags=()):
    """What a translation must carry over unchanged: printf placeholders (%(name)s, %s, %d),
    brace fields ({name}, {0}) when the entry is brace-formatted, and HTML tags (attributes
    normalised for whitespace). A Counter, so a doubled or dropped %s shows."""
    found = Counter()
    for match in PERCENT_RE.finditer(text):
        if match.group(0) == "%%":
            continue
        found["printf " + match.group(0)] += 1
    if "python-brace-format" in entry_flags or BRACE_RE.search(text):
        for match in BRACE_RE.finditer(text):
            found["brace " + match.group(0)] += 1
    for match in TAG_RE.finditer(text):
        found["tag " + " ".join(match.group(0).split())] += 1
    return found


def entry_problems(entry):
    """Problems with one catalogue entry: untranslated, fuzzy, or placeholders that differ."""
    if entry.obsolete or not entry.msgid:
        return []
    label = (f"[{entry.msgctxt}] " if entry.msgctxt else "") + repr(entry.msgid[:80])
    if entry.fuzzy:
        return [f"fuzzy: {label}"]
    if entry.msgid_plural:
        forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        if not forms or any(not form.strip() for form in forms):
            return [f"untranslated: {label}"]
    elif not entry.msgstr.strip():
        return [f"untranslated: {label}"]

    if "python-format" not in entry.flags:
        # Without the flag gettext never interpolates: a lone % is text (e.g. "100%"). Tags still count.
        def expected(text):
            return Counter({k: v for k, v in placeholders(text, entry.flags).items() if not k.startswith("printf ")})
    else:
        def expected(text):
            return placeholders(text, entry.flags)

    problems = []
    if entry.msgid_plural:
        singular, plural = expected(entry.msgid), expected(entry.msgid_plural)
        union = singular | plural
        for index in sorted(entry.msgstr_plural):
            got = expected(entry.msgstr_plural[index])
            if index == 0:
                # The singular form may leave out the count ("one reply") but brings in nothing
                # the English lacks.
                ok = not (got - union)
            else:
                ok = got == plural
            if not ok:
                problems.append(f"placeholders differ in form {index}: {label}: "
                                f"{sorted(union)} vs {sorted(got)}")
    else:
        want, got = expected(entry.msgid), expected(entry.msgstr)
        if want != got:
            problems.append(f"placeholders differ: {label}: {sorted(want)} vs {sorted(got)}")
    return problems


def catalogue_problems(po_path):
    catalogue = polib.pofile(str(po_path))
    return [problem for entry in catalogue for problem in entry_problems(entry)]


def main(argv=None):
    """`python -m core.catalogues [--force] [PO ...]`: build the named catalogues (make names the
    ones newer than their .mo), or every one that is missing or out of date."""
    argv = sys.argv[1:] if argv is None else argv
    named = [Path(arg) for arg in argv if not arg.startswith("--")]
    if named:
        built = [path for path in named if build_mo(path, force=True)]
    else:
        built = build_all(force="--force" in argv)
    for path in built:
        print(f"built {path.with_suffix('.mo')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
