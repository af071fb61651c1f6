"""gunicorn's settings under `podpora serve` (read from the environment serve prepares).

Sync workers: Django's views are synchronous and hold one database connection each; nginx in
front buffers slow clients, so a worker is never held by one. PODPORA_WEB_THREADS > 1 gives
threaded workers (more requests per process, each thread its own connection).
"""

import os

bind = os.environ.get("PODPORA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PODPORA_WEB_WORKERS", "2") or 2)
threads = int(os.environ.get("PODPORA_WEB_THREADS", "1") or 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("PODPORA_WEB_TIMEOUT", "60") or 60)
graceful_timeout = 20
# A worker is replaced after this many requests (with jitter), which bounds its memory.
max_requests = int(os.environ.get("PODPORA_WEB_MAX_REQUESTS", "5000") or 5000)
max_requests_jitter = max_requests // 10
# The request line is written by podpora.core.metrics (structured, with the view's name).
accesslog = None
errorlog = "-"
proc_name = "podpora-web"
# No control socket in the user's home: several instances on one machine would share it.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("PODPORA_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

_formats = {
    "kv": {"()": "podpora.core.logs.KeyValueFormatter"},
    "json": {"()": "podpora.core.logs.JsonFormatter"},
}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "default": _formats.get(
            os.environ.get("PODPORA_LOG_FORMAT", ""),
            {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        )
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "default",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}


def child_exit(server, worker):
    """A web process that ended leaves its counters; its live gauges go (multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
