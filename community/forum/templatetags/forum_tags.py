from django import template

from ..selectors import member_activity

register = template.Library()


@register.inclusion_tag("forum/includes/member_activity.html", takes_context=True)
def forum_activity(context, member):
    """A member's latest topics and replies in the forum, for their profile (two queries)."""
    request = context.get("request")
    topics, posts = member_activity(getattr(request, "user", None), member)
    return {"member": member, "topics": topics, "posts": posts}
