from django import template

from ..selectors import notifications_unread_count as unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_unread_count(context):
    """The signed-in member's unread notifications (0 for a visitor), from the cache when it can:
    `{% notifications_unread_count as unread_count %}`."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)
