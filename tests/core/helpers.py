"""Database helpers for tests that need a second connection (``transaction=True`` tests)."""

from __future__ import annotations

import threading

from django.db import connection


def run_in_another_connection(sql: str, params: list) -> None:
    """Run and commit ``sql`` through a connection of its own, as another process would."""
    errors = []

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
        except Exception as exc:  # re-raised in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
