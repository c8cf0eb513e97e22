"""`make run` ends its demo load with who can log in, with what, just before "Serving on …", and
the load itself is quiet: no log line per background task, page save or e-mail (issue 17, item 7)."""

import io
import logging

import pytest
from django.core.management import call_command

from community.members import demo as members_demo

pytestmark = pytest.mark.django_db(transaction=False)


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def load_demo():
    out = io.StringIO()
    records = Records()
    root = logging.getLogger()
    root.addHandler(records)
    try:
        call_command("load_demo", stdout=out, no_color=True)
    finally:
        root.removeHandler(records)
    return out.getvalue().splitlines(), records.records


def sign_in_block(lines):
    start = next(i for i, line in enumerate(lines) if line.startswith("Log in at /accounts/login/"))
    return {line.split()[0]: line.split()[1:] for line in lines[start + 1:]}, start


def test_load_demo_ends_with_the_log_in_details_and_logs_no_line_per_task(settings, tmp_path):
    settings.DEMO_ADMIN_PASSWORD_FILE = tmp_path / "var" / "demo-admin-password.txt"
    levels = {name: logging.getLogger(name).level for name in ("", "django_tasks", "wagtail")}

    lines, records = load_demo()
    block, start = sign_in_block(lines)
    password = settings.DEMO_ADMIN_PASSWORD_FILE.read_text().strip()
    assert len(password) >= 16 and (settings.DEMO_ADMIN_PASSWORD_FILE.stat().st_mode & 0o777) == 0o600
    # the block is the last thing printed: every account, its password and what it is
    assert start + 1 + len(block) == len(lines)
    assert block["admin@example.com"] == [password, "admin"]
    assert block["moderator@example.com"] == ["demo-password-123", "moderator"]
    assert block["referrals@example.com"] == ["demo-password-123", "referral", "staff"]
    for _username, _name, email, _bio, _colour in members_demo.DEMO_MEMBERS:
        assert block[email] == ["demo-password-123", "member"]
    assert lines[start - 2].startswith("Demo data ready (") and "background tasks run" in lines[start - 2]
    assert not any(password in line for line in lines[:start])  # shown in one place only
    # quiet: the hundreds of tasks, page saves and e-mails say nothing below a warning
    assert [r for r in records if r.levelno < logging.WARNING] == []
    assert {name: logging.getLogger(name).level for name in levels} == levels  # and the levels come back

    # Every later run shows the same password again, until someone changes it.
    lines, _records = load_demo()
    assert sign_in_block(lines)[0]["admin@example.com"] == [password, "admin"]
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    admin.set_password("something-else-entirely")
    admin.save()
    lines, _records = load_demo()
    shown = " ".join(sign_in_block(lines)[0]["admin@example.com"])
    assert password not in shown and "changepassword admin" in shown


def test_without_a_password_file_the_new_admin_password_is_shown_once(settings):
    settings.DEMO_ADMIN_PASSWORD_FILE = None
    password = members_demo.load(io.StringIO())
    assert password and members_demo.sign_in_details(password)[0] == ("admin", "admin@example.com", password)
    assert members_demo.load(io.StringIO()) is None  # the admin is there: nothing new to show
    assert members_demo.sign_in_details()[0] == ("admin", "admin@example.com", None)
