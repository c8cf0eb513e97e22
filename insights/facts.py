"""The per-order facts the retention figures read (insights.models.OrderFact): one row for each
qualifying order (paid or partly refunded) with its customer, its moment in whole seconds since
the epoch, its net value and the moments of the customer's previous, next and first qualifying
orders. The figures then need no window function over every order, only a scan of this table.

A customer is an order's member, or its e-mail address when it has no member (a guest): the key
"m:<member id>" or "e:<address>". Facts are refreshed a customer at a time, inside the write's
transaction, from what the shop does (insights.receivers): an order saved or deleted, guest orders
attached to a member, a member deleted. `facts_rebuild()` (manage.py insights_facts_rebuild)
computes every row again and reports what it corrected.

Concurrency (PostgreSQL): a refresh takes a transaction-scoped advisory lock per customer, so two
orders of one customer written at once are refreshed one after the other; it deletes by order id
as well as by customer, and upserts by order id, so a row is never inserted twice, even for an
order that changed customer between the two statements.
"""

import hashlib

from django.db import connection, transaction

from shop.models import Order

from .models import OrderFact

QUALIFYING = (Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED)
# the fields of an order the facts are made of: a save touching none of them changes nothing
FIELDS = frozenset({"member", "member_id", "email", "status", "total", "refunded_total", "placed_at"})
COLUMNS = "order_id, customer, member_id, t, net, prev_t, next_t, first_t"


def customer_key(member_id, email):
    return f"m:{member_id}" if member_id is not None else f"e:{email}"


def _epoch_sql(column):
    if connection.vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM {column}))::bigint"
    return f"CAST(strftime('%%s', {column}) AS INTEGER)"


def _net_sql():
    if connection.vendor == "postgresql":
        return "(total - refunded_total)::float8"
    return "(total - refunded_total)"


def _select_sql(where="", where_params=()):
    """(sql, params): the facts of the qualifying orders matching `where` (SQL on shop_order).
    Orders of one customer placed in the same second are ordered by id; either order gives the
    same figures, since only the moments are read."""
    table = Order._meta.db_table
    extra = f" AND ({where})" if where else ""
    sql = f"""
        SELECT id AS order_id, customer, member_id, t, net,
               LAG(t) OVER w AS prev_t, LEAD(t) OVER w AS next_t, MIN(t) OVER (PARTITION BY customer) AS first_t
        FROM (
            SELECT id, CASE WHEN member_id IS NULL THEN 'e:' || email ELSE 'm:' || member_id END AS customer,
                   member_id, {_epoch_sql("placed_at")} AS t, {_net_sql()} AS net
            FROM {table} WHERE status IN (%s, %s){extra}
        ) o
        WINDOW w AS (PARTITION BY customer ORDER BY t, id)
    """  # noqa: S608 - our own SQL fragments; every value is a parameter
    return sql, [*QUALIFYING, *where_params]


def _customers_where(keys):
    """SQL on shop_order for the orders of these customers (using the member and e-mail indexes)."""
    members = [int(key[2:]) for key in keys if key.startswith("m:")]
    emails = [key[2:] for key in keys if key.startswith("e:")]
    parts, params = [], []
    if members:
        parts.append(f"member_id IN ({', '.join(['%s'] * len(members))})")
        params += members
    if emails:
        parts.append(f"(member_id IS NULL AND email IN ({', '.join(['%s'] * len(emails))}))")
        params += emails
    return " OR ".join(parts) or "1 = 0", params


def _lock_id(key):
    return int.from_bytes(hashlib.blake2b(f"insights-fact:{key}".encode(), digest_size=8).digest(), "big", signed=True)


def _lock(cursor, keys):
    if connection.vendor != "postgresql" or not keys:
        return
    ids = sorted({_lock_id(key) for key in keys})
    cursor.execute("SELECT " + ", ".join(["pg_advisory_xact_lock(%s)"] * len(ids)), ids)


