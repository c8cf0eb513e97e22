"""`/r/<code>`: count the click, remember it in the attribution cookie, and send the visitor to the
landing page, which shows who sent them and the offer."""

from django.http import Http404
from django.shortcuts import redirect

from ..codes import code_lookup


def go(request, code):
    referral_code = code_lookup(code)
    if referral_code is None:
        raise Http404
    return redirect("referrals:landing", code=referral_code.public)


def landing(request, code):
    raise Http404
