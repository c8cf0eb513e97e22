"""Writes of product reviews: submit, edit, delete, helpful votes, moderation, the brand's reply,
the verified-buyer badge, and the ProductRating aggregate they move.

The aggregate counts published, visible reviews. Every write that changes whether a review counts,
or what it counts as (its rating, whether it has photos, whether it is verified), reads the
review's row under a lock, and moves ProductRating with F() by the difference between what it
counted as before and after, in the same transaction. `reviews_recount` recomputes from the rows.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from community.moderation import services as moderation
from community.moderation.models import Resolution
from core.renditions import image_delete_on_commit, renditions_schedule

from .cache import reviews_changed
from .models import (
    ALT_MAX,
    BODY_MAX,
    PHOTOS_MAX,
    TITLE_MAX,
    HelpfulVote,
    ProductRating,
    RejectReason,
    Review,
    ReviewAttribute,
    ReviewPhoto,
    ReviewRejection,
    ReviewRevision,
)
from .signals import review_approved, review_published, review_rejected, review_replied, review_voted

BODY_MIN = 2
PHOTO_USE = "review_photo"


class ReviewError(Exception):
    """A rule of reviews refused the write; the message is for the member."""

    def __init__(self, message, code=""):
        super().__init__(message)
        self.code = code


class AlreadyReviewed(ReviewError):
    """The member has reviewed this product already (one review per member and product)."""

    def __init__(self, review=None):
        super().__init__(_("You have already reviewed this product. You can edit your review instead."),
                         code="duplicate")
        self.review = review


@dataclass(frozen=True)
class PhotoInput:
    """A photo to add: `image` is a core.images.ProcessedImage (checked and re-encoded)."""

    image: object
    alt_text: str = ""


# --- the policy ---------------------------------------------------------------------------------

def policy():
    """The editors' review policy (its defaults until they save it: reading it never writes)."""
    from .models import ReviewPolicy

    return ReviewPolicy.objects.first() or ReviewPolicy()


# --- checks of what a review says ---------------------------------------------------------------

LINK_RE = re.compile(r"(?i)(https?://|www\.|\b[\w-]+\.(?:com|net|org|io|ru|cn|info|biz|xyz|top|shop|ly|me)\b)")


def content_hold_reason(*texts):
    """Why a review with these texts must wait for a moderator ("" when nothing): a link, or a
    word on the profanity list (better-profanity)."""
    text = "\n".join(t for t in texts if t)
    if LINK_RE.search(text):
        return "link"
    from better_profanity import profanity

    if profanity.contains_profanity(text):
        return "profanity"
    return ""


def _clean_rating(rating):
    text = str(rating).strip()
    if isinstance(rating, bool) or not text.isdecimal() or not 1 <= int(text) <= 5:
        raise ReviewError(_("Choose a rating from 1 to 5 stars."), code="rating")
    return int(text)


def _clean_text(title, body):
    title = " ".join(str(title or "").split())
    body = str(body or "").strip().replace("\r\n", "\n")
    if not title:
        raise ReviewError(_("Give your review a title."), code="title")
    if len(title) > TITLE_MAX:
        raise ReviewError(_("The title has at most %(n)d characters.") % {"n": TITLE_MAX}, code="title")
    if len(body) < BODY_MIN:
        raise ReviewError(_("Write a few words about the product."), code="body")
    if len(body) > BODY_MAX:
        raise ReviewError(_("A review has at most %(n)d characters.") % {"n": BODY_MAX}, code="body")
    if "\x00" in title or "\x00" in body:
        raise ReviewError(_("The text contains a character that cannot be stored."), code="body")
    return title, body


def product_attributes(product):
    """The questions asked of reviews of this product (its product type's), in order."""
    from .selectors import product_attributes as questions

    return questions(product)


