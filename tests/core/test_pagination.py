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
