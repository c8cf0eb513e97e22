from django.core.management.base import BaseCommand

from community.forum import demo as forum_demo
from community.members import demo as members_demo
from community.moderation import demo as moderation_demo
from content import demo as content_demo
from content import demo_pages
from referrals import demo as referrals_demo
from shop import demo as shop_demo


class Command(BaseCommand):
    help = "Create demo data: an admin, members with avatars, and what each app adds. Safe to run twice."

    def handle(self, *args, **options):
        # Lowest layer first, so higher layers can refer to what lower ones made.
        for loader in (shop_demo.load, members_demo.load, moderation_demo.load, forum_demo.load, referrals_demo.load,
                       content_demo.load, demo_pages.load):
            loader(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
