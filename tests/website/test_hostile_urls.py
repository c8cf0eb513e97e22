"""Any byte in a URL or a query never makes a 5xx (issue 11, item 2).

Every URL pattern of the site (the Wagtail admin aside: it sends a visitor to sign in before any
view runs) is requested with each value of tests/hostile.py in each of its parts and in the query
values views read, by a visitor and by a signed-in member, on the database the suite runs on
(SQLite for make test, PostgreSQL in CI). A Hypothesis test adds any text at all in the places
where text reaches the database: the search box and the slugs and usernames of URLs."""

import re

import pytest
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.forum.models import Category
from tests.factories import MemberFactory, ProductFactory
from tests.hostile import HOSTILE_NUMBERS, HOSTILE_TEXT, url_part

pytestmark = pytest.mark.django_db

QUERY_NAMES = ("q", "page", "p", "next", "via", "sort", "filter", "tag", "category", "export", "kind", "reason")
_CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")
_GROUP = re.compile(r"\((?:\?P<\w+>)?(?:[^()]|\([^()]*\))*\)")


def _patterns(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, text)
        elif not text.startswith("admin/"):
            yield text


def _fill(pattern, text, number):
    """The pattern as a path, each converter or group filled with the value (a number where only
    digits can match)."""
    def converter(match):
        return number if match.group(1) == "int" else url_part(text)

    path = _CONVERTER.sub(converter, pattern)
    if path.startswith("^") or "^" in path:
        path = path.replace("^", "").replace("$", "")
        path = _GROUP.sub(lambda m: url_part(text) + "/" if m.group(0).startswith("((") else url_part(text), path)
    return "/" + path


def _query(values):
    """The query names views read, each with the next value, and a hostile name too."""
    pairs = [f"{name}={url_part(values[i % len(values)])}" for i, name in enumerate(QUERY_NAMES)]
    return "&".join([*pairs, f"{url_part(values[0])}=1"])


def _requests():
    """Each pattern with parts gets every value in its parts (and a query); a pattern without
    parts gets every value in its query, QUERY_NAMES values a request."""
    texts, numbers = HOSTILE_TEXT, HOSTILE_NUMBERS
    for pattern in sorted(set(_patterns())):
        if _CONVERTER.search(pattern) or "(" in pattern:
            for i, text in enumerate(texts):
                yield f"{_fill(pattern, text, numbers[i % len(numbers)])}?{_query(texts[i:] + texts[:i])}"
            for number in numbers:
                yield _fill(pattern, "x", number)
        else:
            for start in range(0, len(texts), len(QUERY_NAMES)):
                yield f"{_fill(pattern, '', '1')}?{_query(texts[start:] + texts[:start])}"


@pytest.fixture
def site_with_rows(db):
    member = MemberFactory(username="ἀλίκη")
    Category.objects.create(name="Care", slug="care")
    ProductFactory(slug="linen-shirt")
    return member


def _server_errors(client, paths):
    failures = []
    for index, path in enumerate(paths):
        prefix = "/el" if index % 4 == 0 else ""  # the language prefixes route the same views
        response = client.get(prefix + path)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {prefix + path[:200]}")
    return failures


def test_no_hostile_url_is_a_server_error_for_a_visitor(client, site_with_rows):
    failures = _server_errors(client, _requests())
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:40])


def test_no_hostile_url_is_a_server_error_for_a_member(client, site_with_rows):
    client.force_login(site_with_rows)
    paths = [p for p in _requests() if p.startswith(("/me/", "/forum/", "/members/", "/notifications/", "/search/",
                                                     "/newsletter/", "/products/"))]
    failures = _server_errors(client, paths)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:40])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_in_search_and_slugs_is_never_a_server_error(client, site_with_rows, text):
    part = url_part(text)
    for path in (f"/search/?q={part}", f"/forum/c/{part or 'x'}/", f"/members/{part or 'x'}/",
                 f"/products/{part or 'x'}/", f"/forum/latest/?page={part}"):
        assert client.get(path).status_code < 500, path
