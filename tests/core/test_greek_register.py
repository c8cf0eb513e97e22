"""Greek has two ways to say "you": the site speaks to members with the informal εσύ, the admin to
editors with the polite εσείς, as Wagtail's own Greek catalogue does (README, "Languages"). This
flags the other register's pronouns and commonest verb forms, where they can only be addressing the
reader: in a site string, σας / είστε / έχετε / μπορείτε / θέλετε; in an admin string, σου / είσαι /
έχεις / μπορείς / θέλεις. Imperatives are left out (a member writing to the brand says "στείλτε
μου", to a company), and so is any entry used both on the site and in the admin."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

POLITE = re.compile(r"\b(σας|είστε|έχετε|μπορείτε|θέλετε|εσείς|εσάς)\b", re.IGNORECASE)
INFORMAL = re.compile(r"\b(σου|είσαι|έχεις|μπορείς|θέλεις|εσύ|εσένα)\b", re.IGNORECASE)
# Where a string is shown to editors and staff only.
ADMIN = ("/admin/", "admin_views.py", "wagtail_hooks.py", "insights/", "/management/")
# Where a string may be shown to either (model labels and help texts, app names, staff checks).
EITHER = ("models.py", "apps.py", "permissions.py")
EL = Path(settings.BASE_DIR) / "locale" / "el" / "LC_MESSAGES" / "django.po"
EL_ADMIN = Path(settings.BASE_DIR) / "locale_admin" / "el" / "LC_MESSAGES" / "django.po"


def texts(entry):
    return " ".join([entry.msgstr, *entry.msgstr_plural.values()])


def where(entry):
    files = [path for path, _line in entry.occurrences]
    if files and all(any(mark in path for mark in ADMIN) for path in files):
        return "admin"
    if files and not any(any(mark in path for mark in ADMIN + EITHER) for path in files):
        return "site"
    return "either"


def wrong_register(entries):
    found = []
    for entry in entries:
        if not entry.msgid or entry.obsolete:
            continue
        side = where(entry)
        pattern = POLITE if side == "site" else INFORMAL if side == "admin" else None
        if pattern is not None and pattern.search(texts(entry)):
            found.append(f"{side}: {entry.msgid[:70]!r} -> {texts(entry)[:90]!r}")
    return found


@pytest.mark.parametrize(("msgstr", "occurrence", "flagged"), [
    ("Η ερώτησή σας βοηθά τον επόμενο.", "content/templates/content/includes/ask.html", True),
    ("Η ερώτησή σου βοηθά τον επόμενο.", "content/templates/content/includes/ask.html", False),
    ("Ναι, στείλτε μου το newsletter.", "content/newsletter/services.py", False),  # to the brand
    ("Τσέκαρε ό,τι θέλεις να αλλάξεις.", "community/moderation/admin_views.py", True),
    ("Επιλέξτε ό,τι θέλετε να αλλάξετε.", "community/moderation/admin_views.py", False),
    ("Ο λογαριασμός σας", "community/members/models.py", False),  # a label: either side
])
def test_the_register_check(msgstr, occurrence, flagged):
    entry = polib.POEntry(msgid="x", msgstr=msgstr, occurrences=[(occurrence, "")])
    assert bool(wrong_register([entry])) is flagged


def test_site_strings_are_informal_and_admin_strings_polite():
    assert wrong_register(polib.pofile(str(EL))) == []


def test_the_admin_supplement_is_polite_throughout():
    assert [f"{e.msgid[:70]!r} -> {texts(e)[:90]!r}" for e in polib.pofile(str(EL_ADMIN))
            if e.msgid and INFORMAL.search(texts(e))] == []
