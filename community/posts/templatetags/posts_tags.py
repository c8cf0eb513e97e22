"""Template tags of the photo posts: a post's photo with its renditions, a rendition's address (for
Open Graph and JSON-LD), and a member's posts on their profile ({% member_posts member %}, which
community/members/templates/members/profile.html loads: members never imports posts)."""

from django import template
from django.urls import reverse

from core.renditions import picture_html, rendition_name

from ..selectors import member_posts as member_posts_page

register = template.Library()

TILE_SIZES = "(max-width: 30rem) 50vw, (max-width: 60rem) 33vw, 320px"
DETAIL_SIZES = "(max-width: 48rem) 100vw, 720px"


def photo_rendition_url(photo, width, *, fallback=False):
    """The address of `photo`'s rendition closest to `width` (at least as wide when there is one):
    the JPEG fallback with `fallback` (og:image), else WebP; the master until they are made."""
    manifest, name, storage = photo.renditions or {}, photo.file.name, photo.file.storage
    if fallback and manifest.get("fallback"):
        return storage.url(rendition_name(name, manifest["fallback"], "jpg"))
    widths = manifest.get("widths") or []
    if widths and "webp" in (manifest.get("formats") or []):
        chosen = next((w for w in widths if w >= width), widths[-1])
        return storage.url(rendition_name(name, chosen, "webp"))
    return storage.url(name)


@register.simple_tag
def post_photo(photo, sizes=TILE_SIZES, css_class="", loading="lazy"):
    """A post's photo as <picture> with its renditions; until they are made, its re-encoded master
    (the tile's CSS shows a placeholder behind it while it loads)."""
    if not photo or not photo.file:
        return ""
    return picture_html(photo.file.storage, photo.file.name, photo.width or 1, photo.height or 1, photo.renditions,
                        alt=photo.alt_text, sizes=sizes, css_class=css_class, loading=loading)


@register.simple_tag
def first_photo(post):
    """A post's first photo: from selectors' tile prefetch (first_photos) when the list used it
    (selectors.posts_for_tiles), else from photos.all (a query, unless prefetched)."""
    photos = getattr(post, "first_photos", None)
    if photos is None:
        photos = post.photos.all()
    for photo in photos:
        return photo
    return None


@register.simple_tag
def rendition_url(photo, width=1080):
    return photo_rendition_url(photo, width) if photo and photo.file else ""


@register.inclusion_tag("posts/includes/member_posts.html", takes_context=True)
def member_posts(context, member):
    """The member's latest photo posts for their profile: a grid with "load more" (three queries)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    page = member_posts_page(user, member)
    return {"member": member, "page": page, "posts": page.items, "request": request,
            "more_url": reverse("posts:member", args=[member.username])}
