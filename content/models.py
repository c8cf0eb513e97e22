import datetime

from django.db import models
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from .blog.models import Author, BlogCategory, BlogDiscussion, BlogIndexPage, BlogPage, BlogPageAuthor, BlogPageTag  # noqa: F401 - the blog's models are content's
from .page_blocks import HomeBlock, LooksBlock, MembersBodyBlock, StoryBodyBlock


class HomePage(Page):
    """The site's root page: a hero, a featured lookbook, the newest blog posts, a strip of what
    members share, and for signed-in members a call to refer their friends."""

    intro = models.CharField(_("intro"), max_length=250, blank=True, help_text=_("One or two sentences under the title."))
    hero_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("hero image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The wide picture at the top of the home page. Landscape, at least 1600 pixels wide."),
    )
    body = RichTextField(_("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    sections = StreamField(HomeBlock(), verbose_name=_("sections"), blank=True,
                           help_text=_("Shown under the text: members' top reviews."))
    featured_lookbook = models.ForeignKey(
        "content.LookbookPage", verbose_name=_("featured lookbook"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Shown under the hero. Empty: the newest lookbook."),
    )
    referral_heading = models.CharField(
        _("heading"), max_length=120, blank=True,
        help_text=_("Shown to signed-in members only. Empty: \"Share what you love\"."),
    )
    referral_text = models.CharField(
        _("text"), max_length=300, blank=True,
        help_text=_("Empty: a sentence on the friend's discount and the member's points."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("sections"),
        FieldPanel("featured_lookbook"),
        MultiFieldPanel([FieldPanel("referral_heading"), FieldPanel("referral_text")],
                        heading=_("Invite friends (members only)")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(self, request))
        return context


HOME_LATEST_POSTS = 3


# --- Brand story, lookbooks and members-only pages -------------------------------------------------
# Reads for these live in content/selectors.py; who may see a members-only page, in
# content/permissions.py.

class BrandStoryPage(Page):
    """The brand story ("about us", at /about/): the people and the mission behind the brand, told
    with text, pictures, video, quotes, a timeline, values and the team."""

    intro = models.CharField(_("intro"), max_length=300, blank=True,
                             help_text=_("One or two sentences under the title; also the page's summary in search and links."))
    hero_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("hero image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The wide picture at the top. Landscape, at least 1280 pixels wide."),
    )
    body = StreamField(StoryBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("hero_image"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["content.HomePage"]
    subpage_types = []
    og_type = "website"

    class Meta:
        verbose_name = _("brand story page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import content_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(content_page_context(self, request, "AboutPage"))
        return context


class LookbookIndexPage(Page):
    """/lookbooks/: every lookbook, newest first."""

    intro = models.CharField(_("intro"), max_length=300, blank=True, help_text=_("One or two sentences under the title."))

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.LookbookPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("lookbook index page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import content_page_context, lookbooks

        context = super().get_context(request, *args, **kwargs)
        context["lookbooks"] = lookbooks(self)
        context.update(content_page_context(self, request, "CollectionPage"))
        return context


class LookbookPage(Page):
    """A lookbook: an intro and its looks in order, each with pictures, styling notes, the products
    worn ("shop the look") and a hashtag for members' own photos."""

    date = models.DateField(_("date"), default=datetime.date.today,
                            help_text=_("The lookbook list shows the newest first by this date."))
    season = models.CharField(_("season"), max_length=60, blank=True, help_text=_("For example: Summer 2026."))
    intro = models.CharField(_("intro"), max_length=300, blank=True,
                             help_text=_("One or two sentences: shown in the lookbook list, search results and link previews."))
    cover_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Shown in the lookbook list and on the home page. Landscape works best."),
    )
    looks = StreamField(LooksBlock(), verbose_name=_("looks"), blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("season")]),
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        FieldPanel("looks"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"), index.SearchField("season"), index.SearchField("looks"), index.FilterField("date"),
    ]

    parent_page_types = ["content.LookbookIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lookbook")
        verbose_name_plural = _("lookbooks")

    def get_context(self, request, *args, **kwargs):
        from .selectors import content_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(content_page_context(self, request, "CollectionPage"))
        return context


class LookbookProduct(models.Model):
    """A product worn in a published lookbook: the product page's "In our lookbooks", read from this
    index (content.lookbook_index keeps it when a lookbook is published or taken down)."""

    # Saved with its page: a change moves the pages' scope, not the whole site's (content.signals).
    page_index = True

    page = models.ForeignKey(LookbookPage, on_delete=models.CASCADE, related_name="product_links")
    product = models.ForeignKey("shop.Product", on_delete=models.CASCADE, related_name="lookbook_links")

    class Meta:
        verbose_name = _("product in a lookbook")
        verbose_name_plural = _("products in lookbooks")
        constraints = [models.UniqueConstraint(fields=["page", "product"], name="content_lookbook_product_once")]

    def __str__(self):
        return f"{self.page_id} → {self.product_id}"


class MembersOnlyPage(Page):
    """Early access and premium content (interviews, videos, studio notes): everyone sees the title,
    the teaser and a prompt to join or log in; members see the body too."""

    intro = models.CharField(_("teaser"), max_length=300,
                             help_text=_("Shown to everyone, also in search results and link previews: what members will find."))
    hero_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("hero image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Shown to everyone. Landscape, at least 1280 pixels wide."),
    )
    body = StreamField(MembersBodyBlock(), verbose_name=_("members' content"), blank=True,
                       help_text=_("Only signed-in members see this. It is left out of site search."))
    early_access_tier = models.ForeignKey(
        "referrals.Tier", verbose_name=_("early access for tier"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only members in this loyalty tier or a higher one can read the page at first. "
                    "Empty: every member can."))
    early_access_until = models.DateTimeField(
        _("early access until"), null=True, blank=True,
        help_text=_("From then on every member can read it. Empty: only the tier, for as long as it is set."))

    content_panels = Page.content_panels + [
        FieldPanel("intro"), FieldPanel("hero_image"), FieldPanel("body"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("early_access_tier"), FieldPanel("early_access_until")])],
                        heading=_("Early access")),
    ]
    # The body is not indexed: site search must not show members' content to everyone.
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["content.HomePage", "content.MembersOnlyPage"]

    class Meta:
        verbose_name = _("members-only page")
        verbose_name_plural = _("members-only pages")

    def get_context(self, request, *args, **kwargs):
        from core.pagecache import page_max_age

        from .permissions import early_access_tier, members_gate
        from .selectors import content_page_context

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        gate = members_gate(request.user, self, now)
        context["gate"], context["can_view"] = gate, gate is None
        context["early_tier"] = early = early_access_tier(self, now)
        if early is not None and self.early_access_until is not None:
            # the cached visitors' page names the early access: kept no longer than it lasts
            page_max_age(request, max(1, int((self.early_access_until - now).total_seconds())))
        context.update(content_page_context(self, request, "WebPage", members_only=True))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # The answer depends on who asks: no shared cache may keep either version.
        patch_vary_headers(response, ["Cookie"])
        if request.user.is_authenticated:
            patch_cache_control(response, private=True)
        return response


# --- The brand -----------------------------------------------------------------------------------

@register_setting(icon="pick")
class BrandSettings(BaseSiteSetting):
    """The brand's name, logo and voice (Settings > Brand): the header, the footer, every e-mail,
    share cards, search engines' Organization card and the admin's title and dashboard use them.

    The name is also the Wagtail Site's name (saving here updates it), which core.absolute.site_name
    and so every e-mail read."""

    name = models.CharField(_("brand name"), max_length=80, blank=True,
                            help_text=_("Shown in the header, e-mails, share cards and the admin. Empty: the site's name."))
    tagline = models.CharField(
        _("tagline"), max_length=160, blank=True,
        help_text=_("One sentence in the brand's voice: under the name in the footer, and the description of pages "
                    "that have none of their own (search engines, share cards)."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("A square mark, at least 96 × 96 pixels. Empty: the site's default mark."),
    )

    panels = [FieldPanel("name"), FieldPanel("tagline"), FieldPanel("logo")]

    class Meta:
        verbose_name = _("brand")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.name:
            Site.objects.filter(pk=self.site_id).exclude(site_name=self.name).update(site_name=self.name)


# --- Help centre (issue 20, "support that teaches") -----------------------------------------------
# FAQ, sizing, returns and care pages under one help-centre index, found by site search (kind
# "help"). A product page links to the live care page (content.templatetags.help_tags).


class HelpTopic(models.TextChoices):
    FAQ = "faq", _("Frequently asked questions")
    SIZING = "sizing", _("Sizing")
    RETURNS = "returns", _("Returns")
    CARE = "care", _("Care")
    OTHER = "other", _("Other")


class HelpIndexPage(Page):
    """The help centre (/help/): its pages listed by topic, and a link to ask the team."""

    intro = models.CharField(_("intro"), max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.HelpPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("help centre")

    def get_context(self, request, *args, **kwargs):
        from .selectors import content_page_context

        context = super().get_context(request, *args, **kwargs)
        context["help_pages"] = HelpPage.objects.child_of(self).live().public().order_by("path")
        context.update(content_page_context(self, request, "CollectionPage"))
        return context


class HelpPage(Page):
    """One help page: the FAQ, the size guide, returns, caring for what you bought."""

    topic = models.CharField(_("topic"), max_length=16, choices=HelpTopic.choices, default=HelpTopic.OTHER,
                             help_text=_("Product pages link to the live page on care."))
    intro = models.CharField(_("intro"), max_length=300, blank=True,
                             help_text=_("One or two sentences; also the page's summary in search."))
    body = StreamField(StoryBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("topic"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro", boost=2), index.SearchField("body"),
                                          index.FilterField("topic")]
    parent_page_types = ["content.HelpIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("help page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import content_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(content_page_context(self, request, "WebPage"))
        return context
