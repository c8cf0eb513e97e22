"""Wagtail image renditions that a page never makes itself.

Wagtail makes a missing rendition in the request that first asks for it: the web worker decodes the
original (up to 64 megapixels here), resizes and encodes it while the visitor waits, and its memory
grows by what Pillow kept. Pages ask through `renditions_or_pending` (and the {% image %} and
{% picture %} tags of `rendition_tags`, which take Wagtail's syntax) instead: what exists comes from
Wagtail's rendition cache or one query, as with Wagtail's own tags; what is missing is handed to the
task worker (`wagtail_renditions_build`) and the page shows, meanwhile, a stand-in:

- the existing rendition of the same image closest to the size asked for (at least as wide when
  there is one), else the image's original file;
- with the width and height the missing rendition will have (Filter.get_transform computes them
  without reading a pixel), so the layout does not move, and `data-rendition-pending`, whose
  `object-fit: cover` crops a stand-in of another shape as the rendition would be cropped.

One task per missing rendition, however many requests ask meanwhile: a cache key per image file
and spec, taken with `cache.add` (atomic on Redis and on the local-memory cache), held
PENDING_SECONDS; a task that fails frees it, so the next request asks again. A page that shows a
stand-in is kept in the page cache at most PAGE_SECONDS (core.pagecache.page_max_age), and is then
rendered again with the rendition the worker made.

With the immediate task backend (development, tests) the task runs at once, so the page gets the
real rendition in the same request.
"""

import hashlib
import logging

from django.apps import apps
from django.core.cache import cache
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django_tasks import TaskResultStatus, task
from wagtail.images.models import Filter, SourceImageIOError

from .pagecache import page_max_age

logger = logging.getLogger(__name__)

PENDING_SECONDS = 300  # a queued task keeps others from queueing the same rendition this long
PAGE_SECONDS = 10  # a page with a stand-in is rendered again after this long


class PendingRendition:
    """A stand-in for a rendition not made yet: the `source` file (another rendition's or the
    original's) shown at the size the rendition will have. Has the attributes templates read from a
    Wagtail rendition (url, width, height, alt, attrs, img_tag, filter_spec); it is no model and is
    never saved or cached."""

    pending = True

    def __init__(self, image, filter_spec, width, height, source):
        self.image, self.filter_spec, self.width, self.height = image, filter_spec, width, height
        self.file = source

    @property
    def url(self):
        return self.file.url

    @property
    def full_url(self):
        from django.conf import settings

        url = self.url
        base = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
        return base + url if base and url.startswith("/") else url

    @property
    def alt(self):
        if getattr(self.image, "decorative", False):
            return ""
        return getattr(self.image, "contextual_alt_text", None) or self.image.default_alt_text

    @property
    def attrs_dict(self):
        return {"src": self.url, "width": self.width, "height": self.height, "alt": self.alt}

    @property
    def attrs(self):
        return flatatt(self.attrs_dict)

    def img_tag(self, extra_attributes=None):
        attrs = dict(self.attrs_dict)
        attrs.update(apps.get_app_config("wagtailimages").default_attrs)
        attrs.update(extra_attributes or {})
        attrs["data-rendition-pending"] = ""
        return mark_safe(f"<img{flatatt(attrs)}>")  # noqa: S308 - flatatt escapes

    def __html__(self):
        return self.img_tag()

    def __str__(self):
        return self.__html__()


def _filters(specs):
    filters = []
    for spec in specs:
        filter = spec if isinstance(spec, Filter) else Filter(spec=spec)
        filters.append(filter)
    return list(dict.fromkeys(filters))


def _pending_key(image, filter):
    digest = hashlib.sha1(f"{image.pk}:{image.file_hash}:{filter.spec}:{filter.get_cache_key(image)}".encode(),
                          usedforsecurity=False).hexdigest()
    return f"rendition-pending:{digest}"


