"""Review requests: the e-mail a while after an order is paid, asking the buyer to review each
product it held, and one reminder.

- When an order is paid (shop's `order_paid`), `review_request_schedule` makes its ReviewRequest
  (one per order: the one-to-one makes a replayed signal a no-op), due REVIEW_REQUEST_DAYS (14)
  days later, to the order's e-mail address.
- `review_requests_send_due` sends what is due: the first e-mail, and REVIEW_REQUEST_REMINDER_DAYS
  (7) days later one reminder when nothing of the order was reviewed yet. It is run by the
  background task `review_requests_send_due_task`, enqueued for the due time on a task backend that
  can defer (django-tasks-db in production), and by `manage.py review_requests_send` from cron
  (hourly), the safety net and the only way on the immediate backend of development. Both are
  safe to run at once and to repeat: each request is locked while it is sent (skip_locked) and
  its sent_at / reminded_at written in the same transaction as the e-mail is queued.
- Nothing goes for an order refunded in full or cancelled (the request is cancelled; a line
  refunded in full is left out), for products the buyer already reviewed or reviewed from this
  e-mail, or for products no longer shown.
- Who may stop them: a member (the order's member, or whoever verified the order's address) by
  their notification preferences, kind `review_request` (on by default; one click in the e-mail,
  RFC 8058). A customer without an account by the one-click link in the e-mail too, kept as a
  keyed hash of the address (ReviewRequestOptOut), honoured for every later order of it.
  A review request is transactional (about an order the customer placed, to its address) and
  carries no advertising, so it goes to customers without an account too; README explains.
"""

import datetime
import logging

from allauth.account.models import EmailAddress
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_tasks import task

from community.members.i18n import in_language_of
from community.members.notifications import notification_unsubscribe_url
from community.members.selectors import notification_preference_for_member
from core.absolute import absolute_url, email_subject, site_name
from core.tokens import TokenInvalid, TokenPurpose
from shop.models import OrderLine

from .links import CLOSED_STATUSES, link_token_make
from .models import Review, ReviewLinkUse, ReviewRequest, ReviewRequestOptOut
from .notification_kinds import REVIEW_REQUEST
from .request_settings import request_settings

logger = logging.getLogger(__name__)

FIRST = "first"
REMINDER = "reminder"


# --- who the address belongs to, and whether they said no ------------------------------------------

def email_hash(email):
    """A keyed hash of an address (lower-cased, trimmed): what an opt-out keeps of it."""
    return salted_hmac("reviews.request.optout", (email or "").strip().lower(), algorithm="sha256").hexdigest()


def _optout_payload_ok(data):
    return (isinstance(data, dict) and isinstance(data.get("h"), str) and len(data["h"]) == 64
            and isinstance(data.get("r"), int) and not isinstance(data.get("r"), bool))


# Never expires: an old e-mail's unsubscribe link must keep working (RFC 8058).
OPT_OUT = TokenPurpose("reviews.request.optout.link", validate=_optout_payload_ok)


def optout_token_make(review_request):
    return OPT_OUT.make({"r": review_request.pk, "h": email_hash(review_request.email)})


def optout_token_read(token):
    """(request id, address hash) the link stops review requests for, or None for a forged link."""
    try:
        data = OPT_OUT.read(token)
    except TokenInvalid:
        return None
    return data["r"], data["h"]


def review_request_optout(hashed, request_id=None):
    """Stop review requests to the address with this hash (doing it again changes nothing), and
    cancel those waiting for it. Returns how many were cancelled."""
    try:
        with transaction.atomic():
            ReviewRequestOptOut.objects.create(email_hash=hashed)
    except IntegrityError:
        pass
    origin = ReviewRequest.objects.filter(pk=request_id).only("email").first() if request_id else None
    if origin is None or email_hash(origin.email) != hashed:
        return 0
    return (ReviewRequest.objects.filter(email__iexact=origin.email, cancelled_at__isnull=True)
            .update(cancelled_at=timezone.now()))


def review_request_opted_out(email):
    return ReviewRequestOptOut.objects.filter(email_hash=email_hash(email)).exists()


