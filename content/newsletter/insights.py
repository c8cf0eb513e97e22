"""The newsletter's figures for staff insights (insights.sources.register_series): how many
addresses confirmed, and how many unsubscribed, in each period. One aggregate query each."""

from insights.selectors import bucketed_counts

from .models import Subscriber


def _per_period(column, periods):
    bounds = [p.since for p in periods] + [periods[-1].until] if periods else []
    if not bounds:
        return []
    counts = bucketed_counts(Subscriber.objects.filter(**{f"{column}__isnull": False}), column, bounds)
    return [counts.get(k, 0) for k in range(len(periods))]


def confirmed_per_period(periods):
    return _per_period("confirmed_at", periods)


def unsubscribed_per_period(periods):
    return _per_period("unsubscribed_at", periods)