def _find(image, filters):
    """Wagtail's lookup of existing renditions (prefetched, cache, then one query), keeping in the
    cache what came from the database, as Wagtail's get_renditions does."""
    found = image.find_existing_renditions(*filters)
    Rendition = image.get_rendition_model()
    additions = {Rendition.construct_cache_key(image, f.get_cache_key(image), f.spec): r
                 for f, r in found.items() if not getattr(r, "_from_cache", False)}
    if additions:
        Rendition.cache_backend.set_many(additions)
        for rendition in found.values():
            rendition._from_cache = True
    return found


def _enqueue(image, filters):
    """Queue the renditions of `filters` that no other request has queued (one task for them).
    Returns True when the task has already run (the immediate backend)."""
    fresh = [f for f in filters if cache.add(_pending_key(image, f), 1, PENDING_SECONDS)]
    if not fresh:
        return False
    result = wagtail_renditions_build.enqueue(image.pk, [f.spec for f in fresh])
    return result.status == TaskResultStatus.SUCCESSFUL


def _find_made(image, filters):
    """What the task made just now, from the database (the image's prefetched renditions predate
    it), added to what the image holds for the rest of the page."""
    lookup = Q()
    for filter in filters:
        lookup |= Q(filter_spec=filter.spec, focal_point_key=filter.get_cache_key(image))
    by_spec = {f.spec: f for f in filters}
    found = {}
    for rendition in image.get_rendition_model().objects.filter(lookup, image_id=image.pk):
        found[by_spec[rendition.filter_spec]] = rendition
        image._add_to_prefetched_renditions(rendition)
    return found


def _stand_in(image, filter, width):
    """The existing rendition of `image` nearest `width` (at least as wide when there is one; a
    format the browser may not read is no worse than the original), else the original's file."""
    renditions = [r for r in image.renditions.all() if r.width and r.file]
    wider = [r for r in renditions if r.width >= width]
    if wider:
        return min(wider, key=lambda r: r.width).file
    if renditions:
        return max(renditions, key=lambda r: r.width).file
    return image.file


def renditions_or_pending(image, specs, request=None):
    """{spec: rendition} for `specs` (strings or Filters) of a Wagtail image, in their order; a
    missing rendition is queued for the task worker and stands as a PendingRendition. With `request`,
    a page that shows a stand-in is kept in the page cache at most PAGE_SECONDS."""
    filters = [image.clean_filter_for_svg(f) for f in _filters(specs)]
    try:
        found = _find(image, filters)
        missing = [f for f in filters if f not in found]
        if missing and _enqueue(image, missing):  # the immediate backend: made already
            found.update(_find_made(image, missing))
            missing = [f for f in filters if f not in found]
        result = {}
        for filter in filters:
            if filter in found:
                result[filter.spec] = found[filter]
                continue
            width, height = filter.get_transform(image).size
            result[filter.spec] = PendingRendition(image, filter.spec, width, height, _stand_in(image, filter, width))
    except SourceImageIOError:
        Rendition = image.get_rendition_model()
        rendition = Rendition(image=image, width=0, height=0)
        rendition.file.name = "not-found"
        return {f.spec: rendition for f in filters}
    if missing and request is not None:
        page_max_age(request, PAGE_SECONDS)
    return result


def rendition_or_pending(image, spec, request=None):
    """One rendition of `image` (see renditions_or_pending)."""
    return next(iter(renditions_or_pending(image, [spec], request).values()))


def is_pending(rendition):
    return getattr(rendition, "pending", False)


@task()
def wagtail_renditions_build(image_pk, specs):
    """Make the renditions `specs` of the Wagtail image `image_pk` (in the task worker). A spec
    already made is found, not made twice (Wagtail's get_or_create and unique constraint). Returns
    the specs made or found, or [] when the image is gone or its file cannot be read."""
    from wagtail.images import get_image_model

    image = get_image_model().objects.filter(pk=image_pk).first()
    if image is None:
        return []
    filters = _filters(specs)
    try:
        made = image.get_renditions(*filters)
    except (SourceImageIOError, OSError, ValueError) as error:
        logger.warning("no renditions for image %s: %s", image_pk, error)
        made = {}
    finally:
        # Free the de-duplication keys: done, or failed and to be asked again by the next request.
        cache.delete_many([_pending_key(image, f) for f in filters])
    return list(made)
