"""Read-only records in the Wagtail admin: a permission policy that allows viewing only, and a
viewset with list, filter and inspect views and no add, edit, copy or delete views at all.

Wagtail's ModelViewSet never calls a `get_queryset(request)` on the viewset (only SnippetViewSet
does), so the related rows a list shows are joined by the index view: name them in
`list_select_related`, and the list is a fixed number of queries however many rows it shows.
"""

from django.urls import path
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Staff with the view permission may view; nobody adds, changes or deletes here."""

    WRITE_ACTIONS = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.WRITE_ACTIONS and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ReadOnlyIndexView(IndexView):
    """The list, with the related rows named in `select_related` joined into its one query."""

    select_related = ()

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        return queryset.select_related(*self.select_related) if self.select_related else queryset


class ReadOnlyViewSet(ModelViewSet):
    """List, filter and inspect; no add, edit, copy or delete views at all."""

    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    search_backend_name = None
    index_view_class = ReadOnlyIndexView
    #: related objects the list shows, joined into the list's query (see the module docstring)
    list_select_related = ()

    def get_index_view_kwargs(self, **kwargs):
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        if issubclass(self.index_view_class, ReadOnlyIndexView):
            view_kwargs["select_related"] = tuple(self.list_select_related)
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]
