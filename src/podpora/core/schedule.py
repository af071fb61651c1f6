"""Periodic jobs, each a function returning a line for the log; registered here, in one place."""

from __future__ import annotations

from collections.abc import Callable

JOBS: list[tuple[str, Callable[[], str]]] = []


def job(name: str):
    def register(fn):
        JOBS.append((name, fn))
        return fn

    return register


def run_round() -> list[str]:
    import logging

    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("jobs")
    out = []
    for name, fn in JOBS:
        try:
            out.append(f"{name}: {fn()}")
        except Exception:  # noqa: BLE001 - one failing job must not stop the others
            logging.getLogger(__name__).exception("job %s failed", name)
            out.append(f"{name}: failed")
    return out
