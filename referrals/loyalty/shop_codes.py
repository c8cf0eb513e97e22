"""Discount codes the shop must honour, told to it by the outbound webhook (shop.outbound): codes
members buy with points (referrals.loyalty.redemption) and the referral programme's welcome codes
for friends (referrals.services, once the reward is approved). One event per code and kind, keyed
`<event>:<code>`, so however often this runs the shop hears of a code once.

`discount_code.created` data:
    code          the code, upper case (the shop should match it case-insensitively)
    kind          "fixed_amount"
    value         the discount, a decimal string ("5.00")
    currency      ISO 4217
    usage_limit   1 (single use)
    expires_at    ISO 8601, or null (no expiry)
    origin        "loyalty_redemption" or "referral_welcome"
`discount_code.cancelled` data: {"code", "reason"} with reason "expired" (its points were given
back) or "reversed" (the reward it came from was reversed): the shop must stop honouring it.
"""

from shop.outbound import DISCOUNT_CODE_CANCELLED, DISCOUNT_CODE_CREATED, outbound_queue

ORIGIN_REDEMPTION = "loyalty_redemption"
ORIGIN_REFERRAL = "referral_welcome"


def code_created_push(code, *, value, currency, expires_at, origin):
    """Queue "discount_code.created" for `code` (sent after the caller's transaction commits)."""
    data = {"code": code, "kind": "fixed_amount", "value": f"{value:.2f}", "currency": currency, "usage_limit": 1,
            "expires_at": expires_at.isoformat() if expires_at else None, "origin": origin}
    return outbound_queue(DISCOUNT_CODE_CREATED, f"{DISCOUNT_CODE_CREATED}:{code}", data)


def code_cancelled_push(code, *, reason):
    return outbound_queue(DISCOUNT_CODE_CANCELLED, f"{DISCOUNT_CODE_CANCELLED}:{code}",
                          {"code": code, "reason": reason})
