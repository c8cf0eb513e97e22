from django.urls import reverse

from community.reviews.models import ProductRating, Review

from .conftest import review_data


def test_write_and_see(client, alice, product, bought):
    client.force_login(alice)
    url = reverse("reviews:write", kwargs={"slug": product.slug})
    assert client.get(url).status_code == 200
    response = client.post(url, review_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    review = Review.objects.get()
    assert review.verified_buyer and review.status == "published"
    assert ProductRating.objects.get(product=product).count == 1