def _clean_attributes(product, answers, questions=None):
    """{code: value} keeping only this product type's questions, each answer checked: 1..5 for a
    scale or rating, True/False for yes/no. Unanswered questions are left out."""
    questions = product_attributes(product) if questions is None else questions
    answers = answers or {}
    cleaned = {}
    for question in questions:
        value = answers.get(question.code)
        if value in (None, ""):
            continue
        if question.kind == ReviewAttribute.Kind.YES_NO:
            if value in (True, "yes", "true", "1", 1):
                cleaned[question.code] = True
            elif value in (False, "no", "false", "0", 0):
                cleaned[question.code] = False
            else:
                raise ReviewError(_("Answer “%(q)s” with yes or no.") % {"q": question.label}, code="attributes")
        else:
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = 0
            if not 1 <= number <= 5:
                raise ReviewError(_("Choose one of the answers to “%(q)s”.") % {"q": question.label},
                                  code="attributes")
            cleaned[question.code] = number
    return cleaned


# --- the aggregate --------------------------------------------------------------------------------

def _counted_as(review):
    """What a review adds to its product's aggregate, or None when it does not count."""
    if review.status != Review.Status.PUBLISHED or review.hidden:
        return None
    return (review.rating, review.photo_count > 0, review.verified_buyer)


def _rating_move(product_id, before, after):
    """Move ProductRating of `product_id` from counting `before` to counting `after` (each a
    _counted_as value or None), with F() in the caller's transaction."""
    if before == after:
        return
    deltas = {}

    def add(counted, sign):
        if counted is None:
            return
        rating, photos, verified = counted
        deltas["count"] = deltas.get("count", 0) + sign
        deltas["total"] = deltas.get("total", 0) + sign * rating
        deltas[f"stars_{rating}"] = deltas.get(f"stars_{rating}", 0) + sign
        if photos:
            deltas["with_photos"] = deltas.get("with_photos", 0) + sign
        if verified:
            deltas["verified"] = deltas.get("verified", 0) + sign

    add(before, -1)
    add(after, 1)
    deltas = {name: delta for name, delta in deltas.items() if delta}
    if not deltas:
        return
    now = timezone.now()
    updates = {name: Greatest(F(name) + delta, 0) if delta < 0 else F(name) + delta for name, delta in deltas.items()}
    if ProductRating.objects.filter(product_id=product_id).update(updated_at=now, **updates):
        return
    try:
        with transaction.atomic():
            ProductRating.objects.create(product_id=product_id, updated_at=now,
                                         **{name: max(delta, 0) for name, delta in deltas.items()})
    except IntegrityError:  # made by a concurrent review meanwhile: move it as above
        ProductRating.objects.filter(product_id=product_id).update(updated_at=now, **updates)


def product_rating_recount(product_id=None):
    """Recompute ProductRating from the rows (all products, or one); returns the number of
    products whose stored aggregate was wrong."""
    from django.db.models import Count, Q, Sum

    from shop.models import Product

    products = Product.objects.all() if product_id is None else Product.objects.filter(pk=product_id)
    published = Q(reviews__status=Review.Status.PUBLISHED, reviews__hidden=False)
    rows = products.annotate(
        r_count=Count("reviews", filter=published),
        r_total=Sum("reviews__rating", filter=published),
        r_photos=Count("reviews", filter=published & Q(reviews__photo_count__gt=0)),
        r_verified=Count("reviews", filter=published & Q(reviews__verified_buyer=True)),
        **{f"r_{n}": Count("reviews", filter=published & Q(reviews__rating=n)) for n in range(1, 6)},
    ).values("pk", "r_count", "r_total", "r_photos", "r_verified", *[f"r_{n}" for n in range(1, 6)])
    existing = {r.product_id: r for r in ProductRating.objects.filter(product__in=products)}
    corrected = 0
    for row in rows.iterator():
        values = {"count": row["r_count"], "total": row["r_total"] or 0, "with_photos": row["r_photos"],
                  "verified": row["r_verified"], **{f"stars_{n}": row[f"r_{n}"] for n in range(1, 6)}}
        current = existing.get(row["pk"])
        if current is None:
            if values["count"]:
                ProductRating.objects.create(product_id=row["pk"], **values)
                corrected += 1
            continue
        if any(getattr(current, name) != value for name, value in values.items()):
            ProductRating.objects.filter(pk=row["pk"]).update(updated_at=timezone.now(), **values)
            corrected += 1
    if corrected:
        reviews_changed()
    return corrected


# --- verified buyers ------------------------------------------------------------------------------

