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

import base64
import binascii
import datetime
import json
import math
from typing import NamedTuple

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Q
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


# --- cursor (keyset) pagination -----------------------------------------------------------------
#
# For long lists shown newest first, where "load more" fetches what comes after the last row shown
# (the wall of photo posts): the `?cursor=` value names the last row's sort values, and the next
# page is the rows after them in the list's order. Unlike page numbers it costs the same at any
# depth (no OFFSET) and never shows a row twice when new rows arrive meanwhile.
#
#     ?cursor=                        shows
#     ------------------------------  ---------------------------------------------
#     missing or empty                the first page
#     not one of ours (mangled)       the first page
#     a cursor of an earlier page     the rows after the row it names
#
# A cursor is the sort values as URL-safe base64 of JSON: not secret (it says a date and an id the
# page shows anyway), only opaque.



class CursorPage(NamedTuple):
    items: list
    next_cursor: str  # "" on the last page
    cursor: str  # the cursor this page was asked with ("" for the first)

    @property
    def has_next(self):
        return bool(self.next_cursor)


def _plain(value):
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    return value


def _typed(value):
    if isinstance(value, dict) and set(value) == {"dt"}:
        return datetime.datetime.fromisoformat(value["dt"])
    return value


def cursor_encode(values):
    """The cursor for a row whose sort values are `values` (ints, strings, aware datetimes)."""
    text = json.dumps([_plain(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursor_decode(cursor, length):
    """The sort values in `cursor`, or None when it is empty or not a cursor of `length` values."""
    if not cursor or len(cursor) > 200:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        values = [_typed(v) for v in values]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != length:
        return None
    if not all(isinstance(v, (int, str, datetime.datetime)) and not isinstance(v, bool) for v in values):
        return None
    if any(isinstance(v, datetime.datetime) and v.tzinfo is None for v in values):
        return None
    return values


def _after(order, values):
    """The Q for rows after `values` in `order` (["-created_at", "-id"]): the keyset condition."""
    condition = Q()
    for i in reversed(range(len(order))):
        name = order[i].lstrip("-")
        lookup = f"{name}__lt" if order[i].startswith("-") else f"{name}__gt"
        equal = Q(**{order[j].lstrip("-"): values[j] for j in range(i)})
        step = equal & Q(**{lookup: values[i]})
        condition = step if i == len(order) - 1 else step | condition
    return condition


def cursor_paginate(queryset, cursor, per_page, order):
    """The page of `queryset` after `cursor` in `order` (a list of field or annotation names, each
    with "-" for descending; the last must be unique, such as "-id"). One query: per_page + 1 rows
    are read to know whether a next page exists."""
    values = cursor_decode(cursor, len(order))
    rows = queryset.order_by(*order)
    if values is not None:
        rows = rows.filter(_after(order, values))
    else:
        cursor = ""
    rows = list(rows[:per_page + 1])
    next_cursor = ""
    if len(rows) > per_page:
        rows = rows[:per_page]
        last = rows[-1]
        next_cursor = cursor_encode([getattr(last, name.lstrip("-")) for name in order])
    return CursorPage(rows, next_cursor, cursor)
