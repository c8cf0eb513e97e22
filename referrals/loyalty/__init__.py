"""Loyalty: points for what members do, tiers over the trailing year, expiry, the member's points
page. A sub-package of the referrals app (same app label, migrations in referrals/migrations): it
shares the points ledger (referrals.models.LedgerEntry) with the referral rewards.

- models.py: the programme's settings (LoyaltyProgramme, Settings → Loyalty programme), the tiers
  (Tier) and each member's loyalty state (LoyaltyAccount).
- earning.py: the earning rules, one function per rule, each awarding once per source key.
- tiers.py: the tier a member's trailing twelve months earn, moves up and down.
- expiry.py: points that lapse after a period without activity, and the warning before.
- selectors.py: reads for /me/points/, the profile and /me/.
- receivers.py: the lower layers' signals, connected to the rules.
"""
