"""manage.py posts_recount: recompute the photo posts' counters from the rows and say what changed."""

from django.core.management.base import BaseCommand

from community.posts.services import counters_recount


class Command(BaseCommand):
    help = "Recompute hashtags' post counts and posts' like and comment counts from the rows."

    def handle(self, *args, **options):
        fixed = counters_recount()
        self.stdout.write(f"{fixed} counter(s) corrected." if fixed else "Every counter was right.")
