from django.core.management.base import BaseCommand
from django.utils import timezone

from engagement.play.services import play_daily


class Command(BaseCommand):
    help = "Award the badges that time earns (a year a member). Safe to run twice."

    def handle(self, *args, **options):
        self.stdout.write(f"{play_daily(now=timezone.now())} badges awarded.")
