"""Reviews in the Wagtail admin, for moderators: the list of reviews by status, one review's page
(approve, reject with one of the fixed reasons, hide or restore, and the brand's public reply), and
the report of rejections by star rating, so that suppressing bad reviews would show.

Every view asks check_moderate_review first; actions are POST only and redirect back with a
message. Lists are a fixed number of queries whatever the number of rows."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import selectors, services
from .models import BODY_MAX, RejectReason, Review
from .permissions import check_moderate_review, check_reply_review

PER_PAGE = 50
STATUS_FILTERS = {
    "pending": {"status": Review.Status.PENDING, "hidden": False},
    "published": {"status": Review.Status.PUBLISHED, "hidden": False},
    "hidden": {"hidden": True},
    "rejected": {"status": Review.Status.REJECTED},
    "all": {},
}


class ModeratorRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        check_moderate_review(request.user)
        return super().dispatch(request, *args, **kwargs)


class AdminPageMixin(ModeratorRequiredMixin, WagtailAdminTemplateMixin):
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=RejectReason.choices,
                               error_messages={"required": gettext_lazy("Choose one of the reasons in the list."),
                                               "invalid_choice": gettext_lazy("Choose one of the reasons in the list.")})


class ReplyForm(forms.Form):
    brand_reply = forms.CharField(label=gettext_lazy("The brand's public reply"), required=False,
                                  max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=gettext_lazy("Shown under the review, signed by the brand. Leave empty "
                                                         "to remove the reply."))


class ReviewListView(AdminPageMixin, TemplateView):
    template_name = "reviews/admin/list.html"
    page_title = gettext_lazy("Reviews")
    header_icon = "pick"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "pending")
        if status not in STATUS_FILTERS:
            status = "pending"
        reviews = (Review.objects.filter(**STATUS_FILTERS[status]).select_related("product", "author")
                   .order_by("created_at" if status == "pending" else "-created_at", "pk"))
        paginator = WagtailPaginator(reviews, PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        context.update(reviews=list(page.object_list), page_obj=page, status=status,
                       statuses=[("pending", _("Waiting")), ("published", _("Published")), ("hidden", _("Hidden")),
                                 ("rejected", _("Rejected")), ("all", _("All"))],
                       elided_page_range=paginator.get_elided_page_range(page.number))
        return context


class ReviewDetailView(AdminPageMixin, TemplateView):
    template_name = "reviews/admin/detail.html"
    page_title = gettext_lazy("Review")
    header_icon = "pick"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = get_object_or_404(Review.objects.select_related("product", "author", "brand_reply_by")
                                   .prefetch_related("photos", "revisions"), pk=self.kwargs["pk"])
        context.update(review=review, reject_form=RejectForm(),
                       reply_form=kwargs.get("reply_form") or ReplyForm(initial={"brand_reply": review.brand_reply}))
        return context

    def post(self, request, pk):
        """The brand's reply (staff)."""
        review = get_object_or_404(Review, pk=pk)
        check_reply_review(request.user, review)
        form = ReplyForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(pk=pk, reply_form=form), status=400)
        try:
            services.review_reply(request.user, review, form.cleaned_data["brand_reply"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The reply is saved.") if form.cleaned_data["brand_reply"]
                             else _("The reply is removed."))
        return redirect("review_admin:detail", pk=pk)


class ReviewActView(ModeratorRequiredMixin, View):
    """POST: `action` approve, reject (with `reason`), hide or restore."""

    http_method_names = ["post"]

    def post(self, request, pk):
        review = get_object_or_404(Review, pk=pk)
        action = request.POST.get("action", "")
        if action == "approve":
            if review.hidden:
                messages.info(request, _("Restore the review before approving it."))
            else:
                services.review_approve(request.user, review)
                messages.success(request, _("The review is published."))
        elif action == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose one of the reasons in the list: a review is never rejected for "
                                          "being negative."))
                return redirect("review_admin:detail", pk=pk)
            services.review_reject(request.user, review, form.cleaned_data["reason"])
            messages.success(request, _("The review is rejected; its author is told why."))
        elif action in ("hide", "restore"):
            services.review_set_hidden(request.user, review, action == "hide", request.POST.get("note", "")[:300])
            messages.success(request, _("The review is hidden.") if action == "hide" else _("The review is shown again."))
        else:
            return HttpResponseBadRequest(_("Unknown moderation action."), content_type="text/plain; charset=utf-8")
        return redirect("review_admin:detail", pk=pk)


class RejectionsReportView(AdminPageMixin, TemplateView):
    template_name = "reviews/admin/rejections.html"
    page_title = gettext_lazy("Rejected reviews by rating")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(rows=selectors.rejections_by_rating(), reasons=RejectReason.choices)
        return context
