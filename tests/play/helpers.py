from django.utils import timezone

from community.posts.hashtags import hashtag_key
from community.posts.models import Post as PhotoPost
from community.posts.services import hashtags_get
from community.reviews.models import Review
from community.reviews.services import product_rating_recount
from community.reviews.signals import review_published
from tests.factories import ProductFactory


def publish_review(member, product=None, helpful=0):
    review = Review.objects.create(product=product or ProductFactory(), author=member, rating=4, title="Good",
                                   body="It fits well.", helpful_count=helpful, published_at=timezone.now())
    product_rating_recount(review.product_id)
    review_published.send(sender=Review, review=review)
    return review


def publish_photo(member, *tags, featured=False):
    from community.posts.models import TaggedPost
    from community.posts.signals import post_published

    now = timezone.now()
    post = PhotoPost.objects.create(author=member, caption=" ".join(f"#{t}" for t in tags), published_at=now,
                                    featured_at=now if featured else None, rights_granted_at=now if featured else None)
    for tag in hashtags_get([(t, hashtag_key(t)) for t in tags]):
        TaggedPost.objects.create(content_object=post, tag=tag)
    post_published.send(sender=PhotoPost, post=post)
    return post
