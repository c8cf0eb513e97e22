"""Every public and member page is valid HTML according to the Nu HTML checker (vnu).

The pages are rendered with Django's test client, written to files and checked in one run of
vnu, because its Java start-up takes seconds. vnu.jar comes from `make tools`.
"""

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.test import Client

from tests.conftest import skip_or_fail
from tests.factories import MemberFactory
from tests.pagecheck import (
    INVALID_PROFILE_POST,
    MEMBER_PAGES,
    PUBLIC_PAGES,
    format_vnu_message,
    index_live_pages,
    make_page_member,
    prepare,
    vnu_check,
    vnu_command,
)


@pytest.fixture
def page_member(db):
    return make_page_member()


@pytest.mark.django_db
def test_every_page_is_valid_html(page_member, tmp_path):
    command, reason = vnu_command()
    if command is None:
        skip_or_fail(reason)

    prepare(PUBLIC_PAGES + MEMBER_PAGES)
    index_live_pages()
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(page_member)

    rendered = {}  # file -> (label, html)
    problems = []

    def keep(label, response, expected_status, marker=""):
        if response.status_code != expected_status:
            problems.append(f"{label}: answered {response.status_code}, expected {expected_status}")
            return
        html = response.content.decode(response.charset or "utf-8")
        if marker and marker not in html:
            problems.append(f"{label}: the page does not contain {marker!r}")
        path = tmp_path / f"page-{len(rendered):02d}.html"
        path.write_text(html, encoding="utf-8")
        rendered[path.resolve()] = (label, html)

    for page in PUBLIC_PAGES:
        url = page.url(page_member.username)
        keep(f"GET {url} (anonymous)", anonymous.get(url), page.status, page.marker)
    for page in MEMBER_PAGES:
        url = page.url(page_member.username)
        keep(f"GET {url} (signed in)", signed_in.get(url), page.status, page.marker)
    keep("POST /me/profile/ with a bio that is too long (signed in)", signed_in.post("/me/profile/", INVALID_PROFILE_POST), 400)
    # The page the verification e-mail links to, for an address not yet confirmed.
    newcomer = MemberFactory(verified=False)
    address = EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=False, primary=True)
    confirm_url = f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/"
    keep(f"GET {confirm_url} (anonymous)", anonymous.get(confirm_url), 200)

    assert not problems, "\n".join(problems)

    report = vnu_check(rendered, command)
    failures = []
    for path, messages in report.items():
        if messages:
            label, html = rendered[path]
            lines = html.splitlines()
            details = "\n".join(format_vnu_message(m, lines) for m in messages)
            failures.append(f"{label}: {len(messages)} error(s)\n{details}")
    assert not failures, "The Nu HTML checker found errors:\n\n" + "\n\n".join(failures)
