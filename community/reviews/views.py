"""Writing reviews (form, edit, delete) and helpful votes. The product page that shows them is the
shop's, with this app's template tags (templatetags/reviews_tags.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shop.models import Product

from . import selectors, services
from .forms import ReviewForm
from .links import link_consume, link_pending
from .models import Review
from .permissions import can_see_review, check_delete_review, check_edit_review, check_vote_review, check_write_review
from .ratelimit import ratelimit_hit


def _too_many(request):
    return render(request, "429.html", status=429)


def _product(slug):
    """The product to review: an inactive or unknown one is a 404 (its page is gone too)."""
    product = Product.objects.filter(slug=slug).first()
    if product is None or not product.active:
        raise Http404(_("This product is no longer on sale, so it cannot be reviewed."))
    return product


def _reviews_url(product):
    return f"{product.get_absolute_url()}#reviews"


@login_required
@require_http_methods(["GET", "POST"])
def write(request, slug):
    product = _product(slug)
    check_write_review(request.user, product)
    existing = Review.objects.filter(product=product, author=request.user).first()
    if existing is not None:
        messages.info(request, _("You have already reviewed this product. You can edit your review here."))
        return redirect("reviews:edit", pk=existing.pk)
    pending = link_pending(request, product)  # a confirmed review-request link for this product
    questions = services.product_attributes(product)
    form = ReviewForm(request.POST or None, request.FILES or None, questions=questions)
    rules = services.policy()
    verified = selectors.member_bought_verified(request.user, product.pk)
    if request.method == "POST" and form.is_valid():
        if not ratelimit_hit(request.user, "submit"):
            return _too_many(request)
        try:
            review = services.review_submit(
                request.user, product, rating=form.cleaned_data["rating"], title=form.cleaned_data["title"],
                body=form.cleaned_data["body"], attributes=form.attributes(), photos=form.new_photos(),
                from_request=pending is not None,
            )
        except services.AlreadyReviewed as error:
            messages.info(request, str(error))
            if error.review is not None:
                return redirect("reviews:edit", pk=error.review.pk)
            return redirect(_reviews_url(product))
        except services.ReviewError as error:
            form.add_error(None, str(error))
        else:
            if pending is not None:
                link_consume(request, product, review)
            if review.status == Review.Status.PUBLISHED:
                messages.success(request, _("Thank you! Your review is published."))
            else:
                messages.info(request, _("Thank you! A moderator will read your review before it is shown."))
            return redirect(f"{product.get_absolute_url()}#review-{review.pk}")
    context = {"product": product, "form": form, "verified": verified, "rules": rules, "review": None,
               "from_request": pending is not None}
    return render(request, "reviews/write.html", context, status=400 if form.errors else 200)


def _own_review(request, pk):
    review = get_object_or_404(Review.objects.select_related("product"), pk=pk)
    if not can_see_review(request.user, review) or (
            not review.product.active and review.author_id != request.user.pk):
        raise Http404
    return review


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    review = _own_review(request, pk)
    check_edit_review(request.user, review)
    product = review.product
    photos = list(review.photos.all())
    initial = {"rating": str(review.rating), "title": review.title, "body": review.body}
    for code, value in (review.attributes or {}).items():
        initial[f"attr_{code}"] = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    form = ReviewForm(request.POST or None, request.FILES or None, initial=initial,
                      questions=services.product_attributes(product), photos=photos)
    if request.method == "POST" and form.is_valid():
        if not ratelimit_hit(request.user, "edit"):
            return _too_many(request)
        try:
            review = services.review_edit(
                request.user, review, rating=form.cleaned_data["rating"], title=form.cleaned_data["title"],
                body=form.cleaned_data["body"], attributes=form.attributes(), photos=form.new_photos(),
                remove_photos=form.removed_photos(), alt_texts=form.alt_texts(),
            )
        except services.ReviewError as error:
            form.add_error(None, str(error))
        else:
            if review.status == Review.Status.PUBLISHED:
                messages.success(request, _("Your changes are saved."))
            else:
                messages.info(request, _("Your changes are saved. A moderator will read your review before it is shown."))
            return redirect(f"{product.get_absolute_url()}#review-{review.pk}")
    context = {"product": product, "form": form, "review": review, "rules": services.policy(),
               "verified": review.verified_buyer, "from_request": False}
    return render(request, "reviews/write.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def delete(request, pk):
    review = _own_review(request, pk)
    check_delete_review(request.user, review)
    services.review_delete(request.user, review)
    messages.success(request, _("The review is deleted."))
    return redirect(_reviews_url(review.product))


@login_required
@require_POST
def helpful(request, pk):
    review = get_object_or_404(Review.objects.select_related("product"), pk=pk)
    if not can_see_review(request.user, review):
        raise Http404
    wanted = request.POST.get("action", "vote")
    if wanted == "vote":
        check_vote_review(request.user, review)
        if not ratelimit_hit(request.user, "vote"):
            return _too_many(request)
        services.review_vote(request.user, review)
    else:
        services.review_unvote(request.user, review)
    if request.htmx:
        review.refresh_from_db(fields=["helpful_count"])
        return render(request, "reviews/includes/helpful.html",
                      {"review": review, "voted": wanted == "vote", "can_vote": True})
    return redirect(f"{review.product.get_absolute_url()}#review-{review.pk}")


def write_url(product):
    return reverse("reviews:write", kwargs={"slug": product.slug})
