"""Prometheus metrics: requests and latency per view, and figures read from the database.

Request counters live in each web process. Under `podpora serve` (gunicorn, several worker
processes) prometheus_client's multiprocess mode is on (PROMETHEUS_MULTIPROC_DIR, set by
serve): each process writes its counters to a file there and /metrics adds up the files of all
processes, so the totals are right whichever process answers the scrape. The task queue, SLA
and e-mail figures are read from the database, so they count the work of every process and
machine; they are reused for PODPORA_METRICS_DB_TTL seconds between scrapes.
"""

from __future__ import annotations

import logging
import os
import time

from django.conf import settings
from prometheus_client import Counter, Histogram

log = logging.getLogger("podpora.request")

REQUESTS = Counter(
    "podpora_http_requests",
    "HTTP requests answered, per view, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "podpora_http_request_duration_seconds",
    "Time to answer a request, per view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def view_label(request) -> str:
    """The URL pattern's name (``desk:detail``), never the path: ticket numbers are no label."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or "unnamed"
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


class RequestMetricsMiddleware:
    """First in the chain: counts, times and logs every request, static files included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - start
        view = view_label(request)
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        LATENCY.labels(view).observe(seconds)
        if settings.REQUEST_LOG:
            user = getattr(request, "user", None)
            log.info(
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                seconds * 1000,
                extra={
                    "fields": {
                        "method": request.method,
                        "path": request.path,
                        "view": view,
                        "status": response.status_code,
                        "ms": round(seconds * 1000, 1),
                        "user": user.pk if user is not None and user.is_authenticated else None,
                        "ip": request.META.get("REMOTE_ADDR", ""),
                        "pid": os.getpid(),
                    }
                },
            )
        return response


# --- figures from the database ------------------------------------------------------------

SLA_EVENTS_SQL = (
    "SELECT kind, COUNT(*) FROM tickets_event "
    "WHERE kind IN ('sla_warned', 'sla_breached') GROUP BY kind"
)


def database_figures() -> dict:
    from django.db import connection
    from django.db.models import Count

    from podpora.core import taskqueue
    from podpora.core.models import JobRun
    from podpora.mail.models import InboundMessage, OutboundMessage

    with connection.cursor() as cursor:  # literal values: the partial index applies
        cursor.execute(SLA_EVENTS_SQL)
        sla = dict(cursor.fetchall())
    inbound = dict(InboundMessage.objects.order_by().values_list("state").annotate(n=Count("pk")))
    outbound = dict(
        OutboundMessage.objects.order_by().values_list("status").annotate(n=Count("pk"))
    )
    jobs = [
        (j.name, j.finished_at.timestamp() if j.finished_at else 0.0, j.ok)
        for j in JobRun.objects.all()
    ]
    return {"queue": taskqueue.depth(), "sla": sla, "in": inbound, "out": outbound, "jobs": jobs}


class DatabaseCollector:
    def collect(self):
        from django.core.cache import cache
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        figures = cache.get("podpora:metrics:db")
        if figures is None:
            figures = database_figures()
            cache.set("podpora:metrics:db", figures, settings.METRICS_DB_TTL)
        q = figures["queue"]
        yield GaugeMetricFamily("podpora_tasks_ready", "Tasks waiting for a worker.", q["ready"])
        yield GaugeMetricFamily("podpora_tasks_running", "Tasks being run.", q["running"])
        yield GaugeMetricFamily(
            "podpora_tasks_oldest_ready_age_seconds",
            "How long the oldest waiting task has waited.",
            q["oldest_age"],
        )
        yield CounterMetricFamily(
            "podpora_sla_warnings", "SLA warnings given.", figures["sla"].get("sla_warned", 0)
        )
        yield CounterMetricFamily(
            "podpora_sla_breaches", "SLA breaches recorded.", figures["sla"].get("sla_breached", 0)
        )
        received = CounterMetricFamily(
            "podpora_mail_received", "Inbound e-mails stored, per current state.", labels=["state"]
        )
        for state in ("received", "processed", "quarantined", "released", "ignored"):
            received.add_metric([state], figures["in"].get(state, 0))
        yield received
        yield GaugeMetricFamily(
            "podpora_mail_quarantined",
            "Inbound e-mails waiting in quarantine.",
            figures["in"].get("quarantined", 0),
        )
        sent = CounterMetricFamily(
            "podpora_mail_outbound", "Outgoing e-mails, per status.", labels=["status"]
        )
        for status in ("queued", "deferred", "sent", "failed", "suppressed"):
            sent.add_metric([status], figures["out"].get(status, 0))
        yield sent
        finished = GaugeMetricFamily(
            "podpora_job_last_finished_timestamp_seconds",
            "When each periodic job last finished (Unix time).",
            labels=["job"],
        )
        ok = GaugeMetricFamily(
            "podpora_job_ok", "1 if the job's last run succeeded.", labels=["job"]
        )
        for name, at, good in figures["jobs"]:
            finished.add_metric([name], at)
            ok.add_metric([name], 1 if good else 0)
        yield finished
        yield ok


def exposition() -> bytes:
    """The whole page: this process's (or every web process's) counters, then the database's."""
    from prometheus_client import REGISTRY, CollectorRegistry, generate_latest

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
        own = generate_latest(processes)
    else:
        own = generate_latest(REGISTRY)
    db = CollectorRegistry()
    db.register(DatabaseCollector())
    return own + generate_latest(db)


def allowed(request) -> bool:
    """With PODPORA_METRICS_TOKEN set, its bearer token is required from anywhere; without one,
    only a direct request from this machine (none relayed by a proxy) is answered."""
    import hmac

    token = settings.METRICS_TOKEN
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    if request.META.get("HTTP_X_FORWARDED_FOR") or request.META.get("HTTP_X_REAL_IP"):
        return False
    return request.META.get("REMOTE_ADDR", "") in {"127.0.0.1", "::1"}
