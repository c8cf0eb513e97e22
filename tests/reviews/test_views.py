"""The write, edit, delete and helpful views: bad input from the issue, permissions, htmx."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from community.reviews import services
from community.reviews.models import ProductRating, Review, ReviewPhoto
from tests.factories import MemberFactory, ProductFactory

from .conftest import png_upload, review_data


def write_url(product):
    return reverse("reviews:write", kwargs={"slug": product.slug})


def submit(member, product, **changes):
    data = {"rating": 4, "title": "Good shirt", "body": "Soft linen, washes well.", **changes}
    return services.review_submit(member, product, **data)


def test_the_form_asks_for_sign_in(client, product):
    response = client.get(write_url(product))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(write_url(product), review_data()).status_code == 302
    assert not Review.objects.exists()


def test_the_form_has_star_radios_questions_and_photo_fields(client, alice, product, fit):
    client.force_login(alice)
    html = client.get(write_url(product)).content.decode()
    assert html.count('type="radio" name="rating"') == 5
    assert "<legend" in html and "Runs small" in html and 'name="photo_4"' in html and 'name="photo_1_alt"' in html
    assert 'name="photo_5"' not in html


def test_submit_with_answers_and_photos(client, alice, product, fit, bought):
    client.force_login(alice)
    response = client.post(write_url(product), review_data(attr_fit="1", photo_1=png_upload(), photo_1_alt="Sleeve"))
    review = Review.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#review-{review.pk}")
    assert review.attributes == {"fit": 1} and review.verified_buyer
    assert list(ReviewPhoto.objects.values_list("alt_text", flat=True)) == ["Sleeve"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"rating": "0"}, "Choose a rating from 1 to 5 stars."),
    ({"rating": "6"}, "Choose a rating from 1 to 5 stars."),
    ({"rating": "abc"}, "Choose a rating from 1 to 5 stars."),
    ({"rating": ""}, "Choose a rating from 1 to 5 stars."),
    ({"body": ""}, "Write a few words about the product."),
    ({"title": ""}, "Give your review a title."),
    ({"body": "x" * 50_000}, "at most 5000 characters"),
    ({"attr_fit": "9"}, "Choose one of the answers."),
    ({"photo_1": SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")}, "image"),
])
def test_bad_input_gets_a_message_and_a_400(client, alice, product, fit, changes, message):
    client.force_login(alice)
    response = client.post(write_url(product), review_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Review.objects.exists()


def test_an_inactive_or_unknown_product_is_a_404(client, alice, product):
    client.force_login(alice)
    product.active = False
    product.save()
    assert client.get(write_url(product)).status_code == 404
    assert client.post(write_url(product), review_data()).status_code == 404
    assert client.get("/products/no-such-thing/review/").status_code == 404
    assert not Review.objects.exists()


def test_a_second_review_goes_to_the_edit_form(client, alice, product):
    first = submit(alice, product)
    client.force_login(alice)
    for response in (client.get(write_url(product)), client.post(write_url(product), review_data(rating="1"))):
        assert response.status_code == 302 and response["Location"] == reverse("reviews:edit", args=[first.pk])
    first.refresh_from_db()
    assert first.rating == 4 and Review.objects.count() == 1


def test_edit_and_delete_own(client, alice, product):
    review = submit(alice, product, rating=5)
    client.force_login(alice)
    url = reverse("reviews:edit", args=[review.pk])
    assert 'value="Good shirt"' in client.get(url).content.decode()
    assert client.post(url, review_data(rating="2")).status_code == 302
    review.refresh_from_db()
    assert review.rating == 2 and review.rating_edited
    assert client.post(url, review_data(rating="9")).status_code == 400
    review.refresh_from_db()
    assert review.rating == 2
    assert client.get(reverse("reviews:delete", args=[review.pk])).status_code == 405
    assert client.post(reverse("reviews:delete", args=[review.pk])).status_code == 302
    assert not Review.objects.exists() and ProductRating.objects.get(product=product).count == 0


@pytest.mark.parametrize(("who", "edit", "delete", "vote"), [
    ("anonymous", 302, 302, 302),
    ("author", 200, 302, 403),
    ("other", 403, 403, 302),
    ("moderator", 403, 302, 302),
    ("suspended", 403, 403, 403),
])
def test_permission_matrix(client, alice, moderator, product, who, edit, delete, vote):
    from community.moderation.services import member_suspend

    review = submit(alice, product)
    user = {"author": alice, "other": MemberFactory(), "moderator": moderator,
            "suspended": MemberFactory(), "anonymous": None}[who]
    if who == "suspended":
        member_suspend(moderator, user, days=3, reason="spam")
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("reviews:edit", args=[review.pk])).status_code == edit
    assert client.post(reverse("reviews:helpful", args=[review.pk])).status_code == vote
    assert client.post(reverse("reviews:delete", args=[review.pk])).status_code == delete


def test_a_waiting_review_is_a_404_to_others(client, alice, bob, product):
    review = submit(alice, product, body="see https://x.example")
    client.force_login(bob)
    assert client.post(reverse("reviews:helpful", args=[review.pk])).status_code == 404
    assert client.get(reverse("reviews:edit", args=[review.pk])).status_code == 404


def test_helpful_toggle_with_and_without_htmx(client, alice, bob, product):
    review = submit(alice, product)
    client.force_login(bob)
    url = reverse("reviews:helpful", args=[review.pk])
    response = client.post(url, {"action": "vote"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()
    assert client.post(url, {"action": "vote"}).status_code == 302
    review.refresh_from_db()
    assert review.helpful_count == 1
    response = client.post(url, {"action": "unvote"}, headers={"HX-Request": "true"})
    assert 'aria-pressed="false"' in response.content.decode()
    review.refresh_from_db()
    assert review.helpful_count == 0
    assert client.get(url).status_code == 405


def test_voting_on_your_own_review_is_refused(client, alice, product):
    review = submit(alice, product)
    client.force_login(alice)
    response = client.post(reverse("reviews:helpful", args=[review.pk]))
    assert response.status_code == 403 and "your own review" in response.content.decode()


def test_rate_limit(client, alice, settings):
    settings.REVIEWS_RATE_LIMITS = {"submit": (1, 1, 3600)}
    client.force_login(alice)
    first, second = ProductFactory(), ProductFactory()
    assert client.post(write_url(first), review_data()).status_code == 302
    assert client.post(write_url(second), review_data()).status_code == 429
