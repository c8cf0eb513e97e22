"""The Insights admin pages, with figures in them, are valid HTML according to the Nu HTML checker
(vnu, from `make tools`); axe checks the same pages in tests/browser/test_insights_admin.py.
The pages are those of tests/pagecheck.py's ADMIN_PAGES, seen by a superuser."""

import pytest
from django.test import Client

from tests.pagecheck import ADMIN_PAGES, make_admin_user, prepare, vnu_report


@pytest.mark.django_db
def test_every_insights_page_is_valid_html(tmp_path):
    prepare(ADMIN_PAGES)
    client = Client()
    client.force_login(make_admin_user())
    pages, problems = [], []
    for page in ADMIN_PAGES:
        url = page.url()
        response = client.get(url)
        html = response.content.decode()
        if response.status_code != page.status:
            problems.append(f"GET {url}: answered {response.status_code}, expected {page.status}")
        elif page.marker and page.marker not in html:
            problems.append(f"GET {url}: the page does not contain {page.marker!r}")
        pages.append((f"GET {url}", html))
    assert not problems, "\n".join(problems)
    failures = vnu_report(pages, tmp_path)
    assert not failures, "The Nu HTML checker found errors:\n\n" + failures
