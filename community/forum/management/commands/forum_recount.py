from django.core.management.base import BaseCommand

from community.forum.services import counters_recount


class Command(BaseCommand):
    help = ("Recompute the forum's counters (replies, likes and highest post number of each topic, likes of each "
            "post, topics and posts of each category) from the rows, and report how many were wrong.")

    def handle(self, *args, **options):
        fixed = counters_recount()
        self.stdout.write(self.style.SUCCESS(f"Forum counters recomputed: {fixed} row(s) corrected."))
