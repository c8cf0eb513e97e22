"""Events other apps listen to (referrals reward a first purchase, community shows verified buyers).

Each is sent once per change, after the transaction that made it commits.
"""

from django.dispatch import Signal

order_paid = Signal()  # order
order_cancelled = Signal()  # order
order_refunded = Signal()  # order, refund, amount (Decimal, this refund only)
# member, email, count: guest orders placed with `email` now belong to `member`. Sent inside the
# transaction of the change (a bulk update, so no post_save), for data derived from orders.
orders_attached = Signal()
