"""The forum in the Wagtail admin, under one "Forum" menu: the moderation queue, categories,
suspensions and the moderation log. Only forum moderators (community.forum.permissions.
can_moderate: active staff) see these menu items or open these views; the views themselves are in
admin_views.py."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.wagtail_admin import ReadOnlyPolicy, ReadOnlyViewSet

from . import admin_views
from .models import Category, ModerationLog
from .permissions import can_moderate


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate(request.user)


class ModeratorViewSet(ViewSet):
    """A viewset of plain admin views whose menu item only moderators see."""

    menu_item_class = ModeratorMenuItem


# --- categories -----------------------------------------------------------------------------

class CategoryPolicy(ModelPermissionPolicy):
    """The Django model permissions on categories, and only for moderators."""

    def user_has_permission(self, user, action):
        return can_moderate(user) and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(actions).filter(is_staff=True, is_active=True, deleted_at__isnull=True)


register_permission_policy(Category, CategoryPolicy(Category), exact_class=True)


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    menu_name = "forum-categories"
    list_display = ["name", "slug", "parent", "position", "topic_count", "members_only", "staff_only_topics"]
    list_filter = ["members_only", "staff_only_topics"]
    search_fields = ["name", "description"]
    ordering = ["position", "name"]

    def get_queryset(self, request):
        return Category.objects.select_related("parent")


# --- the moderation log ---------------------------------------------------------------------

class ModerationLogPolicy(ReadOnlyPolicy):
    """Append-only: moderators read it; nobody adds, edits or deletes entries here."""

    def user_has_permission(self, user, action):
        return action == "view" and can_moderate(user)


register_permission_policy(ModerationLog, ModerationLogPolicy(ModerationLog), exact_class=True)


class ModerationLogIndexView(IndexView):
    # ModelViewSet has no get_queryset(request) hook (only SnippetViewSet has): the rows' related
    # objects are joined here, so the list is a fixed number of queries.
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("actor", "topic", "post__topic", "member")


class ModerationLogViewSet(ReadOnlyViewSet):
    model = ModerationLog
    name = "forum_moderationlog"
    url_prefix = "forum/log"
    icon = "history"
    menu_label = _("Moderation log")
    menu_name = "forum-log"
    list_display = [
        DateColumn("created_at", label=_("When")),
        Column("actor", label=_("Moderator")),
        Column("action", accessor="get_action_display", label=_("Action")),
        Column("topic", label=_("Topic")),
        Column("post", label=_("Post")),
        Column("member", label=_("Member")),
        Column("detail", label=_("Detail")),
    ]
    list_filter = ["action", "created_at"]
    search_fields = ["detail"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    inspect_view_fields = ["created_at", "actor", "action", "topic", "post", "member", "detail"]
    index_view_class = ModerationLogIndexView


# --- the queue and suspensions --------------------------------------------------------------

class ModerationQueueViewSet(ModeratorViewSet):
    name = "forum_queue"
    url_prefix = "forum/queue"
    icon = "warning"
    menu_label = _("Moderation queue")
    menu_name = "forum-queue"

    def get_urlpatterns(self):
        return [
            path("", admin_views.ModerationQueueView.as_view(), name="index"),
            path("posts/<int:pk>/hide/", admin_views.PostActionView.as_view(action="hide"), name="hide"),
            path("posts/<int:pk>/restore/", admin_views.PostActionView.as_view(action="restore"), name="restore"),
            path("posts/<int:pk>/approve/", admin_views.PostActionView.as_view(action="approve"), name="approve"),
            path("reports/<int:pk>/dismiss/", admin_views.ReportDismissView.as_view(), name="dismiss"),
        ]


class SuspensionViewSet(ModeratorViewSet):
    name = "forum_suspensions"
    url_prefix = "forum/suspensions"
    icon = "lock"
    menu_label = _("Suspensions")
    menu_name = "forum-suspensions"

    def get_urlpatterns(self):
        return [
            path("", admin_views.SuspensionsView.as_view(), name="index"),
            path("<int:pk>/lift/", admin_views.SuspensionLiftView.as_view(), name="lift"),
        ]


class ForumGroup(SnippetViewSetGroup):
    """A snippet group, so that the category snippet keeps its menu place here (and leaves the
    generic "Snippets" list); the other items are plain viewsets."""

    menu_label = _("Forum")
    menu_icon = "group"
    menu_name = "forum"
    menu_order = 250
    items = (ModerationQueueViewSet, CategoryViewSet, SuspensionViewSet, ModerationLogViewSet)


register_snippet(ForumGroup)
