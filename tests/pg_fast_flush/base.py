"""PostgreSQL for the test suite, with a flush that deletes instead of truncating.

Every transactional test (the browser tests, the race tests) ends with a flush of all ~170 tables.
Django's PostgreSQL flush is one TRUNCATE of them all, which makes new files for every table and
index: measured 3.6-5.2 s a flush on this machine, against 0.2-0.8 s for DELETEs of the same, nearly
empty, tables. DELETE in any order is safe here: Django makes every foreign key DEFERRABLE INITIALLY
DEFERRED, the flush runs in one transaction, and by its commit every table is empty. (A test asking
for reset sequences still gets the TRUNCATE ... RESTART IDENTITY.) Used only by
website/settings/test.py; production and development use Django's own backend.
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))}" for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