def review_request_member(review_request):
    """The member the request's order belongs to: the order's own member, else whoever verified
    its address; None for a customer without an account (or a closed one)."""
    member = review_request.order.member
    if member is None or not member.is_active or getattr(member, "deleted_at", None) is not None:
        address = (EmailAddress.objects.filter(email__iexact=review_request.email, verified=True,
                                               user__is_active=True).select_related("user").first())
        member = address.user if address else None
    if member is not None and getattr(member, "deleted_at", None) is not None:
        return None
    return member


# --- scheduling ---------------------------------------------------------------------------------------

def review_request_schedule(order):
    """Make the paid `order`'s review request, due REVIEW_REQUEST_DAYS after payment; a second call
    (a replayed signal) changes nothing. Returns the request, or None for an order without one."""
    if order.paid_at is None or not order.email or order.status in CLOSED_STATUSES:
        return None
    due_at = order.paid_at + datetime.timedelta(days=request_settings.DAYS)
    if due_at < timezone.now() - datetime.timedelta(days=request_settings.LATE_DAYS):
        return None  # an old order imported now: too late to ask
    try:
        with transaction.atomic():
            review_request = ReviewRequest.objects.create(order=order, email=order.email.strip().lower(), due_at=due_at)
    except IntegrityError:  # made already
        return None
    _enqueue_at(due_at)
    return review_request


def review_request_cancel(order):
    """The order was cancelled or refunded in full: nothing more is sent for it."""
    return ReviewRequest.objects.filter(order=order, cancelled_at__isnull=True).update(cancelled_at=timezone.now())


def _enqueue_at(when):
    """After commit, on a backend that can defer: run the sending task at `when`. Elsewhere cron's
    `manage.py review_requests_send` does it. A queue that is down is logged, never raised."""
    def enqueue():
        if review_requests_send_due_task.get_backend().supports_defer:
            review_requests_send_due_task.using(run_after=when).enqueue()

    transaction.on_commit(enqueue, robust=True)


@task()
def review_requests_send_due_task():
    return review_requests_send_due()


# --- what an e-mail lists -----------------------------------------------------------------------------

def _lines_to_review(review_request, member):
    """The order's lines still worth asking about, one per product, in the order's order."""
    lines = list(
        OrderLine.objects.filter(order_id=review_request.order_id, product__isnull=False, product__active=True)
        .select_related("product").annotate(refunded=Sum("refund_lines__quantity")).order_by("pk")
    )
    product_ids = {line.product_id for line in lines}
    done = set(ReviewLinkUse.objects.filter(request=review_request).values_list("product_id", flat=True))
    if member is not None:
        done |= set(Review.objects.filter(author=member, product_id__in=product_ids).values_list("product_id", flat=True))
    seen, kept = set(), []
    for line in lines:
        if line.product_id in seen or line.product_id in done or (line.refunded or 0) >= line.quantity:
            continue
        seen.add(line.product_id)
        kept.append(line)
    return kept


def _anything_reviewed(review_request, member):
    if ReviewLinkUse.objects.filter(request=review_request).exists():
        return True
    if member is None:
        return False
    product_ids = OrderLine.objects.filter(order_id=review_request.order_id).values("product_id")
    return Review.objects.filter(author=member, product_id__in=product_ids).exists()


# --- sending --------------------------------------------------------------------------------------------

def review_requests_send_due(now=None):
    """Send the first e-mails and the reminders that are due; returns how many e-mails went."""
    now = now or timezone.now()
    batch = request_settings.BATCH
    first = list(ReviewRequest.objects.filter(due_at__lte=now, sent_at__isnull=True, cancelled_at__isnull=True)
                 .order_by("due_at", "pk").values_list("pk", flat=True)[:batch])
    sent = sum(review_request_send(pk, FIRST, now=now) for pk in first)
    reminder_days = request_settings.REMINDER_DAYS
    if reminder_days > 0:
        reminders = list(ReviewRequest.objects.filter(
            sent_at__lte=now - datetime.timedelta(days=reminder_days), reminded_at__isnull=True,
            cancelled_at__isnull=True,
        ).order_by("sent_at", "pk").values_list("pk", flat=True)[:batch])
        sent += sum(review_request_send(pk, REMINDER, now=now) for pk in reminders)
    return sent


