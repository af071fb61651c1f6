"""Reports from a read replica: with ``PODPORA_REPLICA_DATABASE_URL`` set, the ORM reads of a
block under :func:`reports` go to the ``replica`` database; everything else (every write, and
every read outside such a block) stays on ``default``. A replica is a little behind its
primary, which a report over past days does not notice; a page a person just changed does,
so nothing else reads from it."""

from __future__ import annotations

import contextlib
import contextvars

from django.conf import settings

ALIAS = "replica"
_reading: contextvars.ContextVar[bool] = contextvars.ContextVar("podpora_replica", default=False)


@contextlib.contextmanager
def reports():
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading.get() and ALIAS in settings.DATABASES:
            return ALIAS
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != ALIAS
