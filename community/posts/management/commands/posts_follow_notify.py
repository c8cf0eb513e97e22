from django.core.management.base import BaseCommand

from community.posts.notify import followers_notify_all


class Command(BaseCommand):
    help = ("Send the followers of every hashtag one notification for the posts published under it since they "
            "were last told (the batch a background task sends at the end of each window; run it from cron as the "
            "safety net, e.g. every 15 minutes). Safe to repeat: nothing is sent twice.")

    def handle(self, *args, **options):
        sent = followers_notify_all()
        self.stdout.write(self.style.SUCCESS(f"Hashtag followers told: {sent} notification(s) sent."))
