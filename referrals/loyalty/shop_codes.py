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
    origin        "loyalty_redemption", "referral_welcome" or "loyalty_tier"
A tier's free-shipping code (referrals.loyalty.perks) is a `discount_code.created` too, with
    kind "free_shipping", value null, currency null, usage_limit null (every order), expires_at
    null (it holds while the member is in the tier: leaving it sends `discount_code.cancelled`),
    origin "loyalty_tier", and customer_email: the shop honours it for that customer only.
`discount_code.cancelled` data: {"code", "reason"} with reason "expired" (its points were given
back), "reversed" (the reward it came from was reversed) or "tier_ended" (a free-shipping code whose
member left the tier unused): the shop must stop honouring it.
"""

from shop.outbound import DISCOUNT_CODE_CANCELLED, DISCOUNT_CODE_CREATED, outbound_queue

ORIGIN_REDEMPTION = "loyalty_redemption"
ORIGIN_REFERRAL = "referral_welcome"
ORIGIN_TIER = "loyalty_tier"


def code_created_push(code, *, value, currency, expires_at, origin):
    """Queue "discount_code.created" for `code` (sent after the caller's transaction commits)."""
    data = {"code": code, "kind": "fixed_amount", "value": f"{value:.2f}", "currency": currency, "usage_limit": 1,
            "expires_at": expires_at.isoformat() if expires_at else None, "origin": origin}
    return outbound_queue(DISCOUNT_CODE_CREATED, f"{DISCOUNT_CODE_CREATED}:{code}", data)


def code_cancelled_push(code, *, reason):
    return outbound_queue(DISCOUNT_CODE_CANCELLED, f"{DISCOUNT_CODE_CANCELLED}:{code}",
                          {"code": code, "reason": reason})


def free_shipping_push(code, *, email, origin=ORIGIN_TIER):
    """Queue "discount_code.created" for a free-shipping `code`: every order of the customer with
    `email`, no expiry of its own (withdrawn by `code_cancelled_push`)."""
    data = {"code": code, "kind": "free_shipping", "value": None, "currency": None, "usage_limit": None,
            "expires_at": None, "origin": origin, "customer_email": email}
    return outbound_queue(DISCOUNT_CODE_CREATED, f"{DISCOUNT_CODE_CREATED}:{code}", data)
