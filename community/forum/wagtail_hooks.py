"""The forum in the Wagtail admin: its categories, under a "Forum" menu. Only moderators
(community.moderation.permissions.can_moderate) see it. The queue, the log and suspensions are in
the one "Moderation" menu (community.moderation.wagtail_hooks)."""

from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Category
from .permissions import can_moderate

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


class ForumGroup(SnippetViewSetGroup):
    """A snippet group, so that the category snippet keeps its menu place here (and leaves the
    generic "Snippets" list)."""

    menu_label = _("Forum")
    menu_icon = "group"
    menu_name = "forum"
    menu_order = 250
    items = (CategoryViewSet,)


register_snippet(ForumGroup)
