"""Template tags of the blog."""

from django import template
from django.conf import settings
from wagtail.images.models import FormatOperation, Picture

register = template.Library()


@register.simple_tag
def render_picture(picture, **attrs):
    """Render a Picture made by Wagtail's {% picture ... as name %} with these attributes, without
    the renditions that came out the same width as another of their format: Wagtail does not
    enlarge an image, so an original narrower than the widths asked for gives duplicates, and a
    srcset with two candidates of one width is invalid HTML. When one width is all that is left,
    Wagtail writes a srcset without width descriptors, and then `sizes` must go too."""
    if not picture:
        return ""
    attrs = {name: value for name, value in attrs.items() if value is not None}  # lang=None: no attribute
    kept, seen = {}, set()
    for rendition in picture.renditions:
        fmt = next((f for f in FormatOperation.supported_formats if f"format-{f}" in rendition.filter_spec), "")
        if (fmt, rendition.width) not in seen:
            seen.add((fmt, rendition.width))
            kept[rendition.filter_spec] = rendition
    if len({width for _fmt, width in seen}) < 2:
        attrs.pop("sizes", None)
    return Picture(kept, attrs)


@register.inclusion_tag("content/blog/share.html", takes_context=True)
def blog_share(context, post):
    """Share buttons (plain links, no third-party script) and "Discuss in the forum" for a post."""
    from content.blog.sharing import blog_share_links

    request = context["request"]
    return {
        "post": post,
        "links": blog_share_links(post, request),
        "discuss": bool(getattr(settings, "BLOG_DISCUSSION_CATEGORY", "")) and post.pk is not None,
    }