def review_verify(review):
    """Recompute the verified-buyer badge of one review from the shop's orders; moves the aggregate
    when it changes. Returns True when it changed."""
    from .selectors import member_bought_verified

    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        verified = member_bought_verified(locked.author, locked.product_id)
        if verified == locked.verified_buyer:
            return False
        before = _counted_as(locked)
        locked.verified_buyer = verified
        Review.objects.filter(pk=locked.pk).update(verified_buyer=verified)
        _rating_move(locked.product_id, before, _counted_as(locked))
        reviews_changed(locked.product_id)
    review.verified_buyer = verified
    return True


def reviews_verify_for_order(order):
    """Recompute the badges an order may change: the reviews, of the products it holds, by members
    who have the order's e-mail address as a verified address (or are the order's member)."""
    from allauth.account.models import EmailAddress

    product_ids = [pk for pk in order.lines.values_list("product_id", flat=True) if pk]
    if not product_ids:
        return 0
    members = set(EmailAddress.objects.filter(email__iexact=order.email, verified=True)
                  .values_list("user_id", flat=True))
    if order.member_id:
        members.add(order.member_id)
    changed = 0
    for review in Review.objects.filter(author_id__in=members, product_id__in=product_ids):
        changed += review_verify(review)
    return changed


def reviews_verify_for_member(member):
    """Recompute every badge of a member (an e-mail address verified or removed)."""
    return sum(review_verify(review) for review in Review.objects.filter(author=member))


# --- writing --------------------------------------------------------------------------------------

def _photos_add(review, photos, start=0):
    made = 0
    for position, photo in enumerate(photos, start=start):
        image = photo.image
        row = ReviewPhoto(review=review, position=position, alt_text=str(photo.alt_text or "")[:ALT_MAX])
        row.file.save(image.content.name, image.content, save=False)
        row.width, row.height = image.width, image.height
        row.save()
        renditions_schedule(row, "file", "renditions", PHOTO_USE)
        made += 1
    return made


def _after_commit_published(review):
    transaction.on_commit(lambda: review_published.send(sender=Review, review=review))


def _index_after_commit(review):
    """Update the search index once the write commits; a failure there is logged, never the
    review's (the index is rebuilt by `manage.py update_index`)."""
    from wagtail.search.index import insert_or_update_object

    transaction.on_commit(lambda: insert_or_update_object(review), robust=True)


def _unindex_after_commit(review):
    from wagtail.search.index import remove_object

    transaction.on_commit(lambda: remove_object(review), robust=True)


def _after_commit(signal, **kwargs):
    transaction.on_commit(lambda: signal.send(sender=Review, **kwargs))


def review_submit(member, product, *, rating, title, body, attributes=None, photos=(), from_request=False):
    """Write a member's review of a product: one per member and product (a unique constraint: of
    two at once, the second raises AlreadyReviewed). `photos` are PhotoInput (at most four).
    Published at once, or held for a moderator (the policy, or a link / rude word: held_reason).
    Raises ReviewError with a message for the member."""
    if not product.active:
        raise ReviewError(_("This product is no longer on sale, so it cannot be reviewed."), code="inactive")
    rating = _clean_rating(rating)
    title, body = _clean_text(title, body)
    attributes = _clean_attributes(product, attributes)
    photos = list(photos)
    if len(photos) > PHOTOS_MAX:
        raise ReviewError(_("At most %(n)d photos.") % {"n": PHOTOS_MAX}, code="photos")
    from .selectors import member_bought_verified

    rules = policy()
    verified = member_bought_verified(member, product.pk)
    if not verified and not rules.non_buyers_may_review:
        raise ReviewError(_("Only members who bought this product can review it."), code="not_buyer")
    hold = content_hold_reason(title, body, *(p.alt_text for p in photos))
    held = hold or ("policy" if not rules.auto_publish else "")
    now = timezone.now()
    review = Review(
        product=product, author=member, rating=rating, title=title, body=body, attributes=attributes,
        language=(translation.get_language() or "")[:8],
        status=Review.Status.PENDING if held else Review.Status.PUBLISHED, held_reason=held,
        verified_buyer=verified, incentivised=rules.rewarded, from_request=from_request,
        created_at=now, published_at=None if held else now,
    )
    try:
        with transaction.atomic():
            review.save(force_insert=True)
            if photos:
                review.photo_count = _photos_add(review, photos)
                Review.objects.filter(pk=review.pk).update(photo_count=review.photo_count)
            _rating_move(product.pk, None, _counted_as(review))
            reviews_changed(product.pk)
    except IntegrityError:
        raise AlreadyReviewed(Review.objects.filter(product=product, author=member).first()) from None
    _index_after_commit(review)
    if not held:
        _after_commit_published(review)
    return review


