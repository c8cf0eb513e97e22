"""Events other apps listen to (referrals reward a first purchase, community shows verified buyers).

Each is sent once per change, after the transaction that made it commits.
"""

from django.dispatch import Signal

order_paid = Signal()  # order
order_cancelled = Signal()  # order
order_refunded = Signal()  # order, refund, amount (Decimal, this refund only)
