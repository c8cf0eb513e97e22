"""The reviews' notifications to their authors: the brand's reply, helpful votes (batched while
unread), published after waiting, rejected with the reason; each once, and only if wanted."""

import pytest
from django.contrib.auth import get_user_model

from community.members.models import Notification
from community.members.notifications import notification_preferences_save
from community.reviews import services
from community.reviews.models import Review
from community.reviews.notification_kinds import BRAND_REPLY, HELPFUL, REVIEW_APPROVED, REVIEW_REJECTED
from tests.factories import MemberFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("team", "team@example.com", "x" * 20)


def a_review(author, status=Review.Status.PUBLISHED, **extra):
    return Review.objects.create(product=ProductFactory(name="Linen shirt"), author=author, rating=4,
                                 title="Soft linen", body="Softer every wash.", status=status, **extra)


def notes(member, kind):
    return list(Notification.objects.filter(recipient=member, kind=kind).order_by("pk"))


def test_the_brand_reply_notifies_the_author_once_per_reply(member, staff, django_capture_on_commit_callbacks):
    review = a_review(member)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_reply(staff, review, "Thank you, <b>glad</b> you like it!")
    [note] = notes(member, BRAND_REPLY)
    assert "Linen shirt replied to your review" in note.title
    assert note.excerpt.startswith("Thank you, <b>glad</b>")  # plain text: escaped where it is shown
    assert note.url == review.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_reply(staff, review, "")  # removing the reply sends nothing
    assert len(notes(member, BRAND_REPLY)) == 1


def test_helpful_votes_are_batched_while_unread(member, django_capture_on_commit_callbacks):
    review = a_review(member)
    voters = [MemberFactory() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.review_vote(voters[0], review)
    [note] = notes(member, HELPFUL)
    assert note.title.startswith("1 person found your review")
    with django_capture_on_commit_callbacks(execute=True):
        services.review_vote(voters[1], review)
        services.review_vote(voters[2], review)
    [note] = notes(member, HELPFUL)  # still one, now counting three
    assert note.title.startswith("3 people found your review")
    Notification.objects.filter(pk=note.pk).update(read_at=note.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_vote(MemberFactory(), review)
    assert len(notes(member, HELPFUL)) == 2  # read: the next vote is news again
    assert notes(member, HELPFUL)[-1].title.startswith("4 people")


def test_approved_and_rejected_tell_the_author_with_the_reason(member, staff, django_capture_on_commit_callbacks):
    waiting = a_review(member, status=Review.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_approve(staff, waiting)
    [approved] = notes(member, REVIEW_APPROVED)
    assert "is published" in approved.title
    other = a_review(member, status=Review.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_reject(staff, other, "off_topic")
    [rejected] = notes(member, REVIEW_REJECTED)
    assert "was not published" in rejected.title and "off-topic" in rejected.excerpt
    assert "never rejected for being negative" in rejected.excerpt
    # the author hears once, not also through the generic moderation message
    assert not Notification.objects.filter(recipient=member, kind="moderation").exists()


def test_a_kind_switched_off_sends_nothing(member, staff, django_capture_on_commit_callbacks):
    notification_preferences_save(member, {BRAND_REPLY: (False, False)})
    review = a_review(member)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_reply(staff, review, "Thanks!")
    assert notes(member, BRAND_REPLY) == []


def test_the_kinds_are_on_the_preferences_page(member_client):
    body = member_client.get("/me/notifications/preferences/").content.decode()
    for label in ("Requests to review what you bought", "Replies to your reviews", "Helpful votes",
                  "Reviews published", "Reviews not published"):
        assert label in body
