"""`manage.py check_translations`: fails (exit 1) when a catalogue entry is untranslated or fuzzy,
a translation's placeholders differ from its msgid's, a catalogue is stale against the sources, or a
template holds text not marked for translation. What each part checks: core/translation_check.py."""

from django.core.management.base import BaseCommand, CommandError

from core import translation_check

PARTS = {
    "catalogues": translation_check.check_catalogues,
    "stale": translation_check.check_stale,
    "templates": translation_check.check_templates,
}


class Command(BaseCommand):
    help = "Check the translation catalogues and templates (untranslated, fuzzy, placeholders, stale, unmarked text)."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=sorted(PARTS), action="append",
                            help="Run only this part (may be given more than once).")
        parser.add_argument("--limit", type=int, default=40, help="Problems listed per part (all are counted).")

    def handle(self, *args, only=None, limit=40, **options):
        failed = 0
        for name in only or PARTS:
            problems = PARTS[name]()
            if problems:
                failed += len(problems)
                self.stdout.write(f"{name}: {len(problems)} problem(s)")
                for problem in problems[:limit]:
                    self.stdout.write(f"  {problem}")
                if len(problems) > limit:
                    self.stdout.write(f"  ... and {len(problems) - limit} more")
            else:
                self.stdout.write(f"{name}: ok")
        if failed:
            raise CommandError(f"{failed} translation problem(s)")
