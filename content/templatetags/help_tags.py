"""The help centre on other pages: the link from a product page to the care guide, and the "Ask
the team" link on help pages. Both are cached under the help centre's scope (content.cache), which
the product page then follows, so publishing or unpublishing the care page updates product pages
(and publishing a blog post does not)."""

from django import template
from django.core.cache import cache
from django.utils import translation

from core.pagecache import page_depends
from core.versions import version_get

from ..cache import HELP_SCOPE

register = template.Library()
CACHE_SECONDS = 3600


def care_page_url(request):
    """The URL of the live, public care page ("" when there is none). Cached per pages' version,
    host and language: no query on a warm cache."""
    from ..models import HelpPage, HelpTopic

    host = request.get_host() if request is not None else ""
    key = f"content:help-care:{version_get(HELP_SCOPE)}:{host}:{translation.get_language()}"
    url = cache.get(key)
    if url is None:
        # one query while there is no care page (the view restrictions are read only for one found)
        page = HelpPage.objects.live().filter(topic=HelpTopic.CARE).order_by("path").first()
        if page is not None and page.get_view_restrictions().exists():
            page = None
        url = (page.get_url(request) or "") if page is not None else ""
        cache.set(key, url, CACHE_SECONDS)
    return url


@register.inclusion_tag("content/includes/care_link.html", takes_context=True)
def help_care_link(context):
    """`{% help_care_link %}` on a product page: a link to the help centre's care page, if live."""
    request = context.get("request")
    if request is not None:
        page_depends(request, HELP_SCOPE)
    return {"care_url": care_page_url(request)}


@register.simple_tag
def ask_the_team_url():
    """The "Ask the team" forum category's address ("" when none is set)."""
    from engagement.play.models import SupportSettings

    category = SupportSettings.load().ask_category
    return category.get_absolute_url() if category is not None else ""
