"""RSS of the newest topics, for the whole forum and for a category (none for members-only ones)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from .. import selectors
from ..cache import LISTS_SCOPE, page_shows_forum
from ..models import Post


class LatestTopicsFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, slug=None):
        self.request = request
        page_shows_forum(request, LISTS_SCOPE)
        if slug is None:
            return None
        category = selectors.category_get(request.user, slug)
        if category.members_only or (category.parent_id and category.parent.members_only):
            raise Http404  # feeds are public: members-only categories have none
        return category

    def title(self, obj):
        return _("Forum: %(name)s") % {"name": obj.name} if obj else _("Forum: latest topics")

    def link(self, obj):
        return obj.get_absolute_url() if obj else reverse("forum:index")

    def description(self, obj):
        return obj.description if obj and obj.description else _("New topics in the community forum.")

    def items(self, obj):
        from django.contrib.auth.models import AnonymousUser

        topics = list(selectors.feed_topics(AnonymousUser(), obj))
        openings = {p.topic_id: p for p in Post.objects.filter(topic__in=topics, number=1)}
        for topic in topics:
            topic.opening = openings.get(topic.pk)
        return topics

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.opening.body_html if item.opening and not item.opening.is_deleted else ""

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return item.author.public_name

    def item_categories(self, item):
        return [item.category.name]
