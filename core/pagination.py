"""One way to cut a list into pages, for every list of the site (Django's Paginator underneath).

The rules for a `?page=` value, the same for every list:

    ?page=                          shows
    ------------------------------  ----------------------------------------------
    missing or empty                page 1
    not an integer ("abc", "2.5")   page 1
    0 or negative                   page 1
    1 .. the last page              that page
    past the last page              404 (Http404)

Page 1 always exists, even for an empty list (the list says it has nothing yet).

Why: a value that is not a page number at all is a typo or a mangled link, and the member is best
served by the start of the list; a number past the end names a page that does not exist (the list
shrank, or the number was made up), and a 404 tells crawlers to drop it rather than keep a copy of
another page under that address.
"""

import math

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404


def page_number(value):
    """A `?page=` value as a page number: anything that is not a positive integer is page 1."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def page_count(count, per_page):
    """How many pages `count` rows fill, `per_page` to a page; never fewer than one."""
    return max(1, math.ceil(count / per_page))


def page_or_404(value, pages):
    """The page number `value` names in a list of `pages` pages, or Http404 past the last."""
    number = page_number(value)
    if number > pages:
        raise Http404
    return number


class _KnownCountPaginator(Paginator):
    """A paginator told its row count (a stored counter), so no COUNT query runs."""

    def __init__(self, object_list, per_page, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


def paginate(object_list, value, per_page, *, count=None):
    """The page of `object_list` that the `?page=` value `value` names (rules above): a Django
    Page. With `count`, the number of rows is taken as given instead of counted."""
    if count is None:
        paginator = Paginator(object_list, per_page, allow_empty_first_page=True)
    else:
        paginator = _KnownCountPaginator(object_list, per_page, count, allow_empty_first_page=True)
    try:
        return paginator.page(page_number(value))
    except EmptyPage:
        raise Http404 from None


def page_window(page, pages, around=2):
    """The page numbers a long list's pagination shows: the first, the last and `around` on each
    side of the current one, with None where numbers are left out."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    window, previous = [], 0
    for number in shown:
        if number - previous > 1:
            window.append(None)
        window.append(number)
        previous = number
    return window
