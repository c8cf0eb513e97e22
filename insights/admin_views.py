"""Insights in the Wagtail admin: retention, cohorts, the community effect and engagement, each a
page with its filters, server-drawn SVG charts with their tables, CSV downloads of every table, the
"as of" moment of its cached figures and a refresh button; and the logged per-customer export.

Every view asks insights.permissions first (Wagtail already asked for admin access). GET never
writes; refresh is a POST (CSRF) that recomputes this page's figures for these filters only."""

import csv
import datetime

from django import forms
from django.core.cache import cache as django_cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import cache, charts, periods, selectors, sources
from .app_settings import app_settings
from .models import CustomerExport
from .permissions import can_export, check_export, check_view

DATE_WIDGET = {"type": "date"}


class FilterForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    end = forms.DateField(label=gettext_lazy("To (included)"), required=False,
                          widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))

    def __init__(self, *args, default_months=12, **kwargs):
        self.default_months = default_months
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        default = periods.Range.last_months(self.default_months)
        start, end = data.get("start") or default.start, data.get("end") or default.end
        if start > end:
            raise ValidationError(_("The start of the period must not be after its end."))
        if end > timezone.localdate():
            raise ValidationError(_("The period cannot end in the future."))
        if (end - start).days >= periods.MAX_DAYS:
            raise ValidationError(_("Choose a period of at most five years."))
        data["range"] = periods.Range(start, end)
        return data


CHOICES_SECONDS = 300


def _segment_choices(date_range):
    """The "Customers" choices: every group of every segment. Kept five minutes a language (a
    segment's groups may read the database: the loyalty tiers); a group gone since is ignored by
    the figures, which read the segments afresh."""
    cache_key = f"{cache.PREFIX}:choices:{get_language()}"
    choices = django_cache.get(cache_key)
    if choices is None:
        choices = [("", _("all customers"))]
        for segment in sources.segments():
            options = [(f"{segment.key}:{key}", str(label)) for key, label, _qs in segment.groups(date_range)]
            choices.append((str(segment.label), options))
        django_cache.set(cache_key, choices, CHOICES_SECONDS)
    return choices


