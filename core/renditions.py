"""Responsive renditions of member uploads.

A member's upload is stored once as a re-encoded master (core.images: WebP, no EXIF). A background
task (core.tasks.renditions_build) then writes smaller copies of it in AVIF and WebP, at the widths
its use asks for (never wider than the master), next to the master: `forum/ab12.webp` gets
`forum/ab12.640w.avif`, `forum/ab12.640w.webp`, ... What was made is recorded as a small manifest,
{"widths": [...], "formats": [...]}, in a JSON field of the row that owns the master, so a page
that shows the picture needs no query to know it.

Pages show pictures through picture_html (or the {% picture %} tag of core_images): a <picture>
with an AVIF and a WebP source, srcset and sizes, and an <img> with width and height (no layout
shift), loading="lazy" and decoding="async". Until the renditions are made, the <img> of the
master alone: it is already re-encoded, so the original upload is never served.

A use may ask for a JPEG fallback (ImageUse.fallback_width, e.g. post photos, whose pages are
shared to apps that read neither AVIF nor WebP): one JPEG at that width (or the master's, if
narrower), `forum/ab12.1080w.jpg`, recorded as {"fallback": 1080} in the manifest. The <img> of
picture_html then points at it, so a browser that takes neither <source> still shows the picture,
and Open Graph cards can use it.
"""

import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.utils.html import format_html, format_html_join
from PIL import Image, features

logger = logging.getLogger(__name__)

MIME_TYPES = {"avif": "image/avif", "webp": "image/webp"}
SAVE_OPTIONS = {"avif": {"format": "AVIF", "quality": 60, "speed": 8}, "webp": {"format": "WEBP", "quality": 80, "method": 4},
                "jpg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True}}
MAX_MASTER_PIXELS = 40_000_000  # masters are ours, but a rendition is never a way to decode a bomb

# Sent when a row's renditions are stored: sender is the model, with pk, field (the file field's
# name), name (the master's) and manifest. An app whose pages store HTML that shows the picture can
# render it again.
renditions_ready = Signal()


def rendition_formats():
    """The formats renditions are written in, best first: AVIF when this Pillow can write it."""
    return tuple(fmt for fmt in ("avif", "webp") if fmt != "avif" or features.check("avif"))


def rendition_name(master_name, width, fmt):
    """Where the `width`-pixel rendition of `master_name` in `fmt` is stored."""
    return f"{master_name.rsplit('.', 1)[0]}.{width}w.{fmt}"


def rendition_widths(master_width, widths):
    """The widths to make for a master `master_width` wide: those asked for that are narrower, and
    the master's own width (in the better formats). Nothing is ever scaled up."""
    return sorted({width for width in widths if 0 < width < master_width} | {master_width})


def renditions_make(storage, master_name, widths, fallback_width=0):
    """Write the renditions of `master_name` and return their manifest; with `fallback_width`, also
    the JPEG fallback (see the module's docstring)."""
    with storage.open(master_name, "rb") as handle:
        data = handle.read()
    formats = rendition_formats()
    made = []
    with Image.open(io.BytesIO(data), formats=["WEBP", "AVIF", "PNG", "JPEG"]) as master:
        if master.width * master.height > MAX_MASTER_PIXELS:
            raise ValueError(f"{master_name} is too big for renditions")
        master.load()
        image = master.convert("RGBA" if master.mode in ("RGBA", "LA", "PA") or "transparency" in master.info else "RGB")
        for width in rendition_widths(image.width, widths):
            height = max(1, round(image.height * width / image.width))
            small = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS,
                                                                      reducing_gap=3.0)
            for fmt in formats:
                out = io.BytesIO()
                small.save(out, **SAVE_OPTIONS[fmt])
                name = rendition_name(master_name, width, fmt)
                storage.delete(name)  # a retried task overwrites, instead of the storage renaming
                storage.save(name, ContentFile(out.getvalue()))
            made.append(width)
        manifest = {"widths": made, "formats": list(formats)}
        if fallback_width:
            width = min(fallback_width, image.width)
            height = max(1, round(image.height * width / image.width))
            small = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS,
                                                                      reducing_gap=3.0)
            if small.mode != "RGB":
                flat = Image.new("RGB", small.size, (255, 255, 255))
                flat.paste(small, mask=small.getchannel("A") if small.mode == "RGBA" else None)
                small = flat
            out = io.BytesIO()
            small.save(out, **SAVE_OPTIONS["jpg"])
            name = rendition_name(master_name, width, "jpg")
            storage.delete(name)
            storage.save(name, ContentFile(out.getvalue()))
            manifest["fallback"] = width
    return manifest


def renditions_delete(storage, master_name, manifest):
    """Delete the renditions `manifest` lists; a missing file is not an error."""
    names = [rendition_name(master_name, width, fmt)
             for width in (manifest or {}).get("widths", []) for fmt in (manifest or {}).get("formats", [])]
    if (manifest or {}).get("fallback"):
        names.append(rendition_name(master_name, manifest["fallback"], "jpg"))
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete rendition %s", name)


def image_delete_on_commit(field_file, manifest=None):
    """Once the transaction commits, delete the master in `field_file` and its renditions (the
    change that removed them must not be undone by a missing file)."""
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name

    def delete():
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete media file %s", name)
        renditions_delete(storage, name, manifest)

    transaction.on_commit(delete)


def renditions_schedule(instance, field, manifest_field, use):
    """After the transaction commits, make the renditions of `instance.<field>` in the background
    (core.tasks.renditions_build); they land in `instance.<manifest_field>`. `use` names an entry of
    core.images.IMAGE_USES, whose rendition_widths are made."""
    from .tasks import renditions_build

    label, pk, name = instance._meta.label, instance.pk, getattr(instance, field).name
    if name:
        transaction.on_commit(lambda: renditions_build.enqueue(label, pk, field, manifest_field, use, name))


def picture_html(storage, master_name, width, height, manifest=None, *, alt="", sizes="100vw", css_class="",
                 loading="lazy"):
    """The HTML that shows a master and its renditions. `width` and `height` are what the <img>
    says (the intrinsic size, or the size it is shown at: they only need the right ratio)."""
    fallback = (manifest or {}).get("fallback")
    src = storage.url(rendition_name(master_name, fallback, "jpg") if fallback else master_name)
    img = format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="{}" decoding="async"{}>',
        src, alt, width, height, loading,
        format_html(' class="{}"', css_class) if css_class else "",
    )
    widths, formats = (manifest or {}).get("widths"), (manifest or {}).get("formats")
    if not widths or not formats:
        return img
    sources = format_html_join(
        "", '<source type="{}" srcset="{}" sizes="{}">',
        ((MIME_TYPES[fmt], ", ".join(f"{storage.url(rendition_name(master_name, w, fmt))} {w}w" for w in widths), sizes)
         for fmt in formats if fmt in MIME_TYPES),
    )
    return format_html("<picture>{}{}</picture>", sources, img)
