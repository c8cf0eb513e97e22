from django.core.management.base import BaseCommand

from engagement.lifecycle.passes import lifecycle_nightly, lifecycle_weekly


class Command(BaseCommand):
    help = ("Send the lifecycle e-mails that are due: birthdays, win-back, care tips and surveys (daily), or "
            "with --weekly the forum digest. Safe to repeat: nothing goes twice for one event.")

    def add_arguments(self, parser):
        parser.add_argument("--weekly", action="store_true", help="Send the weekly forum digest instead.")

    def handle(self, *args, weekly=False, **options):
        result = lifecycle_weekly() if weekly else lifecycle_nightly()
        self.stdout.write(", ".join(f"{kind}: {count}" for kind, count in result.items()))
