"""The pages of a review-request e-mail's links: a product's review link and the unsubscribe link
of a customer without an account (members unsubscribe through their notification preferences).

The review link (`/products/<slug>/review/link/<token>/`):
- signed in as a member who verified the order's address: the link is held in the session and
  the member goes to the review form (reviews:write), which asks links.link_pending;
- signed in as anyone else: 403, a page saying whose order it is not, with a sign-out button;
  nothing is held or used;
- signed out: a page "You're reviewing X, bought on DATE" with two buttons (POST): sign in, or
  create an account with that address (prefilled, and marked verified by allauth at once: the
  link arrived in that mailbox, as a confirmation link would); both come back to the link;
- forged, for another product: 400; expired, used, order refunded or cancelled: 410.
"""

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from shop.selectors import product_get_visible

from .links import LinkState, link_check, link_hold, link_owner_is
from .review_requests import optout_token_read, review_request_optout

STATUS = {
    LinkState.INVALID: 400,
    LinkState.EXPIRED: 410,
    LinkState.USED: 410,
    LinkState.CLOSED: 410,
}

WRITE_URL_NAME = "reviews:write"


def _write_url(product):
    try:
        return reverse(WRITE_URL_NAME, args=[product.slug])
    except NoReverseMatch:  # the form's app not installed (yet): its documented address
        return f"{product.get_absolute_url()}review/"


@never_cache
@require_http_methods(["GET", "POST"])
def review_link(request, slug, token):
    product = product_get_visible(slug)
    check = link_check(token, product)
    context = {"product": product, "check": check, "state": check.state}
    if not check.ok:
        return render(request, "reviews/link.html", context, status=STATUS[check.state])
    review_request = check.review_request
    context["bought_on"] = review_request.order.paid_at or review_request.order.placed_at
    here = request.get_full_path()
    if request.user.is_authenticated:
        if link_owner_is(request.user, review_request):
            link_hold(request, product, token)
            return redirect(_write_url(product))
        unverified = EmailAddress.objects.filter(user=request.user, email__iexact=review_request.email).exists()
        context["state"] = "unverified" if unverified else "not_yours"
        context["next"] = here
        return render(request, "reviews/link.html", context, status=403)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "signup":
            # The link came to this mailbox: an account made with it now needs no second e-mail.
            get_adapter(request).stash_verified_email(request, review_request.email)
            return HttpResponseRedirect(f"{reverse('account_signup')}?{urlencode({'email': review_request.email, 'next': here})}")
        if action == "login":
            return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': here})}")
    context["state"] = "confirm"
    return render(request, "reviews/link.html", context)


# RFC 8058: mail providers POST here with no cookies and no CSRF token; the signed token in the
# URL is the authentication. It never expires, and a second POST changes nothing.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def request_unsubscribe(request, token):
    """GET shows a button; POST stops review-request e-mails to the address (kept as a hash)."""
    found = optout_token_read(token)
    if found is None:
        return render(request, "reviews/request_unsubscribe.html", {"state": "invalid"}, status=400)
    if request.method == "POST":
        request_id, hashed = found
        review_request_optout(hashed, request_id)
        return render(request, "reviews/request_unsubscribe.html", {"state": "done"})
    return render(request, "reviews/request_unsubscribe.html", {"state": "confirm"})
