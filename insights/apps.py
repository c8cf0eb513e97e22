from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Retention insight for staff (issue 19): retention, cohorts, the community effect and
    engagement, computed with SQL aggregates from shop orders and community activity. Sits above
    referrals and community (it reads them) and below content (which may register into it)."""

    name = "insights"
    verbose_name = "Insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # the community activity and segment sources this layer knows of (forum, photo posts,
        # reviews, referrals, loyalty tiers); later apps register their own (see insights.sources)
        from . import builtin_sources, receivers

        builtin_sources.register()
        # the per-order facts the figures read follow every change to orders (insights.facts)
        receivers.connect()
