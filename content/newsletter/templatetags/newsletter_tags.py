from django import template

from ..forms import SubscribeForm
from ..models import Source

register = template.Library()


@register.inclusion_tag("newsletter/_signup.html", takes_context=True)
def newsletter_signup(context, source=Source.FOOTER):
    """The compact sign-up form; `source` names where it is shown ("footer", "home", "dashboard").
    Left out on the newsletter's own pages, which are about signing up or leaving."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "newsletter":
        return {"form": None}
    return {"form": SubscribeForm(source=source)}
