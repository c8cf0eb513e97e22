"""/me/points/: what the member sees, who may see it, and its pinned query count."""

import pytest
from django.urls import reverse

from referrals import ledger
from referrals.models import LedgerEntry

pytestmark = pytest.mark.django_db
Kind, Status = LedgerEntry.Kind, LedgerEntry.Status


def test_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("referrals:points"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_page_shows_balance_tier_and_the_redeem_include(member_client):
    member = member_client.member
    ledger.append(member, 120, kind=Kind.REVIEW, status=Status.APPROVED, source_key="loyalty:review:1")
    response = member_client.get(reverse("referrals:points"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "120" in html
    assert "<progress" in html
    assert "Member" in html  # the lowest of the default tiers
    assert "referrals/loyalty/includes/redeem.html" in [t.name for t in response.templates]
