from django.core.management.base import BaseCommand

from community.reviews.services import helpful_recount, product_rating_recount, reviews_verify_all


class Command(BaseCommand):
    help = ("Recompute the reviews' counters from the rows: each product's rating aggregate (count, sum, stars, "
            "with photos, verified) and each review's helpful votes; with --verify, every verified-buyer badge "
            "from the shop's orders first. Reports how many were wrong.")

    def add_arguments(self, parser):
        parser.add_argument("--verify", action="store_true", help="Recompute the verified-buyer badges too.")

    def handle(self, *args, verify=False, **options):
        if verify:
            badges = reviews_verify_all()
            self.stdout.write(f"Verified-buyer badges recomputed: {badges} changed.")
        votes = helpful_recount()
        ratings = product_rating_recount()
        self.stdout.write(self.style.SUCCESS(
            f"Reviews recomputed: {ratings} product aggregate(s) and {votes} helpful count(s) corrected."))
