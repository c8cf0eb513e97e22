# The referral engine's fixtures (programme, shop_secrets, deliver) live in engine_helpers.py.
from tests.referrals.engine_helpers import deliver, programme, shop_secrets  # noqa: F401
