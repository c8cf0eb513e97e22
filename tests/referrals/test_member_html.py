"""The member's referral pages and the sign-up form's referral states are valid HTML (Nu HTML
checker, as tests/website/test_html_valid.py runs it; skipped where vnu is not installed)."""

import pytest
from django.test import Client
from django.urls import reverse

from referrals.codes import code_for
from referrals.models import FraudFlag, Referral, Reward
from tests.conftest import skip_or_fail
from tests.factories import MemberFactory
from tests.pagecheck import format_vnu_message, vnu_check, vnu_command
from tests.referrals.test_member_page import make_referral, make_reward

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "new@example.org", "username": "newbie", "password1": "a-long-enough-passphrase",
          "password2": "a-long-enough-passphrase"}


def test_referral_pages_are_valid_html(tmp_path):
    command, reason = vnu_command()
    if command is None:
        skip_or_fail(reason)
    member = MemberFactory(username="ἀλίκη", display_name="Ἀλίκη Παπαδοπούλου")
    newcomer = MemberFactory()
    MemberFactory(display_name="Anna Kovács")
    MemberFactory(display_name="Anna Kovacs")
    signed_in, fresh, anonymous = Client(), Client(), Client()
    signed_in.force_login(member)
    fresh.force_login(newcomer)
    code_for(member)
    flagged = make_referral(member, name="Ola Nordmann", review=Referral.Review.FLAGGED)
    FraudFlag.objects.create(referral=flagged, rule=FraudFlag.Rule.SAME_NETWORK)
    make_reward(flagged, state=Reward.State.FLAGGED)
    make_reward(make_referral(member, name="Zsófia"))
    make_referral(member, name="Capped", no_reward=Referral.NoReward.CAP)
    make_referral(member, qualified=False)

    pages = [
        ("GET /me/referrals/ (with a link and rewards)", signed_in.get(reverse("referrals:dashboard")), 200),
        ("GET /me/referrals/ (no link yet)", fresh.get(reverse("referrals:dashboard")), 200),
        ("POST a refused vanity code", signed_in.post(reverse("referrals:vanity"), {"vanity": "admin"}), 400),
        ("GET / (visitor)", anonymous.get("/"), 200),
        ("GET /me/", signed_in.get(reverse("members:dashboard")), 200),
        ("GET sign-up", anonymous.get(reverse("account_signup")), 200),
        ("POST sign-up, unknown code", anonymous.post(reverse("account_signup"), {**SIGNUP, "referral_code": "NOPE1234"}), 200),
        ("POST sign-up, shared name", anonymous.post(reverse("account_signup"), {**SIGNUP, "referrer_name": "Anna Kovacs"}), 200),
        ("POST sign-up, unknown name", anonymous.post(reverse("account_signup"), {**SIGNUP, "referrer_name": "Nobody"}), 200),
    ]
    rendered, problems = {}, []
    for n, (label, response, status) in enumerate(pages):
        if response.status_code != status:
            problems.append(f"{label}: {response.status_code}, expected {status}")
            continue
        path = (tmp_path / f"page-{n}.html").resolve()
        path.write_text(response.content.decode(), encoding="utf-8")
        rendered[path] = label
    assert not problems, problems
    failures = [
        f"{rendered[path]}:\n" + "\n".join(format_vnu_message(m) for m in messages)
        for path, messages in vnu_check(list(rendered), command).items() if messages
    ]
    assert not failures, "\n\n".join(failures)
