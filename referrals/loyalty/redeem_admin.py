"""Loyalty redemption in the Wagtail admin (joins the "Loyalty" menu of referrals.loyalty.wagtail_hooks):

- Redemption options: editors' table of what points buy (add, edit, delete; codes already made keep
  their own copy of points, value and currency).
- Discount codes: a read-only list with filters, and the CSV of the codes made in a period.
- Loyalty report (/admin/loyalty/report/?start=&end=): points issued, taken back, redeemed,
  returned, expired and outstanding by month, codes outstanding, members per tier; CSV of each
  table (`&export=months|tiers|codes`).
- Adjust points (/admin/loyalty/adjust/): add or remove a member's points with a required reason;
  a ledger entry (kind ADJUSTMENT) and a line in Wagtail's log naming the staff member. POST only
  writes; a one-time key in the form makes a double submit one entry.

Every view asks referrals.loyalty.redeem_permissions first; the lists use the models' view
permissions. Each page is a fixed number of queries whatever the number of rows.
"""

import uuid
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from core.wagtail_admin import ReadOnlyPolicy, ReadOnlyViewSet

from .. import reports
from ..admin_views import AdminPageMixin, PeriodForm, _cell
from ..models import DiscountCode, RedemptionOption
from . import redeem_reports
from .redeem_permissions import can_adjust_points, can_see_loyalty_report, check_adjust_points, check_loyalty_report
from .redemption import ADJUST_LIMIT, points_adjust

register_permission_policy(DiscountCode, ReadOnlyPolicy(DiscountCode), exact_class=True)


class _Echo:
    def write(self, value):
        return value


def csv_stream(filename, header, rows):
    """A CSV download streamed row by row (the codes of a busy year are many), each cell guarded
    against spreadsheet formulas."""
    import csv

    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- the report ------------------------------------------------------------------------------------

class LoyaltyReportView(AdminPageMixin, TemplateView):
    template_name = "referrals/admin/loyalty_report.html"
    page_title = gettext_lazy("Loyalty report")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        check_loyalty_report(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.form = PeriodForm(request.GET or None)
        valid = self.form.is_valid() if request.GET else True
        self.period = self.form.cleaned_data["period"] if request.GET and valid else reports.Period.last_months()
        export = request.GET.get("export")
        if export is not None:
            if not valid or export not in redeem_reports.TABLES:
                return HttpResponseBadRequest(_("Choose a valid period and table to export."),
                                              content_type="text/plain; charset=utf-8")
            header, rows = redeem_reports.table(export, self.period)
            return csv_stream(f"loyalty-{export}-{self.period.start}-{self.period.end}.csv", header, rows)
        response = super().get(request, *args, **kwargs)
        if not valid:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        context["report_url"] = reverse("loyalty_report:index")
        if self.form.is_bound and not self.form.is_valid():
            return context
        period = self.period
        query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        months = redeem_reports.points_by_month(period)
        context.update(
            period=period, months=months, codes=redeem_reports.codes_outstanding(),
            tiers=redeem_reports.members_per_tier(),
            totals={name: sum(getattr(row, name) for row in months)
                    for name in ("issued", "taken_back", "redeemed", "returned", "expired")},
            outstanding=months[-1].outstanding if months else 0,
            exports={name: "?" + urlencode({**query, "export": name}) for name in redeem_reports.TABLES},
            can_adjust=can_adjust_points(self.request.user),
        )
        return context


# --- adjustments -----------------------------------------------------------------------------------

class AdjustForm(forms.Form):
    member = forms.CharField(label=gettext_lazy("Member's username"), max_length=150)
    points = forms.IntegerField(label=gettext_lazy("Points"), min_value=-ADJUST_LIMIT, max_value=ADJUST_LIMIT,
                                help_text=gettext_lazy("Negative to take points away."))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300,
                             help_text=gettext_lazy("Required. Kept with the entry; the member sees it in their ledger."))
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_member(self):
        username = self.cleaned_data["member"].strip().lstrip("@")
        member = get_user_model().objects.filter(username__iexact=username, deleted_at__isnull=True).first()
        if member is None:
            raise ValidationError(_("No member has that username."))
        return member

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points == 0:
            raise ValidationError(_("Enter a number of points other than 0."))
        return points

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError(_("Give a reason for the adjustment."))
        return reason


