"""The blog: its index page (lists, archives by category and tag, feeds), posts, authors and
categories. The models belong to the content app (content.models imports them, so migrations and
app labels stay content's); reads live in content/blog/selectors.py, the feeds in feeds.py."""

import datetime

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import BlogBodyBlock, body_text

# --- Blog ----------------------------------------------------------------------------------------
# The pages and snippets of /blog/. Reads (lists, archives, related posts, feeds) live in
# content/blog/selectors.py; the feeds in content/blog/feeds.py.

@register_snippet
class Author(TranslatableMixin, models.Model):
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

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name


@register_snippet
class BlogCategory(TranslatableMixin, models.Model):
    """A broad section of the blog; every post is in a few at most. Tags are the fine-grained ones."""

    # Unique within a language: the Greek "Φροντίδα" translates the English "Care".
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=True,
                            help_text=_("The category's address: /blog/category/<slug>/."))
    description = models.TextField(_("description"), max_length=500, blank=True,
                                   help_text=_("Shown at the top of the category's page."))

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("blog category")
        unique_together = [("translation_key", "locale"), ("locale", "slug"), ("locale", "name")]
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
        from .selectors import blog_feed_links

        context = super().get_context(request, *args, **kwargs)
        context["blog"] = self
        context["feed_links"] = blog_feed_links(self, request)
        return context

    def _listing(self, request, posts, **extra):
        from .selectors import paginate_posts

        page_obj = paginate_posts(posts, request.GET.get("page"))
        return self.render(request, context_overrides={"page_obj": page_obj, "posts": page_obj.object_list, **extra})

    @path("", name="index")
    def index_route(self, request):
        from .selectors import blog_posts

        return self._listing(request, blog_posts(self))

    @path("tag/<str:tag>/", name="tag")
    def tag_archive(self, request, tag):
        from .selectors import blog_feed_links, blog_posts, blog_tag_or_404

        tag_obj = blog_tag_or_404(tag)
        return self._listing(request, blog_posts(self, tag=tag_obj), archive_tag=tag_obj,
                             feed_links=blog_feed_links(self, request, tag=tag_obj))

    @path("category/<str:category>/", name="category")
    def category_archive(self, request, category):
        from .selectors import blog_category_or_404, blog_feed_links, blog_posts

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
        from .feeds import blog_feed
        from .selectors import blog_category_or_404, blog_tag_or_404

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
        from .selectors import blog_post_context

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


class BlogDiscussion(models.Model):
    """The forum topic where members discuss a blog post: one per post (content.blog.services)."""

    page = models.OneToOneField("content.BlogPage", on_delete=models.CASCADE, related_name="discussion")
    topic = models.OneToOneField("forum.Topic", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blog post discussion")

    def __str__(self):
        return str(self.page_id)
