"""The embedded SQLite default must hold 32 concurrent visitors reading and writing.

Each thread has its own connection to the same database file (the test database is a file, set
up exactly like the dev one), and runs read-then-write transactions that would deadlock with
SQLite's default DEFERRED transactions ("database is locked") without IMMEDIATE mode and the
busy timeout.
"""

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models import F

from community.members.models import User
from tests.factories import MemberFactory

VISITORS = 32
ROUNDS = 5


@pytest.mark.django_db(transaction=True)
def test_32_concurrent_visitors_never_see_database_is_locked():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite settings are what is under test here")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    counter = MemberFactory(username="counter", avatar_width=0)
    members = [MemberFactory(username=f"visitor{i}") for i in range(VISITORS)]
    errors = []
    start = threading.Barrier(VISITORS)

    def visitor(member):
        try:
            start.wait()
            for n in range(ROUNDS):
                # read ...
                list(User.objects.filter(is_active=True).values_list("username", flat=True)[:20])
                # ... then write in one transaction: the read-then-write pattern of a form post
                with transaction.atomic():
                    User.objects.get(pk=member.pk)
                    User.objects.filter(pk=member.pk).update(bio=f"round {n}")
                    User.objects.filter(pk=counter.pk).update(avatar_width=F("avatar_width") + 1)
        except Exception as exc:  # collected and reported by the main thread
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=visitor, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    counter.refresh_from_db()
    assert counter.avatar_width == VISITORS * ROUNDS  # no lost update
    assert User.objects.filter(bio=f"round {ROUNDS - 1}").count() == VISITORS
