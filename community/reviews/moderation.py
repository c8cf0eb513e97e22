"""Reviews in the one moderation queue: "review" as a moderatable kind (approve, hide, restore
there; reject with a reason and the brand's reply on the review's own admin page), and the labels
of the reviews' own actions in the moderation log. Registered from ReviewsConfig.ready()."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from community.moderation import registry
from community.moderation.registry import ModerationKind, Preview

from .models import Review

KIND = "review"


def _queryset():
    return Review.objects.select_related("product", "author")


def _waiting():
    return _queryset().filter(status=Review.Status.PENDING, hidden=False).order_by("created_at", "pk")


HELD = {"link": _("held: it contains a link"), "profanity": _("held: it contains a rude word"),
        "policy": _("held: every review waits for approval")}


def _preview(review):
    return Preview(
        title=f"{review.product.name} · {review.rating}★ · {review.title}",
        excerpt=Truncator(review.body).chars(400),
        author=review.author,
        url=reverse("review_admin:detail", args=[review.pk]),
        created_at=review.created_at,
        hidden=review.hidden,
        deleted=review.status == Review.Status.REJECTED,
        waiting=review.status == Review.Status.PENDING,
        note=str(HELD.get(review.held_reason, "")),
    )


def _can_view(user, review):
    from .permissions import can_see_review

    return can_see_review(user, review)


def _hide(actor, review, reason=""):
    from .services import review_set_hidden

    return review_set_hidden(actor, review, True, reason)


def _restore(actor, review, reason=""):
    from .services import review_set_hidden

    return review_set_hidden(actor, review, False, reason)


def _approve(actor, review):
    from .services import review_approve

    return review_approve(actor, review)


def register():
    registry.register(ModerationKind(
        code=KIND, label=_("review"), model=Review, queryset=_queryset, waiting=_waiting, preview=_preview,
        can_view=_can_view, hide=_hide, restore=_restore, approve=_approve,
    ))
    registry.register_action("reject_review", _("rejected a review"))
    registry.register_action("reply_review", _("replied to a review as the brand"))
