"""The reviews' notifications to their authors, through the site's notification service: the
brand replied, someone found the review helpful, a moderator published or rejected it (with the
reason). They listen to the reviews' signals (signals.py) and run as background tasks after the
change commits; each notification's source key makes a retried task send nothing twice.

Helpful votes are batched: while the author has not read the notification about a review's
votes, further votes update it ("3 people found your review … helpful") instead of adding more.
"""

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from community.members.models import Notification
from community.members.notifications import notification_send

from .models import RejectReason, Review
from .notification_kinds import BRAND_REPLY, HELPFUL, REVIEW_APPROVED, REVIEW_REJECTED
from .signals import review_approved, review_rejected, review_replied, review_voted

EXCERPT_CHARS = 200


def _excerpt(text):
    return Truncator(" ".join(str(text).split())).chars(EXCERPT_CHARS)


def _review(review_id):
    return Review.objects.select_related("product", "author").filter(pk=review_id).first()


def _url(review):
    return review.get_absolute_url()


@task()
def reply_notify(review_id):
    review = _review(review_id)
    if review is None or not review.brand_reply or review.brand_reply_at is None:
        return 0
    sent = notification_send(
        review.author, BRAND_REPLY, url=_url(review),
        title=_("%(product)s replied to your review “%(title)s”") % {"product": review.product.name, "title": review.title},
        excerpt=_excerpt(review.brand_reply),
        source_key=f"reviews:review:{review.pk}:reply:{int(review.brand_reply_at.timestamp())}",
    )
    return int(sent is not None)


def _helpful_title(review, count):
    return ngettext(
        "%(count)d person found your review “%(title)s” helpful",
        "%(count)d people found your review “%(title)s” helpful", count,
    ) % {"count": count, "title": review.title}


@task()
def helpful_notify(review_id, member_id):
    review = _review(review_id)
    voter = get_user_model().objects.filter(pk=member_id).first()
    if review is None or voter is None or review.author_id == voter.pk:
        return 0
    url = _url(review)
    unread = Notification.objects.filter(recipient=review.author, kind=HELPFUL, url=url, read_at__isnull=True).first()
    if unread is not None:
        # The one they have not read yet says how many now; no pile-up of one per vote.
        count = max(review.helpful_count, 1)
        Notification.objects.filter(pk=unread.pk).update(title=Truncator(_helpful_title(review, count)).chars(200),
                                                        created_at=timezone.now())
        return 0
    count = max(review.helpful_count, 1)
    sent = notification_send(
        review.author, HELPFUL, url=url, title=_helpful_title(review, count), excerpt=_excerpt(review.body),
        source_key=f"reviews:review:{review.pk}:helpful:{count}",
    )
    return int(sent is not None)


@task()
def approved_notify(review_id):
    review = _review(review_id)
    if review is None or review.status != Review.Status.PUBLISHED:
        return 0
    sent = notification_send(
        review.author, REVIEW_APPROVED, url=_url(review),
        title=_("Your review of %(product)s is published") % {"product": review.product.name},
        excerpt=review.title, source_key=f"reviews:review:{review.pk}:approved",
    )
    return int(sent is not None)


@task()
def rejected_notify(review_id, reason):
    review = _review(review_id)
    if review is None or review.status != Review.Status.REJECTED:
        return 0
    label = RejectReason(reason).label if reason in RejectReason.values else ""
    sent = notification_send(
        review.author, REVIEW_REJECTED, url=review.product.get_absolute_url(),
        title=_("Your review of %(product)s was not published") % {"product": review.product.name},
        excerpt=_("The reason: %(reason)s. Reviews are never rejected for being negative; "
                  "write to us if you think this was a mistake.") % {"reason": label},
        source_key=f"reviews:review:{review.pk}:rejected:{reason}",
    )
    return int(sent is not None)


# The signals are sent after commit already, so the tasks are enqueued at once.

@receiver(review_replied, dispatch_uid="reviews_notify_reply")
def on_replied(sender, review, **kwargs):
    reply_notify.enqueue(review.pk)


@receiver(review_voted, dispatch_uid="reviews_notify_helpful")
def on_voted(sender, review, member, **kwargs):
    helpful_notify.enqueue(review.pk, member.pk)


@receiver(review_approved, dispatch_uid="reviews_notify_approved")
def on_approved(sender, review, **kwargs):
    approved_notify.enqueue(review.pk)


@receiver(review_rejected, dispatch_uid="reviews_notify_rejected")
def on_rejected(sender, review, reason, **kwargs):
    rejected_notify.enqueue(review.pk, reason)
