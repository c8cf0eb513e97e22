"""The reviews' pages are valid HTML (Nu HTML checker), anonymous and signed in: the same pages
tests/pagecheck.py lists for the site-wide check and axe, checked here alone (a faster run)."""

import pytest
from django.test import Client

from tests.conftest import skip_or_fail
from tests.pagecheck import MEMBER_PAGES, PUBLIC_PAGES, format_vnu_message, make_page_member, prepare, vnu_check, vnu_command


@pytest.mark.django_db
def test_review_pages_are_valid_html(tmp_path):
    command, reason = vnu_command()
    if command is None:
        skip_or_fail(reason)
    member = make_page_member()
    needs = ("reviews", "review_link", "top_reviews")  # the review requests' link pages and the block too
    public = [p for p in PUBLIC_PAGES if p.needs in needs or p.path.startswith("/reviews/")]
    private = [p for p in MEMBER_PAGES if p.needs in needs]
    prepare(public + private)
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(member)
    rendered, problems = {}, []
    for client, pages in ((anonymous, public), (signed_in, private)):
        for page in pages:
            url = page.url(member.username)
            response = client.get(url)
            html = response.content.decode()
            if response.status_code != page.status:
                problems.append(f"{url}: {response.status_code}")
            if page.marker and page.marker not in html:
                problems.append(f"{url}: no {page.marker!r}")
            path = tmp_path / f"page-{len(rendered)}.html"
            path.write_text(html, encoding="utf-8")
            rendered[path.resolve()] = (url, html.splitlines())
    response = signed_in.post(private[1].url(member.username), {"rating": "9", "title": "", "body": ""})
    assert response.status_code == 400
    path = tmp_path / "invalid.html"
    path.write_text(response.content.decode(), encoding="utf-8")
    rendered[path.resolve()] = ("invalid review form", response.content.decode().splitlines())
    for path, messages in vnu_check(list(rendered), command).items():
        label, lines = rendered[path]
        problems += [f"{label}:\n{format_vnu_message(m, lines)}" for m in messages]
    assert not problems, "\n".join(problems)