class RetentionForm(FilterForm):
    grain = forms.ChoiceField(label=gettext_lazy("By"), required=False,
                              choices=[(periods.MONTH, gettext_lazy("month")), (periods.QUARTER, gettext_lazy("quarter"))])
    customers = forms.ChoiceField(label=gettext_lazy("Customers"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customers"].choices = _segment_choices(periods.Range.last_months(self.default_months))


class SplitForm(FilterForm):
    segment = forms.ChoiceField(label=gettext_lazy("Split by"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, default_months=3, **kwargs)
        self.fields["segment"].choices = [(s.key, s.label) for s in sources.segments()]


def _cell(value):
    """A CSV cell that a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def _pct(value):
    return None if value is None else round(value * 100, 1)


class AdminPageMixin(WagtailAdminTemplateMixin):
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class InsightsPage(AdminPageMixin, TemplateView):
    """A page of figures: `form_class` filters, `compute(params)` computes (cached by scope),
    `tables(value)` are the CSV tables {name: (header, rows)}, `figures_context(value)` the rest."""

    template_name = "insights/admin/_page.html"
    figures_template = ""
    form_class = FilterForm
    scope = ""
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        check_view(request.user)
        return super().dispatch(request, *args, **kwargs)

    def params(self, data):
        return {"start": data["range"].start.isoformat(), "end": data["range"].end.isoformat(),
                "window": app_settings.WINDOW_DAYS}

    def _load(self, request, refresh=False):
        self.form = self.form_class(request.GET or None)
        valid = self.form.is_valid() if request.GET else True
        if not valid:
            return False
        data = self.form.cleaned_data if request.GET else self._defaults()
        self.data = data
        params = self.params(data)
        self.value, self.as_of = cache.figures(self.scope, params, lambda: self.compute(data), refresh=refresh)
        return True

    def _defaults(self):
        """The unfiltered page's data, as the empty form cleans it (without building the form
        and its choices a second time)."""
        return {"range": periods.Range.last_months(self.form.default_months)}

    def get(self, request, *args, **kwargs):
        ok = self._load(request)
        export = request.GET.get("export")
        if export is not None:
            tables = self.tables(self.value) if ok else {}
            if export not in tables:
                return HttpResponseBadRequest(_("Choose a valid period and table to download."),
                                              content_type="text/plain; charset=utf-8")
            header, rows = tables[export]
            return csv_response(f"{self.scope}-{export}", self.data["range"], header, rows)
        response = super().get(request, *args, **kwargs)
        if not ok:
            response.status_code = 400
        return response

    def post(self, request, *args, **kwargs):
        """Refresh: compute this page's figures again for these filters, then show them."""
        self._load(request, refresh=True)
        return redirect(request.get_full_path())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, window_days=app_settings.WINDOW_DAYS, min_sample=app_settings.MIN_SAMPLE)
        if hasattr(self, "value"):
            context.update(as_of=self.as_of, date_range=self.data["range"], refresh_action=self.request.get_full_path())
            context["figures_html"] = self._figures_html(context)
        return context

    def _figures_html(self, context):
        """The figures' charts and tables as HTML, cached beside the figures they show (same
        scope, same "as of"), for this language, these filters and this viewer's export right:
        a cached page renders only the admin's frame around them."""
        can = can_export(self.request.user)
        query = self.request.GET.copy()
        query.pop("export", None)
        key = cache.fragment_key(self.scope, self.params(self.data), self.as_of, get_language(), can, query.urlencode())
        html = django_cache.get(key)
        if html is None:
            exports = {}
            for name in self.tables(self.value):
                q = query.copy()
                q["export"] = name
                exports[name] = "?" + q.urlencode()
            figures = {**context, "exports": exports,
                       "can_export": can, **self.figures_context(self.value)}
            html = render_to_string(self.figures_template, figures, request=self.request)
            django_cache.set(key, html, app_settings.CACHE_SECONDS)
        return mark_safe(html)  # noqa: S308 - our own template's output, rendered with autoescaping


def csv_response(name, date_range, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insights-{name}-{date_range.start}-{date_range.end}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response


# --- retention ----------------------------------------------------------------------------------

RETENTION_HEADER = ["period", "customers_at_start", "customers_at_end", "new_customers", "returned", "lost",
                    "retention_rate_pct", "churn_rate_pct", "repeat_rate_pct", "orders", "net_revenue", "aov",
                    "orders_in_window", "purchase_frequency", "aov_in_window", "historical_clv", "predictive_clv"]


class RetentionView(InsightsPage):
    """GET /admin/insights/retention/?start=&end=&grain=month|quarter&customers=<segment>:<group>"""

    figures_template = "insights/admin/retention_figures.html"
    page_title = gettext_lazy("Retention")
    form_class = RetentionForm
    scope = "retention"

    def params(self, data):
        return {**super().params(data), "grain": data.get("grain") or periods.MONTH, "customers": data.get("customers") or ""}

    def compute(self, data):
        segment, _sep, group = (data.get("customers") or "").partition(":")
        return selectors.retention(data["range"], data.get("grain") or periods.MONTH, segment or None, group or None)

    def tables(self, rows):
        return {"periods": (RETENTION_HEADER, [[
            r.period.code, r.figures.customers_start, r.figures.customers_end, r.figures.new, r.figures.returned,
            r.figures.lost, _pct(r.figures.retention), _pct(r.figures.churn), _pct(r.figures.repeat_rate),
            r.figures.orders, r.figures.revenue, r.figures.aov, r.figures.orders_window,
            None if r.figures.frequency is None else round(r.figures.frequency, 3), r.figures.aov_window,
            r.figures.historical_clv, r.predictive_clv] for r in rows])}

    def figures_context(self, rows):
        return {
            "rows": rows,
            "retention_chart": charts.columns([(r.period.short_label, r.figures.retention) for r in rows], percent=True),
            "repeat_chart": charts.columns([(r.period.short_label, r.figures.repeat_rate) for r in rows], percent=True),
            "aov_chart": charts.columns([(r.period.short_label, r.figures.aov) for r in rows]),
        }


# --- cohorts ------------------------------------------------------------------------------------

class CohortsView(InsightsPage):
    """GET /admin/insights/cohorts/?start=&end="""

    figures_template = "insights/admin/cohorts_figures.html"
    page_title = gettext_lazy("Cohorts")
    scope = "cohorts"

    def compute(self, data):
        return selectors.cohorts(data["range"])

    def tables(self, cohorts):
        width = max((len(c.cells) for c in cohorts), default=0)
        header = ["first_order_month", "customers"] + [f"month_{i}_pct" for i in range(1, width + 1)]
        return {"cohorts": (header, [[c.period.code, c.size] + [_pct(share) for _o, _n, share in c.cells]
                                     for c in cohorts])}

    def figures_context(self, cohorts):
        width = max((len(c.cells) for c in cohorts), default=0)
        rows = [{"cohort": c, "cells": [{"offset": o, "customers": n, "share": s, "heat": charts.heat(s)}
                                        for o, n, s in c.cells] + [None] * (width - len(c.cells))}
                for c in cohorts]
        return {"cohort_rows": rows, "offsets": list(range(1, width + 1))}


# --- the community effect -------------------------------------------------------------------------

class CommunityView(InsightsPage):
    """GET /admin/insights/community/?start=&end=&segment=community|referred|tier"""

    figures_template = "insights/admin/community_figures.html"
    page_title = gettext_lazy("Community effect")
    form_class = SplitForm
    scope = "community"

    def params(self, data):
        return {**super().params(data), "segment": data.get("segment") or "community", "min": app_settings.MIN_SAMPLE}

    def compute(self, data):
        _segment, groups = selectors.community_effect(data["range"], data.get("segment") or "community")
        return groups

    def tables(self, groups):
        header = ["group", "customers_at_start", "kept", "kept_pct", "kept_low_pct", "kept_high_pct",
                  "customers_at_end", "repeat_customers", "repeat_pct", "repeat_low_pct", "repeat_high_pct", "new_customers",
                  "orders_in_window", "aov_in_window", "aov_low", "aov_high", "purchase_frequency", "enough_to_tell"]
        return {"groups": (header, [[
            g.label, g.figures.customers_start, g.kept.count, _pct(g.kept.value), _pct(g.kept.low), _pct(g.kept.high),
            g.figures.customers_end, g.repeat.count, _pct(g.repeat.value), _pct(g.repeat.low), _pct(g.repeat.high),
            g.figures.new, g.figures.orders_window, g.aov.value, g.aov.low, g.aov.high,
            None if g.figures.frequency is None else round(g.figures.frequency, 3), "yes" if g.enough else "no",
        ] for g in groups])}

    def figures_context(self, groups):
        segment = sources.segment(self.data.get("segment") or "community")
        return {"groups": groups, "segment": segment,
                "kept_chart": charts.columns([(g.label, g.kept.value if g.kept.enough else None) for g in groups],
                                             percent=True),
                "repeat_chart": charts.columns([(g.label, g.repeat.value if g.repeat.enough else None) for g in groups],
                                               percent=True)}


# --- engagement ---------------------------------------------------------------------------------

class EngagementView(InsightsPage):
    """GET /admin/insights/engagement/?start=&end="""

    figures_template = "insights/admin/engagement_figures.html"
    page_title = gettext_lazy("Engagement")
    scope = "engagement"

    def compute(self, data):
        return selectors.engagement(data["range"])

    def tables(self, rows):
        extra = [str(label) for label, _v in rows[0].extra] if rows else []
        header = ["month", "active_members", "new_members", "topics", "replies", "solved_pct",
                  "median_hours_to_first_answer"] + extra
        return {"months": (header, [[
            r.period.code, r.active_members, r.new_members, r.topics, r.replies, _pct(r.solved_rate),
            None if r.median_first_answer_hours is None else round(r.median_first_answer_hours, 1),
        ] + [v for _label, v in r.extra] for r in rows])}

    def figures_context(self, rows):
        return {"rows": rows, "active_chart": charts.columns([(r.period.short_label, r.active_members) for r in rows]),
                "extra_labels": [label for label, _v in rows[0].extra] if rows else []}


# --- per-customer rows: a separate permission, every download logged --------------------------------

class CustomerExportView(View):
    """GET /admin/insights/customers.csv?start=&end=: one row a customer (member id, e-mail, first
    and last order, orders, net revenue) for staff with insights.export_customers; logged."""

    def get(self, request):
        check_export(request.user)
        form = FilterForm(request.GET or None)
        if request.GET and not form.is_valid():
            return HttpResponseBadRequest(_("Choose a valid period to download."), content_type="text/plain; charset=utf-8")
        date_range = form.cleaned_data["range"] if request.GET else periods.Range.last_months(12)
        log = CustomerExport.objects.create(user=request.user, start=date_range.start, end=date_range.end)
        rows = selectors.customer_rows(date_range)

        def lines():
            count = 0
            buffer = _Echo()
            writer = csv.writer(buffer)
            yield writer.writerow(["member_id", "email", "first_order", "last_order", "orders", "net_revenue"])
            for row in rows.iterator(chunk_size=2000):
                count += 1
                yield writer.writerow([_cell(v) for v in (
                    row["member_id"], row["guest"] or row["address"], _iso(row["first"]), _iso(row["last"]),
                    row["orders"], row["net"])])
            CustomerExport.objects.filter(pk=log.pk).update(rows=count)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="insights-customers-{date_range.start}-{date_range.end}.csv"')
        response["Cache-Control"] = "no-store"
        return response


class _Echo:
    def write(self, value):
        return value


def _iso(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value