@transaction.atomic
def review_edit(member, review, *, rating, title, body, attributes=None, photos=(), remove_photos=(),
                alt_texts=None):
    """The author changes their review: text, rating, answers, photos (`photos` new PhotoInput,
    `remove_photos` ids of its photos to delete, `alt_texts` {photo id: text}). What it said before
    is kept as a ReviewRevision; a changed rating marks it "edited" (rating_edited). A review
    that now has a link or a rude word waits for a moderator again."""
    rating = _clean_rating(rating)
    title, body = _clean_text(title, body)
    locked = Review.objects.select_for_update().select_related("product").get(pk=review.pk)
    attributes = _clean_attributes(locked.product, attributes)
    before = _counted_as(locked)
    existing = {p.pk: p for p in locked.photos.all()}
    removing = [existing[pk] for pk in remove_photos if pk in existing]
    photos = list(photos)
    if len(existing) - len(removing) + len(photos) > PHOTOS_MAX:
        raise ReviewError(_("At most %(n)d photos.") % {"n": PHOTOS_MAX}, code="photos")
    changed_text = (rating, title, body) != (locked.rating, locked.title, locked.body)
    if changed_text:
        ReviewRevision.objects.create(review=locked, rating=locked.rating, title=locked.title, body=locked.body)
    now = timezone.now()
    if rating != locked.rating:
        locked.rating_edited = True
    locked.rating, locked.title, locked.body, locked.attributes = rating, title, body, attributes
    for photo in removing:
        image_delete_on_commit(photo.file, photo.renditions)
        photo.delete()
    for pk, text in (alt_texts or {}).items():
        if pk in existing and existing[pk] not in removing:
            ReviewPhoto.objects.filter(pk=pk).update(alt_text=str(text or "")[:ALT_MAX])
    start = max((p.position for p in existing.values()), default=-1) + 1
    _photos_add(locked, photos, start=start)
    locked.photo_count = len(existing) - len(removing) + len(photos)
    if changed_text or photos or removing or alt_texts:
        locked.edited_at = now
    hold = content_hold_reason(title, body, *(p.alt_text for p in photos), *(alt_texts or {}).values())
    if hold and locked.status == Review.Status.PUBLISHED:
        locked.status, locked.held_reason = Review.Status.PENDING, hold
    locked.save()
    _rating_move(locked.product_id, before, _counted_as(locked))
    reviews_changed(locked.product_id)
    if changed_text:
        _index_after_commit(locked)
    return locked


@transaction.atomic
def review_delete(actor, review):
    """Delete a review (its author, or staff): its photos' files go once the transaction commits."""
    locked = Review.objects.select_for_update().filter(pk=review.pk).first()
    if locked is None:
        return False
    _rating_move(locked.product_id, _counted_as(locked), None)
    for photo in locked.photos.all():
        image_delete_on_commit(photo.file, photo.renditions)
    _unindex_after_commit(Review(pk=locked.pk))
    locked.delete()
    reviews_changed(locked.product_id)
    return True


# --- helpful votes ----------------------------------------------------------------------------------

def review_vote(member, review):
    """Mark a review helpful, once (a unique constraint); never one's own (ReviewError). Returns
    True if this call counted."""
    if review.author_id == member.pk:
        raise ReviewError(_("You cannot vote for your own review."), code="own")
    try:
        with transaction.atomic():
            HelpfulVote.objects.create(review=review, member=member)
            Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
            reviews_changed(review.product_id)
            _after_commit(review_voted, review=review, member=member)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def review_unvote(member, review):
    deleted, _rows = HelpfulVote.objects.filter(review=review, member=member).delete()
    if deleted:
        Review.objects.filter(pk=review.pk).update(helpful_count=Greatest(F("helpful_count") - 1, 0))
        reviews_changed(review.product_id)
    return bool(deleted)


