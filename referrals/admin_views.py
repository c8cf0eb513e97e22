"""Referrals in the Wagtail admin: the queue of flagged referrals (approve / reject with a reason
the referrer sees) and the funnel report with its CSV exports.

Every view asks referrals.staff_permissions first. Wagtail's admin already asked for
`wagtailadmin.access_admin` (without it: the admin's login redirect); staff without the referral
permission get the admin's "no permission" redirect to the dashboard. The decision is POST only
(GET answers 405) and goes through services.referral_review. Lists are fixed numbers of queries
whatever the number of rows."""

import csv
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import reports, services
from .models import FraudFlag, Referral, Reward
from .staff_permissions import check_report, check_review

QUEUE_URL = "referrals_review:index"
QUEUE_PER_PAGE = 25


class ReviewerRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        check_review(request.user)
        return super().dispatch(request, *args, **kwargs)


class ReportRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        check_report(request.user)
        return super().dispatch(request, *args, **kwargs)


class AdminPageMixin(WagtailAdminTemplateMixin):
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


# --- the review queue -------------------------------------------------------------------------

class QueueFilterForm(forms.Form):
    review = forms.ChoiceField(
        label=gettext_lazy("Show"), required=False,
        choices=[("", gettext_lazy("waiting for review")), (Referral.Review.APPROVED, gettext_lazy("approved by staff")),
                 (Referral.Review.REJECTED, gettext_lazy("rejected by staff"))],
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    reason = forms.CharField(label=gettext_lazy("Reason the referrer sees"), max_length=300, required=False,
                             strip=True)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason"):
            raise ValidationError(_("Say why the referral is rejected: the referrer sees the reason."))
        return data


def review_queue(review=Referral.Review.FLAGGED):
    """Referrals in review state `review` (oldest waiting first; decided ones newest first), with
    the people, the code, the order, the flags and the rewards joined or prefetched."""
    order = ("created_at", "pk") if review == Referral.Review.FLAGGED else ("-reviewed_at", "-pk")
    return (
        Referral.objects.filter(review=review)
        .select_related("referrer", "friend", "code", "qualifying_order", "reviewed_by")
        .prefetch_related(Prefetch("flags", queryset=FraudFlag.objects.order_by("created_at", "pk")),
                          Prefetch("rewards", queryset=Reward.objects.order_by("side")))
        .order_by(*order)
    )


class ReviewQueueView(ReviewerRequiredMixin, AdminPageMixin, TemplateView):
    template_name = "referrals/admin/review_queue.html"
    page_title = gettext_lazy("Flagged referrals")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = QueueFilterForm(self.request.GET or None)
        review = Referral.Review.FLAGGED
        if form.is_valid() and form.cleaned_data["review"]:
            review = form.cleaned_data["review"]
        paginator = WagtailPaginator(review_queue(review), QUEUE_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(filter_form=form, referrals=page.object_list, page_obj=page, waiting=review == Referral.Review.FLAGGED,
                       query_string=query.urlencode(), order_inspect="shop_order:inspect")
        return context


class ReviewDecideView(ReviewerRequiredMixin, View):
    """POST /admin/referrals/review/<pk>/: `decision` (approve or reject) and `reason` (the
    referrer sees it; required to reject) on a flagged referral."""

    http_method_names = ["post"]

    def post(self, request, pk):
        referral = get_object_or_404(Referral.objects.select_related("referrer", "friend"), pk=pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            if "decision" in form.errors:
                return HttpResponseBadRequest(_("Unknown decision."), content_type="text/plain; charset=utf-8")
            for error in form.non_field_errors() + form.errors.get("reason", []):
                messages.error(request, error)
            return redirect(QUEUE_URL)
        if referral.review != Referral.Review.FLAGGED:
            messages.info(request, _("That referral was already decided."))
            return redirect(QUEUE_URL)
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.referral_review(referral, approve=approve, reason=form.cleaned_data["reason"], staff=request.user,
                                     expected=Referral.Review.FLAGGED)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(QUEUE_URL)
        names = {"referrer": referral.referrer.public_name, "friend": referral.friend.public_name}
        if approve:
            messages.success(request, _("Approved: %(referrer)s’s referral of %(friend)s goes on as usual.") % names)
        else:
            messages.success(request, _("Rejected: %(referrer)s’s referral of %(friend)s earns no rewards; "
                                        "the referrer sees your reason.") % names)
        return redirect(QUEUE_URL)


# --- the funnel report ------------------------------------------------------------------------

class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=gettext_lazy("To (included)"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        data = super().clean()
        default = reports.Period.last_months()
        start, end = data.get("start") or default.start, data.get("end") or default.end
        if self.errors:
            return data
        if start > end:
            raise ValidationError(_("The start of the period must not be after its end."))
        if end > timezone.localdate():
            raise ValidationError(_("The period cannot end in the future."))
        if (end - start).days >= reports.MAX_DAYS:
            raise ValidationError(_("Choose a period of at most five years."))
        data["period"] = reports.Period(start, end)
        return data


def _cell(value):
    """A CSV cell that a spreadsheet will not run as a formula (names are members' own words)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(name, period, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="referrals-{name}-{period.start}-{period.end}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response


CHART_LABEL_WIDTH = 150  # the chart's viewBox is 600 wide: labels, then bars up to 380, then values
CHART_BAR_WIDTH = 380


def chart(groups):
    """The geometry of a horizontal bar chart drawn as SVG on the server: `groups` is
    [(label, [(series, value), ...]), ...]; each bar gets its y, its width (relative to the largest
    value) and its series (the stylesheet colours it). Returns {"height", "groups"}."""
    largest = max((value for _label, bars in groups for _series, value in bars), default=0) or 1
    y, drawn = 0, []
    for label, bars in groups:
        top = y
        items = []
        for series, value in bars:
            width = round(value * CHART_BAR_WIDTH / largest, 1)
            items.append({"series": series, "value": value, "y": y, "width": width,
                          "text_x": CHART_LABEL_WIDTH + width + 6})
            y += 18
        drawn.append({"label": label, "y": top, "bars": items})
        y += 10
    return {"height": max(y, 1), "groups": drawn, "label_width": CHART_LABEL_WIDTH}


class ReportView(ReportRequiredMixin, AdminPageMixin, TemplateView):
    """GET /admin/referrals/report/?start=&end= (dates, default the last twelve months); with
    `export=channels|months|referrers|rewards` the table as CSV."""

    template_name = "referrals/admin/report.html"
    page_title = gettext_lazy("Referral funnel")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        self.form = PeriodForm(request.GET or None)
        valid = self.form.is_valid() if request.GET else True
        self.period = self.form.cleaned_data["period"] if request.GET and valid else reports.Period.last_months()
        export = request.GET.get("export")
        if export is not None:
            if not valid or export not in reports.TABLES:
                return HttpResponseBadRequest(_("Choose a valid period and table to export."),
                                              content_type="text/plain; charset=utf-8")
            header, rows = reports.table(export, self.period)
            return csv_response(export, self.period, header, rows)
        response = super().get(request, *args, **kwargs)
        if not valid:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        if self.form.is_bound and not self.form.is_valid():
            return context
        period = self.period
        totals = reports.funnel_totals(period)
        steps = [(_("Clicks"), totals.clicks), (_("Sign-ups"), totals.signups), (_("Qualified"), totals.qualified),
                 (_("Approved"), totals.approved)]
        months = reports.funnel_by_month(period)
        query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        context.update(
            period=period, totals=totals,
            funnel_chart=chart([(label, [("step", value)]) for label, value in steps]),
            month_chart=chart([(row.label, [("clicks", row.clicks), ("signups", row.signups)]) for row in months]),
            channels=reports.funnel_by_channel(period), months=months,
            k=reports.k_factor(period, totals), referrers=reports.top_referrers(period),
            rewards=reports.rewards_issued(period),
            exports={name: "?" + urlencode({**query, "export": name}) for name in reports.TABLES},
            report_url=reverse("referrals_report:index"),
        )
        return context