def review_request_send(pk, which=FIRST, *, now=None):
    """Send request `pk`'s first e-mail or its reminder if it is still wanted; returns whether an
    e-mail went. The row is locked (another runner skips it) and marked in the same transaction."""
    now = now or timezone.now()
    pending = {"sent_at__isnull": True} if which == FIRST else {"sent_at__isnull": False, "reminded_at__isnull": True}
    with transaction.atomic():
        review_request = (ReviewRequest.objects.select_for_update(skip_locked=True, of=("self",))
                          .select_related("order", "order__member")
                          .filter(pk=pk, cancelled_at__isnull=True, **pending).first())
        if review_request is None:
            return False
        stamp = {"sent_at": now} if which == FIRST else {"reminded_at": now}
        reason = _reason_not_to_send(review_request, which)
        if reason is not None:
            # Nothing to send now, or ever: a reminder that is not wanted is marked as done.
            ReviewRequest.objects.filter(pk=pk).update(**({"cancelled_at": now} if which == FIRST else stamp))
            logger.info("review request not sent", extra={"review_request_id": pk, "reason": reason, "which": which})
            return False
        member = review_request_member(review_request)
        lines = _lines_to_review(review_request, member)
        if not lines:
            ReviewRequest.objects.filter(pk=pk).update(**({"cancelled_at": now} if which == FIRST else stamp))
            return False
        ReviewRequest.objects.filter(pk=pk).update(**stamp)
        review_request_message(review_request, member, lines, which).send()  # raising undoes the mark
    if which == FIRST and request_settings.REMINDER_DAYS > 0:
        _enqueue_at(now + datetime.timedelta(days=request_settings.REMINDER_DAYS))
    logger.info("review request sent", extra={"review_request_id": pk, "which": which, "products": len(lines)})
    return True


def _reason_not_to_send(review_request, which):
    order = review_request.order
    if order.cancelled_at is not None or order.status in CLOSED_STATUSES:
        return "order closed"
    member = review_request_member(review_request)
    if member is not None:
        if not notification_preference_for_member(member, REVIEW_REQUEST).email:
            return "unsubscribed"
    elif review_request_opted_out(review_request.email):
        return "unsubscribed"
    if which == REMINDER and _anything_reviewed(review_request, member):
        return "reviewed"
    return None


def review_request_unsubscribe_url(review_request, member):
    if member is not None:
        return notification_unsubscribe_url(member, REVIEW_REQUEST)
    return absolute_url(reverse("reviews:request_unsubscribe", args=[optout_token_make(review_request)]))


def review_link_url(review_request, product):
    return absolute_url(reverse("reviews:link", args=[product.slug, link_token_make(review_request, product)]))


def review_request_message(review_request, member, lines, which=FIRST):
    """The e-mail (HTML and plain text) listing `lines`, each with its own signed link."""
    order = review_request.order
    with in_language_of(member):
        unsubscribe = review_request_unsubscribe_url(review_request, member)
        context = {
            "site_name": site_name(),
            "site_url": absolute_url("/"),
            "member": member,
            "reminder": which == REMINDER,
            "order": order,
            "bought_on": order.paid_at or order.placed_at,
            "items": [{"name": line.product.name, "link": review_link_url(review_request, line.product),
                       "product_url": absolute_url(line.product.get_absolute_url())} for line in lines],
            "link_days": request_settings.LINK_DAYS,
            "unsubscribe_url": unsubscribe,
            "preferences_url": absolute_url(reverse("members:notification_preferences")) if member else "",
        }
        subject = render_to_string("reviews/email/review_request_subject.txt", context)
        text = render_to_string("reviews/email/review_request_message.txt", context)
        html = render_to_string("reviews/email/review_request_message.html", context)
    message = EmailMultiAlternatives(
        subject=email_subject(subject, context["site_name"]),
        body=text,
        to=[review_request.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# --- account deletion and the export --------------------------------------------------------------------

def review_requests_for_member(member):
    """The requests of orders to the member's addresses (verified or not) or of their orders."""
    emails = [e.lower() for e in EmailAddress.objects.filter(user=member).values_list("email", flat=True)]
    if member.email:
        emails.append(member.email.lower())
    return (ReviewRequest.objects.filter(Q(email__in=set(emails)) | Q(order__member=member))
            .select_related("order").order_by("created_at", "pk"))


def review_requests_cancel_for_member(member):
    """Account deletion: nothing more is e-mailed about the member's orders."""
    return (ReviewRequest.objects.filter(pk__in=review_requests_for_member(member).values("pk"), cancelled_at__isnull=True)
            .update(cancelled_at=timezone.now()))

