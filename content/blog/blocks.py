"""StreamField blocks of a blog post's body: rich text, an image with a caption and a quote."""

import copy

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from ..posts_blocks import PostsGalleryBlock


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """An image chooser whose images arrive with their renditions: a body with any number of
    images costs two queries (the images, their renditions) instead of some per image."""

    def bulk_to_python(self, values):
        values = list(values)
        objects = self.model_class.objects.prefetch_renditions().in_bulk([v for v in values if v is not None])
        seen, result = set(), []
        for pk in values:
            obj = objects.get(pk)
            if obj is not None and pk in seen:
                obj = copy.copy(obj)  # as ChooserBlock does: one instance per occurrence
            result.append(obj)
            seen.add(pk)
        return result


class ImageWithCaptionBlock(blocks.StructBlock):
    image = PrefetchingImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"), required=False, max_length=250,
        help_text=_("What the image shows, for people who cannot see it. Empty: the image's own description."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "content/blog/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"), max_length=600)
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=120,
                                   help_text=_("Who said it (optional)."))

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "content/blog/blocks/quote.html"


class BlogBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"], icon="pilcrow",
    )
    image = ImageWithCaptionBlock()
    quote = QuoteBlock()
    posts_gallery = PostsGalleryBlock()


def body_text(raw_blocks):
    """The plain text of a body's raw stream data (rich text without tags, captions, quotes),
    read without loading any image."""
    from django.utils.html import strip_tags

    parts = []
    for block in raw_blocks or []:
        value = block.get("value")
        if block.get("type") == "paragraph" and isinstance(value, str):
            parts.append(strip_tags(value.replace("<", " <")))
        elif block.get("type") == "quote" and isinstance(value, dict):
            parts += [value.get("quote") or "", value.get("attribution") or ""]
        elif block.get("type") == "image" and isinstance(value, dict):
            parts.append(value.get("caption") or "")
    return " ".join(parts)
