"""The signed links of review-request e-mails: one per product of the order.

A link carries the review request and the product, signed for this purpose alone (core.tokens)
with its signing time: it works for REVIEW_LINK_DAYS (60) days, once per product (a
ReviewLinkUse row, unique per request and product, is written when the review is saved).

Opening it (views/links.py) checks the token (`link_check`); a member who owns the order's
e-mail address, verified, gets the link put in their session (`link_hold`) and goes to the review
form. The form (reviews-core's write view) asks `link_pending(http_request, product)` for the
request held in the session, re-checked, and calls `link_consume(http_request, product, review)`
once the review is saved. Nothing here writes on a GET but the session.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction

from core.tokens import TokenExpired, TokenInvalid, TokenPurpose
from shop.models import Order

from .models import ReviewLinkUse, ReviewRequest
from .request_settings import request_settings

LINK_SALT = "reviews.request.link"
SESSION_KEY = "reviews_links"  # {str(product pk): token}
CLOSED_STATUSES = frozenset({Order.Status.CANCELLED, Order.Status.REFUNDED, Order.Status.PENDING})


def _payload_ok(data):
    return (isinstance(data, dict) and isinstance(data.get("r"), int) and isinstance(data.get("p"), int)
            and not isinstance(data.get("r"), bool) and not isinstance(data.get("p"), bool))


class _LinkPurpose(TokenPurpose):
    @property
    def max_age(self):  # read each time, so a setting's override applies at once
        return request_settings.link_max_age

    @max_age.setter
    def max_age(self, value):
        pass


LINK = _LinkPurpose(LINK_SALT, validate=_payload_ok)


def link_token_make(review_request, product):
    """The token of the link that reviews `product` from `review_request`'s e-mail."""
    return LINK.make({"r": review_request.pk, "p": product.pk})


class LinkState:
    OK = "ok"
    INVALID = "invalid"  # forged, truncated, or for another product
    EXPIRED = "expired"
    USED = "used"  # this product was already reviewed from this e-mail
    CLOSED = "closed"  # the order was refunded or cancelled, or the request withdrawn


@dataclass(frozen=True)
class LinkCheck:
    state: str
    review_request: ReviewRequest | None = None
    order_line: object = None  # the OrderLine of the product (its name, the order's date)

    @property
    def ok(self):
        return self.state == LinkState.OK


def link_check(token, product):
    """What the link `token` is worth for `product` (a LinkCheck). Three queries at most."""
    try:
        data = LINK.read(token)
    except TokenExpired:
        return LinkCheck(LinkState.EXPIRED)
    except TokenInvalid:
        return LinkCheck(LinkState.INVALID)
    if product is None or data["p"] != product.pk:
        return LinkCheck(LinkState.INVALID)
    review_request = ReviewRequest.objects.select_related("order").filter(pk=data["r"]).first()
    if review_request is None:
        return LinkCheck(LinkState.INVALID)
    line = review_request.order.lines.filter(product=product).first()
    if line is None:
        return LinkCheck(LinkState.INVALID)
    if ReviewLinkUse.objects.filter(request=review_request, product=product).exists():
        return LinkCheck(LinkState.USED, review_request, line)
    if review_request.order.cancelled_at is not None or review_request.order.status in CLOSED_STATUSES:
        return LinkCheck(LinkState.CLOSED, review_request, line)
    return LinkCheck(LinkState.OK, review_request, line)


def link_owner_is(member, review_request):
    """Whether `member` has the request's e-mail address, verified."""
    if member is None or not member.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=member, email__iexact=review_request.email, verified=True).exists()


def link_hold(http_request, product, token):
    """Keep a checked link for `product` in the session until the review is written."""
    held = dict(http_request.session.get(SESSION_KEY) or {})
    held[str(product.pk)] = token
    http_request.session[SESSION_KEY] = held


def link_pending(http_request, product):
    """The ReviewRequest whose link for `product` the visitor opened and confirmed (held in their
    session), still valid, unused and theirs; else None."""
    token = (http_request.session.get(SESSION_KEY) or {}).get(str(product.pk))
    if not token:
        return None
    check = link_check(token, product)
    if not check.ok or not link_owner_is(getattr(http_request, "user", None), check.review_request):
        return None
    return check.review_request


def link_consume(http_request, product, review):
    """Record the link's one use for `product` (a second time changes nothing) and forget it."""
    review_request = link_pending(http_request, product)
    if review_request is not None:
        try:
            with transaction.atomic():
                ReviewLinkUse.objects.create(request=review_request, product=product, review=review)
        except IntegrityError:  # already used: the first use stands
            pass
    held = dict(http_request.session.get(SESSION_KEY) or {})
    if held.pop(str(product.pk), None) is not None:
        http_request.session[SESSION_KEY] = held
    return review_request
