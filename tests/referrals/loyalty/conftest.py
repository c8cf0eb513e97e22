# loyalty's fixtures live in helpers.py (imported here for every test in this folder)
from tests.referrals.loyalty.helpers import loyalty  # noqa: F401
