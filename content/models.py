import datetime

from django import forms
from django.db import models
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blog_blocks import BlogBodyBlock, body_text
from .page_blocks import LooksBlock, MembersBodyBlock, StoryBodyBlock


class HomePage(Page):
    """The site's root page: a hero, a featured lookbook, the newest blog posts, a strip of what
    members share, and for signed-in members a call to refer their friends."""

    intro = models.CharField(_("intro"), max_length=250, blank=True, help_text=_("One or two sentences under the title."))
    hero_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("hero image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The wide picture at the top of the home page. Landscape, at least 1600 pixels wide."),
    )
    body = RichTextField(_("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
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


# --- Blog ----------------------------------------------------------------------------------------
# The pages and snippets of /blog/. Reads (lists, archives, related posts, feeds) live in
# content/blog_selectors.py; the feeds in content/feeds.py.

@register_snippet
class Author(models.Model):
    """Someone who writes for the blog. Not a member account: editors manage authors as snippets."""

    name = models.CharField(_("name"), max_length=120, help_text=_("As it should appear under a post."))
    photo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("A portrait, shown round and small. Square images work best."),
    )
    bio = models.TextField(_("short bio"), max_length=300, blank=True,
                           help_text=_("One or two sentences, shown under their posts."))

    panels = [FieldPanel("name"), FieldPanel("photo"), FieldPanel("bio")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name


@register_snippet
class BlogCategory(models.Model):
    """A broad section of the blog; every post is in a few at most. Tags are the fine-grained ones."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True,
                            help_text=_("The category's address: /blog/category/<slug>/."))
    description = models.TextField(_("description"), max_length=500, blank=True,
                                   help_text=_("Shown at the top of the category's page."))

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("blog category")
        verbose_name_plural = _("blog categories")

    def __str__(self):
        return self.name


class BlogIndexPage(RoutablePageMixin, Page):
    """/blog/: the posts, newest first, 10 to a page; tag and category archives; RSS and Atom feeds."""

    intro = models.CharField(_("intro"), max_length=300, blank=True, help_text=_("One or two sentences under the title."))

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.BlogPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("blog index page")

    def get_context(self, request, *args, **kwargs):
        from .blog_selectors import blog_feed_links

        context = super().get_context(request, *args, **kwargs)
        context["blog"] = self
        context["feed_links"] = blog_feed_links(self, request)
        return context

    def _listing(self, request, posts, **extra):
        from .blog_selectors import paginate_posts

        page_obj = paginate_posts(posts, request.GET.get("page"))
        return self.render(request, context_overrides={"page_obj": page_obj, "posts": page_obj.object_list, **extra})

    @path("", name="index")
    def index_route(self, request):
        from .blog_selectors import blog_posts

        return self._listing(request, blog_posts(self))

    @path("tag/<str:tag>/", name="tag")
    def tag_archive(self, request, tag):
        from .blog_selectors import blog_feed_links, blog_posts, blog_tag_or_404

        tag_obj = blog_tag_or_404(tag)
        return self._listing(request, blog_posts(self, tag=tag_obj), archive_tag=tag_obj,
                             feed_links=blog_feed_links(self, request, tag=tag_obj))

    @path("category/<str:category>/", name="category")
    def category_archive(self, request, category):
        from .blog_selectors import blog_category_or_404, blog_feed_links, blog_posts

        category_obj = blog_category_or_404(category)
        return self._listing(request, blog_posts(self, category=category_obj), archive_category=category_obj,
                             feed_links=blog_feed_links(self, request, category=category_obj))

    @path("feed/", name="feed")
    def feed_rss(self, request):
        return self._feed(request, "rss")

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request):
        return self._feed(request, "atom")

    @path("tag/<str:tag>/feed/", name="tag_feed")
    def tag_feed_rss(self, request, tag):
        return self._feed(request, "rss", tag=tag)

    @path("tag/<str:tag>/feed/atom/", name="tag_feed_atom")
    def tag_feed_atom(self, request, tag):
        return self._feed(request, "atom", tag=tag)

    @path("category/<str:category>/feed/", name="category_feed")
    def category_feed_rss(self, request, category):
        return self._feed(request, "rss", category=category)

    @path("category/<str:category>/feed/atom/", name="category_feed_atom")
    def category_feed_atom(self, request, category):
        return self._feed(request, "atom", category=category)

    def _feed(self, request, kind, tag=None, category=None):
        from .blog_selectors import blog_category_or_404, blog_tag_or_404
        from .feeds import blog_feed

        tag_obj = blog_tag_or_404(tag) if tag is not None else None
        category_obj = blog_category_or_404(category) if category is not None else None
        return blog_feed(request, self, kind, tag=tag_obj, category=category_obj)

    def subpage_url(self, name, request=None, **kwargs):
        """The URL of one of this page's routes, e.g. subpage_url("tag", tag="λινό")."""
        return self.get_url(request) + self.reverse_subpage(name, kwargs=kwargs).lstrip("/")


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("content.BlogPage", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("blog post tag")
        verbose_name_plural = _("blog post tags")


class BlogPage(Page):
    """One post of the blog, under the BlogIndexPage."""

    date = models.DateField(_("post date"), default=datetime.date.today,
                            help_text=_("Shown on the post; the blog and its feeds list posts newest first by this date."))
    intro = models.CharField(
        _("summary"), max_length=300,
        help_text=_("One or two sentences: shown in the blog list, the feeds, search results and link previews."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("hero image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The wide picture at the top of the post and in the blog list. Landscape, at least 1280 pixels wide."),
    )
    body = StreamField(BlogBodyBlock(), verbose_name=_("body"), blank=True)
    categories = ParentalManyToManyField("content.BlogCategory", verbose_name=_("categories"), blank=True,
                                         related_name="posts", help_text=_("One or two sections of the blog."))
    tags = ClusterTaggableManager(through=BlogPageTag, verbose_name=_("tags"), blank=True,
                                  help_text=_("Words readers may follow, e.g. linen, care, Aegean."))

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), InlinePanel("blog_authors", label=_("Authors"))], heading=_("Date and authors")),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("categories", widget=forms.CheckboxSelectMultiple), FieldPanel("tags")],
                        heading=_("Categories and tags")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("categories", [index.SearchField("name")]),
        index.FilterField("date"),
    ]

    parent_page_types = ["content.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("blog post")
        verbose_name_plural = _("blog posts")

    @property
    def author_list(self):
        """The authors in their order (prefetched by the blog's lists)."""
        return [link.author for link in self.blog_authors.all()]

    @property
    def reading_minutes(self):
        """Minutes to read the body at 200 words a minute, rounded, at least 1."""
        words = len(body_text(self.body.raw_data).split())
        return max(1, int(words / 200 + 0.5))

    def get_context(self, request, *args, **kwargs):
        from .blog_selectors import blog_post_context

        context = super().get_context(request, *args, **kwargs)
        context.update(blog_post_context(self, request))
        return context


class BlogPageAuthor(Orderable):
    """An author of a post, in the order editors give them."""

    page = ParentalKey(BlogPage, on_delete=models.CASCADE, related_name="blog_authors")
    author = models.ForeignKey(Author, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = _("post author")
        verbose_name_plural = _("post authors")


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

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("hero_image"), FieldPanel("body")]
    # The body is not indexed: site search must not show members' content to everyone.
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["content.HomePage", "content.MembersOnlyPage"]

    class Meta:
        verbose_name = _("members-only page")
        verbose_name_plural = _("members-only pages")

    def get_context(self, request, *args, **kwargs):
        from .permissions import can_view_members_content
        from .selectors import content_page_context

        context = super().get_context(request, *args, **kwargs)
        context["can_view"] = can_view_members_content(request.user, self)
        context.update(content_page_context(self, request, "WebPage", members_only=True))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # The answer depends on who asks: no shared cache may keep either version.
        patch_vary_headers(response, ["Cookie"])
        if request.user.is_authenticated:
            patch_cache_control(response, private=True)
        return response
