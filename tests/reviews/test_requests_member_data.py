"""The reviews in a member's data export and account deletion: reviews with their answers,
earlier versions and photos, helpful votes, review requests; deletion removes the reviews and
their photos' files, the votes with the counts moved, and the requests."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from community.members.services import member_delete, member_export_data, member_export_zip
from community.reviews.models import (
    HelpfulVote,
    ProductRating,
    Review,
    ReviewPhoto,
    ReviewRequest,
    ReviewRevision,
)
from core.images import image_process
from tests.factories import MemberFactory, ProductFactory
from tests.members.test_profile import image_upload

from .requests_helpers import make_request, paid_order

pytestmark = pytest.mark.django_db

PHRASE = "pelican-turmeric-4410"


def rich(member):
    product, other = ProductFactory(name="Fjord raincoat"), ProductFactory()
    review = Review.objects.create(product=product, author=member, rating=4, title=f"Dry {PHRASE}",
                                   body=f"Kept me dry. {PHRASE}", attributes={"fit": 3}, status="published",
                                   brand_reply="Thank you!")
    ReviewRevision.objects.create(review=review, rating=5, title="Dry", body="First version")
    photo = ReviewPhoto(review=review, position=0, alt_text="The coat in rain")
    photo.file.save("x.webp", ContentFile(image_process(image_upload(), "review_photo").content.read()), save=True)
    Review.objects.filter(pk=review.pk).update(photo_count=1)
    ProductRating.objects.create(product=product, count=1, total=4, stars_4=1, with_photos=1)
    bob = MemberFactory()
    bobs = Review.objects.create(product=other, author=bob, rating=2, title="Meh", body="Meh.", helpful_count=1)
    ProductRating.objects.create(product=other, count=1, total=2, stars_2=1)
    HelpfulVote.objects.create(review=bobs, member=member)
    HelpfulVote.objects.create(review=review, member=bob)
    Review.objects.filter(pk=review.pk).update(helpful_count=1)
    make_request(paid_order(member=member, products=[product]))
    return review, bobs, photo


def test_the_export_holds_the_reviews_votes_and_requests(member):
    _review, bobs, _photo = rich(member)
    section = member_export_data(member)["reviews"]
    [mine] = section["reviews"]
    assert mine["text"] == f"Kept me dry. {PHRASE}" and mine["rating"] == 4 and mine["answers"] == {"fit": 3}
    assert mine["earlier_versions"][0]["text"] == "First version"
    assert mine["brand_reply"] == "Thank you!"
    assert mine["photos"][0]["file"].startswith("files/reviews/") and mine["photos"][0]["alt_text"] == "The coat in rain"
    assert section["helpful_votes"] == [{"review_url": bobs.get_absolute_url(), "at": section["helpful_votes"][0]["at"]}]
    [rr] = section["review_requests"]
    assert rr["email"] == member.email and rr["sent_at"] is None
    out = io.BytesIO()
    member_export_zip(member, out)
    with zipfile.ZipFile(out) as archive:
        assert mine["photos"][0]["file"] in archive.namelist()
        data = json.loads(archive.read("data.json"))
        assert mine["photos"][0]["file"] in data["files"]


def test_the_export_of_a_member_without_reviews_has_the_empty_section(member):
    assert member_export_data(member)["reviews"] == {"reviews": [], "helpful_votes": [], "review_requests": []}


def test_deletion_removes_reviews_photos_votes_and_requests_and_moves_the_counts(member, django_capture_on_commit_callbacks):
    review, bobs, photo = rich(member)
    path = Path(photo.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        member_delete(member)
    assert not Review.objects.filter(author=member).exists()
    assert not ReviewRevision.objects.exists() and not ReviewPhoto.objects.exists()
    assert not path.exists()
    assert not HelpfulVote.objects.filter(member=member).exists()
    assert HelpfulVote.objects.count() == 0  # bob's vote on the deleted review went with it
    bobs.refresh_from_db()
    assert bobs.helpful_count == 0
    assert ProductRating.objects.get(product=review.product).count == 0
    assert ProductRating.objects.get(product=bobs.product).count == 1
    assert not ReviewRequest.objects.exists()
    assert not Review.objects.filter(body__contains=PHRASE).exists()
