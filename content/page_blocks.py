"""StreamField blocks of the brand story (/about/), the lookbooks and the members-only pages.

Rich text, images with captions and quotes are the blog's blocks (content.blog.blocks); this adds
a video embed, a timeline, the brand's values, the people behind it, a lookbook's looks, and the
members' top product reviews (on the home page too)."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock

from community.reviews.cache import page_shows_reviews
from community.reviews.highlights import TOP_REVIEWS_MAX, top_reviews
from shop.choosers import ProductChooserBlock

from .blog.blocks import ImageWithCaptionBlock, PrefetchingImageChooserBlock, QuoteBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]

# A hashtag as members type it after the "#": letters and digits of any script and "_".
hashtag_validator = RegexValidator(
    r"^\w{1,50}\Z", _("Letters, digits and _ only, without the # (for example linenweek or λινό)."),
)


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video address"), max_width=1280,
                       help_text=_("A YouTube or Vimeo address; the player is embedded from there."))
    title = blocks.CharBlock(label=_("title"), max_length=200,
                             help_text=_("What the video is, for screen readers and as its caption."))
    transcript = blocks.TextBlock(label=_("transcript"), required=False,
                                  help_text=_("Optional: the words of the video, for people who cannot hear it."))

    class Meta:
        icon = "media"
        label = _("Video")
        template = "content/blocks/video.html"


class TimelineEventBlock(blocks.StructBlock):
    year = blocks.IntegerBlock(label=_("year"), min_value=1000, max_value=2999)
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False, max_length=600)
    image = PrefetchingImageChooserBlock(label=_("image"), required=False)

    class Meta:
        icon = "date"
        label = _("Event")


class TimelineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    events = blocks.ListBlock(TimelineEventBlock(), label=_("events"), min_num=1,
                              help_text=_("In the order they happened."))

    class Meta:
        icon = "time"
        label = _("Timeline")
        template = "content/blocks/timeline.html"


class ValueBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=80)
    text = blocks.TextBlock(label=_("text"), max_length=400)

    class Meta:
        icon = "pick"
        label = _("Value")


class ValuesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    values = blocks.ListBlock(ValueBlock(), label=_("values"), min_num=1, max_num=8)

    class Meta:
        icon = "list-ul"
        label = _("Values")
        template = "content/blocks/values.html"


class PersonBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("name"), max_length=120)
    role = blocks.CharBlock(label=_("role"), required=False, max_length=120)
    photo = PrefetchingImageChooserBlock(label=_("photo"), required=False)
    bio = blocks.TextBlock(label=_("short bio"), required=False, max_length=400)

    class Meta:
        icon = "user"
        label = _("Person")


class PeopleBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    people = blocks.ListBlock(PersonBlock(), label=_("people"), min_num=1)

    class Meta:
        icon = "group"
        label = _("People")
        template = "content/blocks/people.html"


class TopReviewsBlock(blocks.StructBlock):
    """Members' best reviews: of one product or of every product, published ones only (one query
    a block, whatever the count). The reviews show as members wrote them; no rich-results markup
    (a page about the brand must not rate the brand itself)."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120,
                               help_text=_("Empty: “What members say”."))
    product = ProductChooserBlock(label=_("product"), required=False,
                                  help_text=_("Empty: reviews of every product on sale."))
    min_rating = blocks.ChoiceBlock(
        label=_("lowest rating"), default="4",
        choices=[("1", _("1 star")), ("2", _("2 stars")), ("3", _("3 stars")), ("4", _("4 stars")), ("5", _("5 stars"))],
        help_text=_("Only reviews rated at least this."),
    )
    count = blocks.IntegerBlock(label=_("how many"), default=3, min_value=1, max_value=TOP_REVIEWS_MAX)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page_shows_reviews((parent_context or {}).get("request"), highlights=True)
        context["reviews"] = top_reviews(product=value.get("product"), min_rating=int(value.get("min_rating") or 1),
                                         count=value.get("count") or 3)
        return context

    class Meta:
        icon = "pick"
        label = _("Top reviews")
        template = "content/blocks/top_reviews.html"


class HomeBlock(blocks.StreamBlock):
    """Sections of the home page below its text."""

    top_reviews = TopReviewsBlock()


class StoryBodyBlock(blocks.StreamBlock):
    """The brand story's body: everything an "about us" page needs."""

    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    timeline = TimelineBlock()
    values = ValuesBlock()
    people = PeopleBlock()
    top_reviews = TopReviewsBlock()


class MembersBodyBlock(blocks.StreamBlock):
    """The body of a members-only page: an interview, a video, studio notes."""

    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    top_reviews = TopReviewsBlock()


class LookImageBlock(blocks.StructBlock):
    image = PrefetchingImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"), required=False, max_length=250,
        help_text=_("What the image shows, for people who cannot see it. Empty: the image's own description."),
    )

    class Meta:
        icon = "image"
        label = _("Image")


class LookBlock(blocks.StructBlock):
    """One look of a lookbook: pictures, a caption, styling notes, the products in it and the
    hashtag under which members share the look."""

    title = blocks.CharBlock(label=_("title"), max_length=120)
    images = blocks.ListBlock(LookImageBlock(), label=_("images"), min_num=1, max_num=6,
                              help_text=_("The first is the large one. Portrait pictures work best."))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)
    styling_notes = blocks.RichTextBlock(label=_("styling notes"), required=False,
                                         features=["bold", "italic", "link", "ul"],
                                         help_text=_("How to wear it: fit, layering, what goes with it."))
    products = blocks.ListBlock(ProductChooserBlock(label=_("product")), label=_("shop the look"), min_num=0, max_num=8,
                                help_text=_("The products worn in this look, linked to their pages and the shop."))
    hashtag = blocks.CharBlock(label=_("hashtag"), required=False, max_length=50, validators=[hashtag_validator],
                               help_text=_("Without the #: members who post under it appear with this look."))

    class Meta:
        icon = "image"
        label = _("Look")
        template = "content/blocks/look.html"


class LooksBlock(blocks.StreamBlock):
    look = LookBlock()