# --- moderation -------------------------------------------------------------------------------------

def _log(actor, action, review, detail=""):
    return moderation.log_add(actor, action, item=review, member=review.author, detail=detail)


@transaction.atomic
def review_approve(actor, review):
    """Publish a review that waited. Sends review_published after commit."""
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.status == Review.Status.PUBLISHED:
        return locked
    before = _counted_as(locked)
    locked.status, locked.held_reason, locked.reject_reason = Review.Status.PUBLISHED, "", ""
    locked.published_at = locked.published_at or timezone.now()
    locked.save(update_fields=["status", "held_reason", "reject_reason", "published_at"])
    _rating_move(locked.product_id, before, _counted_as(locked))
    moderation.reports_resolve(actor, locked, Resolution.APPROVED)
    _log(actor, "approve", locked)  # the author hears of it from notify.py (review_approved)
    reviews_changed(locked.product_id)
    _after_commit(review_approved, review=locked, moderator=actor)
    if not locked.hidden:
        _after_commit_published(locked)
    return locked


@transaction.atomic
def review_reject(actor, review, reason):
    """Reject a review, only for one of the fixed reasons (RejectReason: never for being negative).
    Logged in ReviewRejection with the rating, for the rejections-by-stars report."""
    if reason not in RejectReason.values:
        raise ReviewError(_("Choose one of the reasons in the list."), code="reason")
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.status == Review.Status.REJECTED:
        return locked
    before = _counted_as(locked)
    locked.status, locked.reject_reason = Review.Status.REJECTED, reason
    locked.save(update_fields=["status", "reject_reason"])
    _rating_move(locked.product_id, before, None)
    ReviewRejection.objects.create(review=locked, product_id=locked.product_id, rating=locked.rating, reason=reason,
                                   moderator=actor)
    moderation.reports_resolve(actor, locked, Resolution.HIDDEN)
    _log(actor, "reject_review", locked, RejectReason(reason).label)  # the author hears of it from notify.py
    reviews_changed(locked.product_id)
    _after_commit(review_rejected, review=locked, moderator=actor, reason=reason)
    return locked


@transaction.atomic
def review_set_hidden(actor, review, hidden, reason=""):
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.hidden == hidden:
        return locked
    before = _counted_as(locked)
    locked.hidden = hidden
    locked.save(update_fields=["hidden"])
    _rating_move(locked.product_id, before, _counted_as(locked))
    moderation.reports_resolve(actor, locked, Resolution.HIDDEN if hidden else Resolution.RESTORED)
    moderation.author_notify(_log(actor, "hide" if hidden else "restore", locked, reason))
    reviews_changed(locked.product_id)
    return locked


@transaction.atomic
def review_reply(actor, review, text):
    """The brand's public reply under a review (staff, in the admin); an empty text removes it."""
    text = str(text or "").strip()
    if len(text) > BODY_MAX:
        raise ValidationError(_("A reply has at most %(n)d characters.") % {"n": BODY_MAX})
    locked = Review.objects.select_for_update().get(pk=review.pk)
    locked.brand_reply = text
    locked.brand_reply_at = timezone.now() if text else None
    locked.brand_reply_by = actor if text else None
    locked.save(update_fields=["brand_reply", "brand_reply_at", "brand_reply_by"])
    _log(actor, "reply_review", locked)
    reviews_changed(locked.product_id)
    if text:
        _after_commit(review_replied, review=locked)
    return locked


def helpful_recount():
    """Recompute each review's helpful_count from its votes; returns how many were wrong."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    votes = HelpfulVote.objects.filter(review=OuterRef("pk")).values("review").annotate(n=Count("pk")).values("n")
    wrong = Review.objects.annotate(actual=Coalesce(Subquery(votes), 0)).exclude(helpful_count=F("actual"))
    fixed = 0
    for pk, actual in wrong.values_list("pk", "actual"):
        Review.objects.filter(pk=pk).update(helpful_count=actual)
        fixed += 1
    if fixed:
        reviews_changed()
    return fixed


def reviews_verify_all():
    """Recompute every verified-buyer badge; returns how many changed."""
    return sum(review_verify(review) for review in Review.objects.only("pk").iterator())
