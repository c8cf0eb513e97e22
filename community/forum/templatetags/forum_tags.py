from django import template
from django.utils.text import Truncator

from ..markup import plain_words
from ..selectors import member_activity

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
