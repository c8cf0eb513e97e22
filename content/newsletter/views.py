"""Sign-up with double opt-in, confirmation and one-click unsubscribe. No GET writes."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from .app_settings import app_settings
from .forms import SubscribeForm
from .models import Source
from .ratelimit import ratelimit_hit
from .selectors import confirm_link_resolve, subscriber_from_unsubscribe_token
from .services import subscriber_confirm, subscriber_sign_up, subscriber_unsubscribe


def client_ip(request):
    """The visitor's address as allauth sees it (ALLAUTH_TRUSTED_PROXY_COUNT applies)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return ""


def _placement(request):
    source = request.POST.get("source", "")
    return source if source in Source.values else Source.PAGE


def is_cross_site(request):
    """Whether the browser says this POST came from a page of another site: Sec-Fetch-Site (every
    current browser sends it), else an Origin that is not this site's. Without either header (an
    old browser, curl) it is taken as same-site, as the double opt-in still guards the address."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin != f"{request.scheme}://{request.get_host()}"
    return origin == "null"


# No CSRF token: the sign-up acts on no session or cookie, only sends an e-mail to the address
# typed in, and the double opt-in and rate limits are what protect it. Leaving the token out
# keeps the footer form from setting a cookie on every page.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """GET shows the form; POST signs up and redirects to "check your inbox". With htmx, the
    answer is the form or the message alone, swapped in place of the form."""
    if request.method == "GET":
        return render(request, "newsletter/subscribe.html", {"form": SubscribeForm()})
    if is_cross_site(request):
        # Without a CSRF token, another site could post this form from a visitor's browser and
        # have a consent event recorded with the visitor's IP, a source and a language it chose.
        # Nothing is recorded or sent; the visitor can sign up here.
        return render(request, "newsletter/subscribe.html", {"form": SubscribeForm(), "cross_site": True}, status=403)
    placement = _placement(request)
    ip = client_ip(request)
    if not ratelimit_hit("ip", ip or "unknown", *app_settings.SIGNUP_PER_IP):
        return _too_many(request, placement)
    form = SubscribeForm(request.POST, source=placement)
    if form.is_valid():
        address = form.cleaned_data["email"]
        if not ratelimit_hit("address", address, *app_settings.SIGNUP_PER_ADDRESS):
            return _too_many(request, placement)
        subscriber_sign_up(
            # A member's newsletter is in their own language; anyone else's in the one they subscribed in.
            address, language=getattr(request.user, "language", "") or get_language(), source=form.cleaned_data["source"],
            consent_text=form.fields["consent"].label, ip_address=ip,
        )
        if request.htmx:
            return render(request, "newsletter/_check_inbox.html", {"placement": placement})
        return redirect("newsletter:check_inbox")
    form.focus_first_error()
    if request.htmx:  # htmx swaps only 2xx answers; the form carries its errors
        return render(request, "newsletter/_signup_form.html", {"form": form})
    return render(request, "newsletter/subscribe.html", {"form": form}, status=400)


def _too_many(request, placement):
    if request.htmx:
        return render(request, "newsletter/_too_many.html", {"placement": placement})
    return render(request, "429.html", status=429)


@require_GET
def check_inbox(request):
    return render(request, "newsletter/check_inbox.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button; POST confirms. Expired, used and forged links get a page saying so."""
    link = confirm_link_resolve(token)
    if link.state == "ok" and request.method == "POST":
        if subscriber_confirm(link.subscriber, nonce=link.subscriber.token_nonce, ip_address=client_ip(request)):
            return redirect("newsletter:confirmed")
        link = confirm_link_resolve(token)
    if link.state != "ok":
        return render(request, "newsletter/link_problem.html", {"state": link.state}, status=400)
    return render(request, "newsletter/confirm.html", {"subscriber": link.subscriber})


@require_GET
def confirmed(request):
    return render(request, "newsletter/confirmed.html")


# RFC 8058: mail providers POST here with no cookies and no CSRF token; the signed token in the
# URL is the authentication. It never expires, and a second POST changes nothing.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "newsletter/link_problem.html", {"state": "invalid"}, status=400)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        subscriber_unsubscribe(subscriber, source="one-click" if one_click else "unsubscribe-page",
                               ip_address=client_ip(request))
        return render(request, "newsletter/unsubscribed.html")
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
