"""The pages of badges, challenges and the help centre pass the Nu HTML checker (the site-wide
check in tests/website/test_html_valid.py covers them too; this runs only these, quickly)."""

import pytest
from django.test import Client

from tests.conftest import skip_or_fail
from tests.pagecheck import (
    MEMBER_PAGES,
    PUBLIC_PAGES,
    format_vnu_message,
    index_live_pages,
    make_page_member,
    prepare,
    vnu_check,
    vnu_command,
)

PLAY_PUBLIC = [p for p in PUBLIC_PAGES if p.needs == "play"]
PLAY_MEMBER = [p for p in MEMBER_PAGES if p.needs == "play"]


@pytest.mark.django_db
def test_play_pages_are_valid_html(tmp_path):
    command, reason = vnu_command()
    if command is None:
        skip_or_fail(reason)
    member = make_page_member()
    prepare(PLAY_PUBLIC + PLAY_MEMBER)
    index_live_pages()
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(member)
    files, problems = {}, []
    for client, pages, who in ((anonymous, PLAY_PUBLIC, "anonymous"), (signed_in, PLAY_MEMBER, "member")):
        for page in pages:
            url = page.url(member.username)
            response = client.get(url)
            html = response.content.decode()
            if response.status_code != page.status or page.marker not in html:
                problems.append(f"{url} ({who}): {response.status_code}, marker {page.marker!r} "
                                f"{'found' if page.marker in html else 'missing'}")
                continue
            path = tmp_path / f"page-{len(files):02d}.html"
            path.write_text(html, encoding="utf-8")
            files[path.resolve()] = (f"{url} ({who})", html.splitlines())
    for path, messages in vnu_check(list(files), command).items():
        label, lines = files[path]
        problems += [f"{label}: {format_vnu_message(m, lines)}" for m in messages]
    assert not problems, "\n".join(problems)
