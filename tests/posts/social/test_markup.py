"""The interactions' pages and fragments are valid HTML (the Nu HTML checker), in the states the
site-wide page check (tests/pagecheck.py, "posts_social") does not reach: a moderator's view of a
post (the moderation panel, a hidden comment), the reject form, the comment page that answers a bad
comment without JavaScript (400), and the author's post page while it waits."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import skip_or_fail
from tests.pagecheck import PLACEHOLDERS, Page, format_vnu_message, make_page_member, prepare, vnu_check, vnu_command

pytestmark = pytest.mark.django_db


def test_the_interactions_pages_are_valid_html(tmp_path, moderator):
    command, reason = vnu_command()
    if command is None:
        skip_or_fail(reason)
    member = make_page_member()
    prepare([Page("/", needs="posts_social")])
    post, own = PLACEHOLDERS["social_post"], PLACEHOLDERS["social_own"]
    as_moderator, as_member = Client(), Client()
    as_moderator.force_login(moderator)
    as_member.force_login(member)
    pages = {
        "post (moderator)": (as_moderator.get(f"/posts/{post}/"), 200),
        "reject form (moderator)": (as_moderator.get(reverse("posts:reject", args=[own])), 200),
        "reject form with its error (moderator)": (as_moderator.post(reverse("posts:reject", args=[own]), {"reason": ""}), 400),
        "a bad comment without JavaScript (member)": (as_member.post(reverse("posts:comment", args=[post]), {"body": ""}), 400),
        "own post (member)": (as_member.get(f"/posts/{own}/"), 200),
    }
    files, problems = {}, []
    for number, (label, (response, status)) in enumerate(pages.items()):
        if response.status_code != status:
            problems.append(f"{label}: answered {response.status_code}, expected {status}")
            continue
        path = (tmp_path / f"page-{number}.html").resolve()
        path.write_text(response.content.decode(), encoding="utf-8")
        files[path] = label
    assert not problems, problems
    failures = [f"{files[path]}:\n" + "\n".join(format_vnu_message(m) for m in messages)
                for path, messages in vnu_check(files, command).items() if messages]
    assert not failures, "\n\n".join(failures)
