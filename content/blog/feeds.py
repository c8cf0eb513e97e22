"""RSS 2.0 and Atom feeds of the blog, of a category and of a tag, with Django's syndication
framework. BlogIndexPage's routes call blog_feed(); one Feed instance serves one request."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from core.absolute import absolute_url

from .selectors import feed_posts, site_name


class BlogRssFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, request, blog, tag=None, category=None):
        super().__init__()
        self.request, self.blog, self.tag, self.category = request, blog, tag, category

    def get_object(self, request, *args, **kwargs):
        return self.blog

    def title(self, blog):
        if self.tag is not None:
            return _("%(blog)s: posts tagged “%(tag)s”") % {"blog": blog.title, "tag": self.tag.name}
        if self.category is not None:
            return f"{blog.title}: {self.category.name}"
        return f"{blog.title} · {site_name(self.request)}"

    def link(self, blog):
        if self.tag is not None:
            return blog.subpage_url("tag", self.request, tag=self.tag.slug)
        if self.category is not None:
            return blog.subpage_url("category", self.request, category=self.category.slug)
        return blog.get_url(self.request)

    def description(self, blog):
        if self.category is not None and self.category.description:
            return self.category.description
        return blog.intro or blog.title

    def items(self, blog):
        return feed_posts(blog, tag=self.tag, category=self.category)

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.intro

    def item_link(self, post):
        return post.get_url(self.request)

    def item_guid(self, post):
        return absolute_url(post.get_url(self.request), self.request)

    item_guid_is_permalink = True

    def item_pubdate(self, post):
        return timezone.make_aware(datetime.datetime.combine(post.date, datetime.time(12)))

    def item_updateddate(self, post):
        return post.last_published_at

    def item_author_name(self, post):
        names = [link.author.name for link in post.blog_authors.all()]
        return ", ".join(names) or site_name(self.request)

    def item_categories(self, post):
        return ()


class BlogAtomFeed(BlogRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, blog):
        return self.description(blog)


def blog_feed(request, blog, kind, tag=None, category=None):
    feed_class = BlogAtomFeed if kind == "atom" else BlogRssFeed
    return feed_class(request, blog, tag=tag, category=category)(request)
