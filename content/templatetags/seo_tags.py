"""Search and sharing metadata: canonical URL, Open Graph and Twitter cards, JSON-LD.

`{% social_meta %}` (in base.html) describes the current page from, in order: a `social` dict in
the context (views for things that are not Wagtail pages set it: title, description, image, type),
the Wagtail `page` in the context (its SEO title, search description and hero image), or the site.
`{% organization_json_ld %}` prints the site's schema.org Organization.
"""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext as _

from community.members.validators import as_site_path
from content.selectors import brand_for_request
from core.absolute import absolute_url
from core.image_alt import image_alt
from core.jsonld import json_ld
from core.pagination import page_number
from core.wagtail_renditions import rendition_or_pending

register = template.Library()

IMAGE_ATTRIBUTES = ("social_image", "hero_image", "image", "cover_image")


def _image_url(request, image):
    if image is None:
        return absolute_url(static("img/og-default.png"), request), 1200, 630
    rendition = rendition_or_pending(image, "fill-1200x630|format-jpeg", request)
    return absolute_url(rendition.url, request), rendition.width, rendition.height


def _canonical(request, page):
    page_url = page.get_url(request) if page is not None and hasattr(page, "get_url") else None
    # The page's own URL; a route inside a page (an archive) or any other view: the path itself.
    url = absolute_url(page_url if page_url == request.path else as_site_path(request.path), request)
    number = page_number(request.GET.get("page"))  # the page shown, by core.pagination's rules
    if number > 1:
        url += f"?page={number}"
    return url


@register.inclusion_tag("content/includes/social_meta.html", takes_context=True)
def social_meta(context):
    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page")
    if not context.get("social") and getattr(page, "pk", None) is not None and hasattr(page, "seo_title"):
        # A Wagtail page's card shows the page itself, its image and the brand: kept under their scopes.
        from content.cache import BRAND_VERSION_KEY, CONTENT_VERSION_KEY, page_scope
        from core.pagecache import part_kept

        # (its og:locale is the active language, which every kept part varies on already)
        return part_kept(request, "social-meta", [page.pk, request.get_full_path()],
                         [CONTENT_VERSION_KEY, BRAND_VERSION_KEY, page_scope(page.pk)], lambda: _social_meta(context))
    return _social_meta(context)


def _social_meta(context):
    request = context.get("request")
    brand = brand_for_request(request)
    site_name = brand["name"]
    social = dict(context.get("social") or {})
    page = context.get("page")
    if not social and page is not None and hasattr(page, "seo_title"):
        image = next((getattr(page, attr) for attr in IMAGE_ATTRIBUTES if getattr(page, attr, None) is not None), None)
        social = {
            "title": page.seo_title or page.title,
            "description": page.search_description or getattr(page, "intro", "") or "",
            "image": image,
            "type": getattr(page, "og_type", "website"),
        }
    if social.get("image_url"):  # a picture that is not a Wagtail image (a member's photo post)
        image_url, width, height = social["image_url"], social.get("image_width"), social.get("image_height")
    else:
        image_url, width, height = _image_url(request, social.get("image"))
    return {
        "canonical": _canonical(request, page),
        "title": social.get("title") or site_name,
        "description": social.get("description") or brand["tagline"] or _(
            "The community of our brand: stories, lookbooks, a member forum and rewards for sharing."
        ),
        "type": social.get("type") or "website",
        "image_url": image_url,
        "image_width": width,
        "image_height": height,
        "image_alt": social.get("image_alt") or (image_alt(social["image"]).text if social.get("image") else ""),
        "site_name": site_name,
        "locale": (context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE).replace("-", "_"),
    }


@register.simple_tag(takes_context=True)
def organization_json_ld(context):
    request = context["request"]
    brand = brand_for_request(request)
    return json_ld({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": brand["name"],
        "url": absolute_url("/", request),
        "logo": absolute_url(brand["logo_url"] if brand["logo_chosen"] else static("img/og-default.png"), request),
    })
