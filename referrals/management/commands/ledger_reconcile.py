"""Check the points ledger against the rewards it should reflect.

    manage.py ledger_reconcile

Recomputes each referral reward's expected entries from its state (see referrals.models and
referrals.ledger) and each member's approved and pending sums, and compares them with what is
stored. Prints every difference (missing, unexpected, different or orphan entries; sums that do not
match) and exits with status 1 when there is any, 0 when the ledger is right. It changes nothing:
the ledger is append-only, so a correction is a new entry made by staff (kind "adjustment").
"""

from django.core.management.base import BaseCommand, CommandError

from referrals.ledger import reconcile


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        differences = reconcile()
        for difference in differences:
            self.stdout.write(str(difference))
        if differences:
            raise CommandError(f"{len(differences)} differences in the ledger")
        self.stdout.write("The ledger matches the rewards.")