def _refresh(cursor, keys):
    table = OrderFact._meta.db_table
    where, params = _customers_where(keys)
    select, select_params = _select_sql(where, params)
    marks = ", ".join(["%s"] * len(keys))
    cursor.execute(
        f"DELETE FROM {table} WHERE customer IN ({marks}) OR order_id IN "  # noqa: S608 - our own SQL fragments
        f"(SELECT id FROM {Order._meta.db_table} WHERE {where})", keys + params)
    # Upserted, not only inserted: READ COMMITTED gives each statement its own snapshot, so an order
    # moved to this customer by a write that committed between the DELETE and this INSERT (guest
    # orders attached to a member: a bulk update, outside these locks) still has its old customer's
    # row here; it is overwritten with what this snapshot computes, and the attach's own refresh,
    # which waits for this customer's lock, computes both customers again after.
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in COLUMNS.split(", ")[1:])
    cursor.execute(f"INSERT INTO {table} ({COLUMNS}) SELECT * FROM ({select}) AS fresh WHERE TRUE "  # noqa: S608
                   f"ON CONFLICT (order_id) DO UPDATE SET {updates}", select_params)


def customers_refresh(keys):
    """Compute the facts of these customers again (each key "m:<id>" or "e:<address>")."""
    keys = sorted(set(keys))
    if not keys:
        return
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        _lock(cursor, keys)
        _refresh(cursor, keys)


def order_saved(order, created=False, update_fields=None):
    """An order was saved: refresh its customer (and the one it had, if it moved). Three queries
    when the facts change: the fact's customer until now (on PostgreSQL taking the lock of the
    order's customer in the same query), then that customer's facts deleted and inserted again."""
    if update_fields is not None and not FIELDS.intersection(update_fields):
        return
    qualifying = order.status in QUALIFYING
    if created and not qualifying:
        return  # a new pending order: no facts yet, nothing else changes
    key = customer_key(order.member_id, order.email)
    table = OrderFact._meta.db_table
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT pg_advisory_xact_lock(%s), (SELECT customer FROM {table} WHERE order_id = %s)",  # noqa: S608
                           [_lock_id(key), order.pk])
            old = cursor.fetchone()[1]
        else:
            cursor.execute(f"SELECT customer FROM {table} WHERE order_id = %s", [order.pk])  # noqa: S608
            row = cursor.fetchone()
            old = row[0] if row else None
        if old is None and not qualifying:
            return
        if old is not None and old != key:
            _lock(cursor, [old])  # the order moved from one customer to another: both are refreshed
        _refresh(cursor, sorted({key} | ({old} if old else set())))


def order_deleted(order_id):
    old = OrderFact.objects.filter(order_id=order_id).values_list("customer", flat=True).first()
    if old is not None:
        OrderFact.objects.filter(order_id=order_id).delete()
        customers_refresh({old})


def member_deleted(member_id):
    """A member is gone: their orders are guests' now (the shop keeps them, without the member)."""
    key = customer_key(member_id, None)
    ids = OrderFact.objects.filter(customer=key).values("order_id")
    emails = set(Order.objects.filter(pk__in=ids).values_list("email", flat=True))
    customers_refresh({key} | {customer_key(None, email) for email in emails})


def facts_rebuild():
    """Compute every fact again; replace the table's rows only when something differs. Returns
    (rows, corrected): the facts now, and how many rows were wrong or missing or left over."""
    table = OrderFact._meta.db_table
    select, params = _select_sql()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # writers of facts (orders being saved) wait; readers of the figures do not
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute("DROP TABLE IF EXISTS insights_fact_rebuild")
        cursor.execute(f"CREATE TEMPORARY TABLE insights_fact_rebuild AS {select}", params)
        cursor.execute(f"""
            SELECT COUNT(DISTINCT order_id) FROM (
                SELECT order_id FROM (SELECT {COLUMNS} FROM {table} EXCEPT SELECT {COLUMNS} FROM insights_fact_rebuild) a
                UNION ALL
                SELECT order_id FROM (SELECT {COLUMNS} FROM insights_fact_rebuild EXCEPT SELECT {COLUMNS} FROM {table}) b
            ) d""")  # noqa: S608 - our own SQL fragments
        corrected = cursor.fetchone()[0]
        if corrected:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own SQL fragments
            cursor.execute(f"INSERT INTO {table} ({COLUMNS}) SELECT {COLUMNS} FROM insights_fact_rebuild")  # noqa: S608
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {table}")  # the planner's estimates for the new rows
        cursor.execute("SELECT COUNT(*) FROM insights_fact_rebuild")
        rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE insights_fact_rebuild")
    return rows, corrected
