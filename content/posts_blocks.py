"""The members' photo gallery block for the pages' StreamFields: "featured posts", "posts tagged X"
or "posts with product Y", a few of them (count). Only featurable posts show (published, not
hidden, and their authors granted the rights to show them off the wall): the reads are
community.posts.showcase's. A gallery with nothing to show yet renders nothing.

Each gallery costs two queries (the posts with their authors, their photos) whatever its count;
the page cache keeps the whole page until a post it may show changes (community.posts.showcase)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from community.posts import showcase
from community.posts.hashtags import hashtag_key
from shop.choosers import ProductChooserBlock

# A hashtag as members type it after the "#" (the same rule as a look's hashtag).
hashtag_validator = RegexValidator(
    r"^\w{1,50}\Z", _("Letters, digits and _ only, without the # (for example linenweek or λινό)."),
)

SOURCES = [
    ("featured", _("Featured posts (newest featured first)")),
    ("tagged", _("Posts under a hashtag")),
    ("product", _("Posts that show a product")),
]


class PostsGalleryBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120,
                               help_text=_("Empty: \"From our members\"."))
    source = blocks.ChoiceBlock(label=_("which posts"), choices=SOURCES, default="featured")
    hashtag = blocks.CharBlock(label=_("hashtag"), required=False, max_length=50, validators=[hashtag_validator],
                               help_text=_("For \"posts under a hashtag\": without the #, for example sommerlook."))
    product = ProductChooserBlock(label=_("product"), required=False,
                                  help_text=_("For \"posts that show a product\"."))
    count = blocks.IntegerBlock(label=_("how many"), min_value=1, max_value=showcase.COUNT_MAX, default=6)

    class Meta:
        icon = "image"
        label = _("Members' photos")
        template = "content/blocks/posts_gallery.html"
        help_text = _("Photo posts whose authors allowed the brand to show them off the wall.")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value.get("source") == "tagged" and not value.get("hashtag"):
            errors["hashtag"] = ValidationError(_("Which hashtag? Posts under it will show."))
        if value.get("source") == "product" and not value.get("product"):
            errors["product"] = ValidationError(_("Which product? Posts that show it will show."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        source, count = value.get("source"), value.get("count") or 6
        request = (parent_context or {}).get("request")  # the page names the scope of what it shows
        more_url = None
        if source == "tagged":
            posts = showcase.posts_tagged(value.get("hashtag"), count, request=request)
            if posts:
                more_url = reverse("posts:tag", args=[hashtag_key(value.get("hashtag"))])
        elif source == "product":
            product = value.get("product")
            posts = showcase.posts_with_product(product, count, request=request)
            more_url = product.get_absolute_url() if posts and product is not None else None
        else:
            posts = showcase.posts_featured(count, request=request)
        context.update({"posts": posts, "more_url": more_url})
        return context
