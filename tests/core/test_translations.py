"""The catalogues: the .mo build, and the translation check (core/catalogues.py,
core/translation_check.py, `manage.py check_translations`).

The fixture catalogues below prove each part of the check fails when it should and passes when
the catalogue is right; test_the_project_passes_the_check runs it over the real catalogues, and
fails until they are complete."""

import shutil

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from core import catalogues, translation_check
from tests.conftest import skip_or_fail

HEADER = {
    "Content-Type": "text/plain; charset=UTF-8",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
    "Language": "hu",
}


def write_po(path, entries):
    po = polib.POFile()
    po.metadata = HEADER
    for entry in entries:
        po.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


def entry(msgid, msgstr="", **kwargs):
    return polib.POEntry(msgid=msgid, msgstr=msgstr, **kwargs)


def complete_tree(tmp_path, langs=("el", "nb", "hu")):
    for lang in langs:
        write_po(tmp_path / "locale" / lang / "LC_MESSAGES" / "django.po", [
            entry("Forum", "Fórum"),
            entry("Hello, %(name)s!", "Szia, %(name)s!", flags=["python-format"]),
        ])
    return tmp_path


# --- the build ---------------------------------------------------------------------------------

def test_build_makes_a_mo_that_gettext_reads_and_leaves_fuzzy_out(tmp_path):
    po = write_po(tmp_path / "locale" / "hu" / "LC_MESSAGES" / "django.po", [
        entry("Latest activity", "Legutóbbi események"),
        entry("A guess", "Egy tipp", flags=["fuzzy"]),
        polib.POEntry(msgid="%(n)s reply", msgid_plural="%(n)s replies",
                      msgstr_plural={0: "%(n)s válasz", 1: "%(n)s válasz"}, flags=["python-format"]),
    ])
    assert catalogues.build_all(tmp_path) == [po]
    assert catalogues.build_all(tmp_path) == []  # up to date: not rebuilt
    import gettext

    with open(po.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert compiled.gettext("Latest activity") == "Legutóbbi események"
    assert compiled.gettext("A guess") == "A guess"
    assert compiled.ngettext("%(n)s reply", "%(n)s replies", 3) == "%(n)s válasz"


def test_settings_read_both_catalogue_directories_ours_first(settings):
    assert [p.name for p in settings.LOCALE_PATHS] == ["locale", "locale_admin"]


def test_the_built_catalogues_are_in_use():
    """The project's .mo files exist (tests/conftest.py and make build them) and Django loads them:
    the Plural-Forms header of our Hungarian catalogue is the one in force under 'hu'."""
    for path in catalogues.po_files():
        assert path.with_suffix(".mo").exists(), path
    with translation.override("hu"):
        assert translation.get_language() == "hu"
        # Django's own Hungarian is always there; ours must not have broken the merge.
        assert translation.gettext("January") == "január"


# --- untranslated, fuzzy, placeholders ---------------------------------------------------------

def test_complete_catalogues_pass(tmp_path):
    assert translation_check.check_catalogues(complete_tree(tmp_path), packages={}) == []


def test_untranslated_fuzzy_and_missing_catalogues_fail(tmp_path):
    complete_tree(tmp_path, langs=("el", "nb"))
    write_po(tmp_path / "locale" / "el" / "LC_MESSAGES" / "django.po", [
        entry("Forum", ""),
        entry("Topics", "Θέματα", flags=["fuzzy"]),
        polib.POEntry(msgid="%(n)s topic", msgid_plural="%(n)s topics",
                      msgstr_plural={0: "%(n)s θέμα", 1: ""}, flags=["python-format"]),
        entry("Old", "", obsolete=True),  # obsolete entries do not count
    ])
    problems = translation_check.check_catalogues(tmp_path, packages={})
    text = "\n".join(problems)
    assert "untranslated: 'Forum'" in text
    assert "fuzzy: 'Topics'" in text
    assert "untranslated: '%(n)s topic'" in text
    assert "locale/hu/LC_MESSAGES/django.po: missing" in text
    assert "Old" not in text
    assert len(problems) == 4


def test_the_admin_supplement_is_checked_too(tmp_path):
    complete_tree(tmp_path)
    write_po(tmp_path / "locale_admin" / "nb" / "LC_MESSAGES" / "django.po", [entry("Pages", "")])
    assert translation_check.check_catalogues(tmp_path, packages={}) == [
        "locale_admin/nb/LC_MESSAGES/django.po: untranslated: 'Pages'"]


@pytest.mark.parametrize(("msgid", "msgstr", "flags", "ok"), [
    ("Hello, %(name)s!", "Γεια σου, %(name)s!", ["python-format"], True),
    ("Hello, %(name)s!", "Γεια σου, %(nom)s!", ["python-format"], False),
    ("Hello, %(name)s!", "Γεια σου!", ["python-format"], False),
    ("%s of %s", "%s / %s", ["python-format"], True),
    ("%s of %s", "%s", ["python-format"], False),
    ("100% cotton", "100% pamut", [], True),  # not python-format: a percent sign is text
    ("Save {count} items", "Mentés: {count} tétel", ["python-brace-format"], True),
    ("Save {count} items", "Mentés: {szam} tétel", ["python-brace-format"], False),
    ('Read <a href="%(url)s">the rules</a>.', 'Les <a href="%(url)s">reglene</a>.', ["python-format"], True),
    ('Read <a href="%(url)s">the rules</a>.', 'Les <a href="%(url)s" target="_blank">reglene</a>.',
     ["python-format"], False),
    ("Read <strong>this</strong>", "Olvasd el ezt", [], False),
])
def test_placeholders_and_tags_must_match(msgid, msgstr, flags, ok):
    problems = catalogues.entry_problems(entry(msgid, msgstr, flags=flags))
    assert (problems == []) is ok, problems


def test_plural_forms_may_drop_the_count_only_in_the_singular():
    def plural(one, other):
        return polib.POEntry(msgid="%(count)s reply", msgid_plural="%(count)s replies",
                             msgstr_plural={0: one, 1: other}, flags=["python-format"])

    assert catalogues.entry_problems(plural("egy válasz", "%(count)s válasz")) == []
    assert catalogues.entry_problems(plural("%(count)s válasz", "%(count)s válasz")) == []
    assert catalogues.entry_problems(plural("%(count)s válasz", "sok válasz"))
    assert catalogues.entry_problems(plural("%(n)s válasz", "%(count)s válasz"))


# --- stale catalogues --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fresh_msgids():
    if not shutil.which("xgettext"):
        skip_or_fail("xgettext (GNU gettext) is not installed")
    return translation_check.fresh_msgids()


def test_makemessages_runs_in_a_copy_and_finds_our_strings(fresh_msgids):
    keys = {key[1] for key in fresh_msgids}
    assert "Forum" in keys
    assert len(keys) > 1000


def test_a_catalogue_missing_a_source_string_or_keeping_a_removed_one_is_stale(tmp_path, fresh_msgids):
    keys = sorted(fresh_msgids)
    dropped = keys[0]
    entries = []
    for ctxt, msgid, plural in keys[1:]:
        if plural:
            entries.append(polib.POEntry(msgctxt=ctxt or None, msgid=msgid, msgid_plural=plural,
                                         msgstr_plural={0: "x", 1: "y"}))
        else:
            entries.append(polib.POEntry(msgctxt=ctxt or None, msgid=msgid, msgstr="x"))
    entries.append(entry("A string nobody writes any more", "x"))
    write_po(tmp_path / "locale" / "el" / "LC_MESSAGES" / "django.po", entries)
    problems = translation_check.check_stale(tmp_path, languages=("el",), fresh=fresh_msgids)
    assert len(problems) == 2
    assert "missing msgid" in problems[0] and dropped[1][:40] in problems[0]
    assert "no longer in the sources" in problems[1] and "nobody writes" in problems[1]

    # With the dropped string back and the removed one gone, it is current.
    entries = entries[:-1] + [polib.POEntry(msgctxt=dropped[0] or None, msgid=dropped[1], msgid_plural=dropped[2],
                                            **({"msgstr_plural": {0: "x", 1: "y"}} if dropped[2] else {"msgstr": "x"}))]
    write_po(tmp_path / "locale" / "el" / "LC_MESSAGES" / "django.po", entries)
    assert translation_check.check_stale(tmp_path, languages=("el",), fresh=fresh_msgids) == []


# --- template text ----------------------------------------------------------------------------

def test_unmarked_template_text_is_found_with_its_line():
    source = (
        "{% load i18n %}\n"
        "<h1>{% translate \"Forum\" %}</h1>\n"
        "<p>Latest activity</p>\n"
        "{% blocktranslate trimmed count n=n %}{{ n }} topic{% plural %}{{ n }} topics{% endblocktranslate %}\n"
        "<img src=\"{{ src }}\" alt=\"A photo\">\n"
        "<input type=\"submit\" value=\"Send\"> <input type=\"text\" value=\"{{ q }}\">\n"
        "<span title=\"{% translate 'Edited' %}\">·</span> 12 &middot; {{ count }} — RSS\n"
        "{# A note for developers #}{% comment %}Not shown{% endcomment %}\n"
        "<script type=\"application/ld+json\">{\"name\": \"Brand\"}</script>\n"
        "<h{{ level }} class=\"x\">{{ title }}</h{{ level }}>\n"
        "<div{% if hidden %} hidden{% endif %}>by {{ author }}</div>\n"
    )
    assert translation_check.unmarked_text(source) == [
        (3, "Latest activity"), (5, "A photo"), (6, "Send"), (11, "by")]


def test_fixture_templates_fail_and_pass(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("{% load i18n %}<button>Reply</button>", encoding="utf-8")
    good = tmp_path / "good.html"
    good.write_text("{% load i18n %}<button>{% translate 'Reply' %}</button>", encoding="utf-8")
    assert translation_check.check_templates(tmp_path, [bad]) == [
        "bad.html:1: text not marked for translation: 'Reply'"]
    assert translation_check.check_templates(tmp_path, [good]) == []


def test_our_templates_have_no_unmarked_text():
    assert list(translation_check.our_templates())
    assert translation_check.check_templates() == []


# --- the whole check, over the project --------------------------------------------------------

def test_the_project_passes_the_check(capsys):
    """The check CI runs. It fails until the Greek, Norwegian and Hungarian catalogues are complete
    (the translators' branches) and current (every new string merged in)."""
    if not shutil.which("xgettext"):
        skip_or_fail("xgettext (GNU gettext) is not installed")
    try:
        call_command("check_translations", limit=10)
    except CommandError:
        pytest.fail(capsys.readouterr().out)


# --- wagtail-localize's admin strings -----------------------------------------------------------

def test_a_wagtail_localize_string_editors_see_untranslated_everywhere_fails(tmp_path):
    """Its translation editor's strings (djangojs) that no catalogue has in Greek: each is a problem
    until locale_admin/el/LC_MESSAGES/djangojs.po has it."""
    packages = {"wagtail_localize": ("djangojs",)}
    problems = translation_check.check_admin_packages(tmp_path, ("el",), packages=packages)
    assert "wagtail_localize (djangojs, el): untranslated in every catalogue: 'Publish in ' " \
           "(add it to locale_admin/el/LC_MESSAGES/djangojs.po)" in problems
    already = translation_check.translated_elsewhere("el", "djangojs")
    assert ("", "Publish in ") not in already and ("", "Cancel") in already  # its own catalogue has some
    missing = sorted({p.split(": untranslated in every catalogue: ")[1] for p in problems})
    assert len(missing) == len(problems)
    sources = translation_check.package_msgids("wagtail_localize", "djangojs")
    write_po(tmp_path / "locale_admin" / "el" / "LC_MESSAGES" / "djangojs.po",
             [entry(msgid, f"«{msgid}»") for _ctx, msgid in sources if ("", msgid) not in already])
    assert translation_check.check_admin_packages(tmp_path, ("el",), packages=packages) == []


def test_strings_no_editor_sees_are_not_asked_for(tmp_path):
    problems = translation_check.check_admin_packages(tmp_path, ("el",), packages={"wagtail_localize": ("django",)})
    assert problems and not any("Dummy translator" in p for p in problems)
    # Hungarian: wagtail-localize's own catalogue has them all.
    assert translation_check.check_admin_packages(tmp_path, ("hu",), packages={"wagtail_localize": ("django", "djangojs")}) == []


def test_the_check_over_the_catalogues_includes_them(tmp_path):
    complete_tree(tmp_path)
    problems = translation_check.check_catalogues(tmp_path, ("el",), packages={"wagtail_localize.locales": ("django",)})
    assert any("Locale '{0}' created." in p for p in problems)


@pytest.mark.django_db
def test_the_translation_editor_reads_our_javascript_catalogue(client):
    """wagtail-localize's JavaScriptCatalog reads LOCALE_PATHS too, so locale_admin/<lang>/djangojs.po
    reaches its editor (once built; `make messages`)."""
    from pathlib import Path

    from django.conf import settings
    from wagtail.users.models import UserProfile

    from tests.factories import MemberFactory

    po = Path(settings.BASE_DIR) / "locale_admin" / "el" / "LC_MESSAGES" / "djangojs.po"
    if not po.exists():
        pytest.skip("locale_admin/el/LC_MESSAGES/djangojs.po is not merged yet (locale/pending/i18n.json)")
    expected = polib.pofile(str(po)).find("Publish in ").msgstr
    editor = MemberFactory(is_staff=True, is_superuser=True)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "el"
    profile.save()
    client.force_login(editor)
    script = client.get("/admin/localize/jsi18n/").content.decode()
    import json

    assert json.dumps(expected)[1:-1] in script or expected in script
