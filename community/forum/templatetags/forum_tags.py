from django import template
from django.utils.text import Truncator

from ..cache import page_shows_forum, topic_scope
from ..markup import plain_words
from ..selectors import member_activity, topics_mentioning_product

register = template.Library()

SNIPPET_CHARS = 80


@register.inclusion_tag("forum/includes/member_activity.html", takes_context=True)
def forum_activity(context, member):
    """A member's latest topics and replies in the forum, for their profile (two queries). Each
    reply comes with its snippet: the member's own words as plain text, without what they quoted."""
    request = context.get("request")
    topics, posts = member_activity(getattr(request, "user", None), member)
    replies = [(post, Truncator(plain_words(post.body)).chars(SNIPPET_CHARS)) for post in posts]
    return {"member": member, "topics": topics, "replies": replies}


@register.inclusion_tag("forum/includes/product_topics.html", takes_context=True)
def product_topics(context, product, limit=4):
    """Forum topics with a visible post that links to the product (one query). The page shows those
    topics: a change to one (a new title, hidden, moved) changes it; a new mention moves the
    product's own scope (community.forum.product_links)."""
    request = context.get("request")
    topics = topics_mentioning_product(getattr(request, "user", None), product.pk, limit)
    if request is not None:
        page_shows_forum(request, *[topic_scope(topic.pk) for topic in topics])
    return {"topics": topics, "product": product}
