import contextlib
import io
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, OutputWrapper
from django.test.utils import override_settings
from django_tasks.signals import task_finished
from tqdm import tqdm

from community.forum import demo as forum_demo
from community.members import demo as members_demo
from community.moderation import demo as moderation_demo
from community.posts import demo as posts_demo
from community.reviews import demo as reviews_demo
from content import demo as content_demo
from content import demo_help, demo_pages, demo_translations
from engagement.lifecycle import demo as lifecycle_demo
from engagement.play import demo as play_demo
from insights import demo as insights_demo
from referrals import demo as referrals_demo
from referrals.loyalty import demo as loyalty_demo
from shop import demo as shop_demo

# Lowest layer first, so higher layers can refer to what lower ones made.
LOADERS = [
    ("shop", shop_demo.load), ("members", members_demo.load), ("moderation", moderation_demo.load),
    ("forum", forum_demo.load), ("posts", posts_demo.load), ("reviews", reviews_demo.load),
    ("referrals", referrals_demo.load), ("loyalty", loyalty_demo.load), ("play", play_demo.load),
    ("lifecycle", lifecycle_demo.load), ("insights", insights_demo.load), ("blog", content_demo.load),
    ("pages", demo_pages.load), ("help", demo_help.load), ("translations", demo_translations.load),
]
# Loggers that say a line per background task, page save or e-mail sent: quiet (warnings and
# errors only) while the demo loads. "" is the root logger, so the site's own INFO lines too.
CHATTY_LOGGERS = ("", "django_tasks", "wagtail")
CONSOLE_DELIVERY = "website.mail.FileAndConsoleBackend"
FILE_DELIVERY = "django.core.mail.backends.filebased.EmailBackend"


@contextlib.contextmanager
def quiet_loggers(names, level=logging.WARNING):
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, previous in zip(loggers, levels, strict=True):
            logger.setLevel(previous)


class Command(BaseCommand):
    help = ("Create demo data: an admin, members with avatars, and what each app adds. Safe to run twice. "
            "Ends with the demo's log-in details.")

    def handle(self, *args, **options):
        summaries = OutputWrapper(io.StringIO())
        tasks = [0]
        new_admin_password = None

        def count_task(sender, **kwargs):
            tasks[0] += 1

        # A progress bar on a terminal (nothing when the output is a file or a pipe), instead of a
        # log line for each of the ~1,000 background tasks and page saves; the demo's e-mails go to
        # var/mail/ only, not to the console as well.
        delivery = FILE_DELIVERY if getattr(settings, "EMAIL_DELIVERY_BACKEND", "") == CONSOLE_DELIVERY else None
        task_finished.connect(count_task, dispatch_uid="load_demo_count")
        try:
            with quiet_loggers(CHATTY_LOGGERS), override_settings(**({"EMAIL_DELIVERY_BACKEND": delivery} if delivery else {})):
                bar = tqdm(LOADERS, desc="Loading the demo", unit="step", disable=None, leave=False)
                for name, loader in bar:
                    bar.set_postfix_str(name)
                    made = loader(summaries)
                    if loader is members_demo.load:
                        new_admin_password = made
        finally:
            task_finished.disconnect(dispatch_uid="load_demo_count")
        for line in summaries.getvalue().splitlines():
            if line.strip():
                self.stdout.write(line)
        mail = f"; its e-mails are in {settings.EMAIL_FILE_PATH}" if delivery else ""
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({tasks[0]} background tasks run{mail})."))
        self.write_sign_in(new_admin_password)

    def write_sign_in(self, new_admin_password):
        """The last lines before `make run` says "Serving on …": who can log in, with what."""
        accounts = members_demo.sign_in_details(new_admin_password)
        staff = [
            ("moderator", moderation_demo.EMAIL, members_demo.PASSWORD),
            ("referral staff", referrals_demo.STAFF_EMAIL, referrals_demo.PASSWORD),
        ]
        there = set(get_user_model().objects.filter(email__in=[row[1] for row in staff]).values_list("email", flat=True))
        details = ([row for row in accounts if row[0] == "admin"] + [row for row in staff if row[1] in there]
                   + [row for row in accounts if row[0] != "admin"])
        if not details:
            return
        width = max(len(email) for _who, email, _pw in details)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Log in at /accounts/login/ (the admin also at /admin/) with:"))
        for who, email, password in details:
            shown = password or "(not the demo's any more; to set one: .venv/bin/python manage.py changepassword admin)"
            self.stdout.write(f"  {email.ljust(width)}  {shown}  {who}")
