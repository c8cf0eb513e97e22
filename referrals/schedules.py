"""Referrals' and loyalty's scheduled jobs (core.schedule). `loyalty_tiers_recompute` is not one:
the daily loyalty run brings the tiers up to date; the command is there to run that part alone."""

from django.utils.translation import gettext_lazy as _

from core.schedule.cadence import Daily, Every
from core.schedule.registry import schedule_register

schedule_register("referral_clicks_flush", Every(1), command=("referral_clicks_flush",),
                  description=_("Writes the referral-link clicks buffered in Redis into the database."))
schedule_register("referral_rewards_approve", Every(60), command=("referral_rewards_approve",),
                  description=_("Approves the referral rewards whose return window has ended."))
schedule_register("loyalty_codes_expire", Every(60), command=("loyalty_codes_expire",),
                  description=_("Closes the discount codes that expired unused and gives their points back."))
schedule_register("loyalty_daily", Daily("00:30"), command=("loyalty_daily",),
                  description=_("The loyalty programme's day: order points approved, birthdays, tiers, expiry."))
schedule_register("ledger_reconcile", Daily("05:00"), command=("ledger_reconcile",),
                  description=_("Checks the points ledger against the rewards; fails when they differ."))
