"""Compute the figures each Insights page shows by default (the last twelve months; the community
effect's last three), and the dashboard's, into the cache ahead of staff: run nightly
(`manage.py insights_warm`), so the first visit of the day reads cached figures instead of
running the aggregates over every order. Each entry is recomputed in its own scope, as a refresh
would; nothing else in the cache is touched."""

from django.utils import timezone

from . import admin_views, cache, selectors
from .app_settings import app_settings

PAGES = (admin_views.RetentionView, admin_views.CohortsView, admin_views.CommunityView, admin_views.EngagementView)


def figures_warm():
    """Recompute every default scope; returns the scopes warmed."""
    warmed = []
    for page_class in PAGES:
        page = page_class()
        form = page.form_class({})
        form.is_valid()
        data = form.cleaned_data
        cache.figures(page.scope, page.params(data), lambda page=page, data=data: page.compute(data), refresh=True)
        warmed.append(page.scope)
    params = {"window": app_settings.WINDOW_DAYS, "today": timezone.localdate().isoformat()}
    cache.figures("headline", params, selectors.headline, refresh=True)
    return warmed + ["headline"]
