"""The reviews' part in a member's data export and account deletion (community.members.signals).

Export: every review the member wrote (rating, title, text, answers, state, earlier versions,
the brand's reply, photos with their files in the zip), the helpful votes they gave, and the
review requests e-mailed about their orders or to their addresses.

Deletion removes the member's reviews entirely, rather than keeping their text under "deleted
member": a review is one person's account of their own purchase, often naming their size, body or
use, and a rating no one can stand behind any longer should not keep moving a product's average.
Each goes through review_delete, so the product's aggregate moves with it and the photos' files
are removed after commit. Their helpful votes go with the counters moved (review_unvote), and the
review requests of their orders and addresses go (they hold the address). An opt-out from review
requests stays: it is a keyed hash of an address, and honouring it is what the person asked for.
"""

from django.db.models import Prefetch, Q
from django.dispatch import receiver

from community.members.signals import member_data_requested, member_deleting, member_files_requested

from .models import HelpfulVote, Review, ReviewLinkUse, ReviewPhoto, ReviewRequest, ReviewRevision
from .review_requests import review_requests_for_member
from .services import review_delete, review_unvote


def _iso(value):
    return value.isoformat() if value else None


def photo_file_name(photo):
    return f"files/reviews/{photo.file.name.rsplit('/', 1)[-1]}"


def _reviews(member):
    return (Review.objects.filter(author=member).select_related("product").order_by("created_at", "pk")
            .prefetch_related(Prefetch("revisions", queryset=ReviewRevision.objects.order_by("created_at", "pk")),
                              Prefetch("photos", queryset=ReviewPhoto.objects.order_by("position", "pk"))))


@receiver(member_data_requested, dispatch_uid="reviews_export")
def export_reviews(sender, member, **kwargs):
    requests = review_requests_for_member(member).prefetch_related(
        Prefetch("uses", queryset=ReviewLinkUse.objects.select_related("product").order_by("used_at", "pk")))
    return "reviews", {
        "reviews": [
            {
                "product": r.product.name, "url": r.get_absolute_url(), "rating": r.rating, "title": r.title,
                "text": r.body, "answers": r.attributes, "language": r.language, "state": r.status,
                "hidden": r.hidden, "reject_reason": r.reject_reason or None, "verified_buyer": r.verified_buyer,
                "rewarded_for_reviewing": r.incentivised, "from_review_request": r.from_request,
                "helpful_votes": r.helpful_count, "written_at": r.created_at.isoformat(),
                "published_at": _iso(r.published_at), "edited_at": _iso(r.edited_at),
                "brand_reply": r.brand_reply or None, "brand_reply_at": _iso(r.brand_reply_at),
                "earlier_versions": [{"rating": v.rating, "title": v.title, "text": v.body,
                                      "replaced_at": v.created_at.isoformat()} for v in r.revisions.all()],
                "photos": [{"url": p.file.url, "file": photo_file_name(p), "width": p.width, "height": p.height,
                            "alt_text": p.alt_text} for p in r.photos.all()],
            }
            for r in _reviews(member)
        ],
        "helpful_votes": [
            {"review_url": v.review.get_absolute_url(), "at": v.created_at.isoformat()}
            for v in HelpfulVote.objects.filter(member=member).select_related("review__product").order_by("created_at", "pk")
        ],
        "review_requests": [
            {"order_id": rr.order.external_id, "shop": rr.order.source, "email": rr.email, "due_at": _iso(rr.due_at),
             "sent_at": _iso(rr.sent_at), "reminded_at": _iso(rr.reminded_at), "cancelled_at": _iso(rr.cancelled_at),
             "links_used": [{"product": u.product.name, "at": u.used_at.isoformat()} for u in rr.uses.all()]}
            for rr in requests
        ],
    }


@receiver(member_files_requested, dispatch_uid="reviews_export_files")
def export_review_files(sender, member, **kwargs):
    photos = ReviewPhoto.objects.filter(review__author=member).order_by("review__created_at", "review_id", "position", "pk")
    return [(photo_file_name(p), p.file) for p in photos]


@receiver(member_deleting, dispatch_uid="reviews_delete")
def forget_member(sender, member, emails=(), **kwargs):
    for vote in HelpfulVote.objects.filter(member=member).select_related("review"):
        review_unvote(member, vote.review)
    for review in Review.objects.filter(author=member).only("pk"):
        review_delete(None, review)
    ReviewRequest.objects.filter(
        Q(pk__in=review_requests_for_member(member).values("pk")) | Q(email__in=list(emails))
    ).delete()