class AdjustView(AdminPageMixin, FormView):
    template_name = "referrals/admin/loyalty_adjust.html"
    page_title = gettext_lazy("Adjust points")
    header_icon = "edit"
    form_class = AdjustForm

    def dispatch(self, request, *args, **kwargs):
        check_adjust_points(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"key": uuid.uuid4().hex, "member": self.request.GET.get("member", "")[:150]}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            entry, created = points_adjust(data["member"], data["points"], reason=data["reason"], staff=self.request.user,
                                           key=data["key"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        names = {"points": f"{entry.points:+d}", "member": data["member"].username}
        if created:
            messages.success(self.request, _("Adjusted: %(points)s points for %(member)s.") % names)
        else:
            messages.info(self.request, _("That adjustment was already made: %(points)s points for %(member)s.") % names)
        return redirect("loyalty_adjust:index")


# --- registration ----------------------------------------------------------------------------------

class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_loyalty_report(request.user)


class AdjustMenuItem(MenuItem):
    def is_shown(self, request):
        return can_adjust_points(request.user)


class LoyaltyReportViewSet(ViewSet):
    name = "loyalty_report"
    url_prefix = "loyalty/report"
    icon = "table"
    menu_label = gettext_lazy("Loyalty report")
    menu_name = "loyalty-report"
    menu_item_class = ReportMenuItem

    def get_urlpatterns(self):
        return [path("", LoyaltyReportView.as_view(), name="index")]


class AdjustViewSet(ViewSet):
    name = "loyalty_adjust"
    url_prefix = "loyalty/adjust"
    icon = "edit"
    menu_label = gettext_lazy("Adjust points")
    menu_name = "loyalty-adjust"
    menu_item_class = AdjustMenuItem

    def get_urlpatterns(self):
        return [path("", AdjustView.as_view(), name="index")]


class RedemptionOptionViewSet(ModelViewSet):
    model = RedemptionOption
    name = "loyalty_redemption_options"
    url_prefix = "loyalty/redemption-options"
    icon = "tag"
    menu_label = gettext_lazy("Redemption options")
    form_fields = ["points", "value", "currency", "valid_days", "enabled", "position"]
    list_display = ["__str__", Column("points", label=gettext_lazy("Points")), Column("value", label=gettext_lazy("Value")),
                    "currency", Column("valid_days", label=gettext_lazy("Valid days")), "enabled",
                    Column("position", label=gettext_lazy("Position"))]
    list_filter = ["enabled", "currency"]
    ordering = ["position", "points"]
    copy_view_enabled = False
    search_backend_name = None


class DiscountCodeViewSet(ReadOnlyViewSet):
    model = DiscountCode
    name = "loyalty_codes"
    url_prefix = "loyalty/codes"
    icon = "tag"
    menu_label = gettext_lazy("Discount codes")
    list_display = ["code", "member", "state", Column("points", label=gettext_lazy("Points")),
                    Column("value", label=gettext_lazy("Value")), "currency",
                    DateColumn("created_at", label=gettext_lazy("Created")),
                    DateColumn("expires_at", label=gettext_lazy("Expires"))]
    list_filter = ["state", "currency", "created_at", "expires_at"]
    search_fields = ["code", "member__username", "member__display_name"]
    list_select_related = ["member"]
    inspect_view_fields = ["code", "member", "option", "points", "value", "currency", "state", "created_at",
                           "expires_at", "used_at", "used_order", "closed_at"]


REDEEM_ITEMS = (RedemptionOptionViewSet, DiscountCodeViewSet, LoyaltyReportViewSet, AdjustViewSet)
