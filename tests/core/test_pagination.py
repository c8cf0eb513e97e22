"""core.pagination: the ?page= rules of every list, as one table (see the module docstring)."""

import pytest
from django.http import Http404

from core.pagination import page_count, page_number, page_or_404, page_window, paginate

ROWS = list(range(1, 26))  # 25 rows, 10 to a page: pages 1, 2 and 3 (5 rows)

# (?page= value, the page shown, or Http404)
PAGE_RULES = [
    (None, 1),
    ("", 1),
    ("1", 1),
    ("2", 2),
    ("3", 3),
    (3, 3),
    (" 2 ", 2),
    ("abc", 1),
    ("2.5", 1),
    ("1e3", 1),
    ("0", 1),
    ("-1", 1),
    ("-99", 1),
    ("٢", 2),  # an Arabic-Indic two is an integer to Python, and a page number here
    ("4", Http404),
    ("99999999999999999999", Http404),
]


@pytest.mark.parametrize(("value", "expected"), PAGE_RULES)
def test_page_rules(value, expected):
    if expected is Http404:
        with pytest.raises(Http404):
            paginate(ROWS, value, 10)
        with pytest.raises(Http404):
            page_or_404(value, 3)
        return
    page = paginate(ROWS, value, 10)
    assert page.number == expected
    assert list(page.object_list) == ROWS[(expected - 1) * 10: expected * 10]
    assert page_or_404(value, 3) == expected
    assert page_number(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(None, 1), ("abc", 1), ("0", 1), ("2", Http404)])
def test_an_empty_list_has_its_first_page(value, expected):
    if expected is Http404:
        with pytest.raises(Http404):
            paginate([], value, 10)
    else:
        page = paginate([], value, 10)
        assert page.number == 1 and list(page.object_list) == []


def test_a_known_count_is_used_instead_of_counting():
    class NoLen(list):
        def count(self, *args):
            raise AssertionError("counted")

        def __len__(self):
            raise AssertionError("counted")

    rows = NoLen(range(30))
    page = paginate(rows, "2", 10, count=30)
    assert page.paginator.num_pages == 3 and list(page.object_list) == list(range(10, 20))
    with pytest.raises(Http404):
        paginate(rows, "4", 10, count=30)


@pytest.mark.parametrize(("count", "per_page", "pages"),
                         [(0, 20, 1), (1, 20, 1), (20, 20, 1), (21, 20, 2), (40, 20, 2), (41, 20, 3)])
def test_page_count(count, per_page, pages):
    assert page_count(count, per_page) == pages


@pytest.mark.parametrize(("page", "pages", "window"), [
    (1, 1, [1]),
    (1, 3, [1, 2, 3]),
    (1, 10, [1, 2, 3, None, 10]),
    (5, 10, [1, None, 3, 4, 5, 6, 7, None, 10]),
    (4, 10, [1, 2, 3, 4, 5, 6, None, 10]),
    (10, 10, [1, None, 8, 9, 10]),
])
def test_page_window(page, pages, window):
    assert page_window(page, pages) == window


# --- cursor pagination ------------------------------------------------------------------------------

def test_cursor_round_trip_and_refusals():
    import datetime

    from core.pagination import cursor_decode, cursor_encode

    when = datetime.datetime(2026, 5, 1, 12, 30, tzinfo=datetime.UTC)
    assert cursor_decode(cursor_encode([when, 42]), 2) == [when, 42]
    for bad in ["", None, "!!!", "e30", cursor_encode([1]), cursor_encode([True, 1]), cursor_encode([[1], 2]),
                cursor_encode([{"dt": "2026-05-01T12:30:00"}, 1]), "A" * 500]:
        assert cursor_decode(bad, 2) is None, bad


@pytest.mark.django_db
def test_cursor_paginate_walks_every_row_once_even_when_rows_arrive():
    from django.contrib.auth import get_user_model

    from core.pagination import cursor_paginate

    User = get_user_model()
    User.objects.bulk_create([User(username=f"user{n:02d}", email=f"u{n}@example.com") for n in range(25)])
    rows = User.objects.filter(username__startswith="user")
    seen, cursor, pages = [], None, 0
    while True:
        page = cursor_paginate(rows, cursor, 10, ["-username", "-id"])
        seen += [u.username for u in page.items]
        pages += 1
        if pages == 1:
            User.objects.create(username="userzz", email="zz@example.com")  # newer: not shown on later pages
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == sorted((f"user{n:02d}" for n in range(25)), reverse=True) and pages == 3
    assert cursor_paginate(rows, "garbage", 10, ["-username", "-id"]).cursor == ""
