"""Serve the product: gunicorn's web processes, the task worker(s) and the scheduler together."""

import os
import shutil
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def use_format(name: str) -> None:
    """This process's own lines (starting and stopping the children) in the chosen format."""
    import logging

    from podpora.core.logs import JsonFormatter, KeyValueFormatter

    formatter = {"kv": KeyValueFormatter, "json": JsonFormatter}.get(name)
    if formatter is not None:
        for handler in logging.getLogger().handlers:
            handler.setFormatter(formatter())


class Command(BaseCommand):
    help = (
        "Migrate, then run the production web server (gunicorn, several processes, static files "
        "through WhiteNoise) with the task worker and the scheduler until SIGTERM or Ctrl-C, "
        "which stops all of them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--addr",
            default=f"127.0.0.1:{os.environ.get('PORT', '8000')}",
            help="HOST:PORT to listen on (default 127.0.0.1:$PORT, PORT=8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="web processes (default PODPORA_WEB_WORKERS, 2)",
        )
        parser.add_argument(
            "--task-workers", type=int, default=1, help="task worker processes (default 1)"
        )
        parser.add_argument("--no-scheduler", action="store_true", help="run no scheduler")
        parser.add_argument(
            "--log-format",
            choices=["plain", "kv", "json"],
            default=None,
            help="log lines: plain, kv (key=value) or json (default PODPORA_LOG_FORMAT, kv)",
        )
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, addr, workers, task_workers, no_scheduler, log_format, no_migrate, **opts):
        from podpora.core.supervisor import Supervisor

        workers = settings.WEB_WORKERS if workers is None else workers
        if workers < 1 or task_workers < 0:
            raise CommandError("--workers must be at least 1 and --task-workers at least 0")
        if ":" not in addr:
            addr = f"127.0.0.1:{addr}"
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)

        env = dict(os.environ)
        env["PODPORA_BIND"] = addr
        env["PODPORA_WEB_WORKERS"] = str(workers)
        env["PODPORA_LOG_FORMAT"] = log_format or os.environ.get("PODPORA_LOG_FORMAT") or "kv"
        use_format(env["PODPORA_LOG_FORMAT"])
        env.setdefault("DJANGO_SETTINGS_MODULE", "podpora.settings")
        # Counters of every web process in one directory, emptied at start (stale files
        # would add a previous run's counts to this one's).
        own_dir = None
        if env.get("PROMETHEUS_MULTIPROC_DIR"):
            metrics_dir = Path(env["PROMETHEUS_MULTIPROC_DIR"])
            metrics_dir.mkdir(parents=True, exist_ok=True)
            for stale in metrics_dir.glob("*.db"):
                stale.unlink()
        else:
            own_dir = tempfile.mkdtemp(prefix="podpora-metrics-")
            env["PROMETHEUS_MULTIPROC_DIR"] = own_dir

        exe = [sys.executable, "-m", "podpora.cli"]
        commands = {
            "web": [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "python:podpora.core.gunicorn_conf",
                "podpora.wsgi:application",
            ]
        }
        for n in range(task_workers):
            commands[f"worker-{n + 1}"] = [*exe, "db_worker", "--interval", "1"]
        if not no_scheduler:
            commands["scheduler"] = [*exe, "scheduler", "--interval", "60"]
        self.stdout.write(
            f"Podpora: http://{addr}/ — {workers} web processes, {task_workers} task "
            f"worker(s){'' if no_scheduler else ', scheduler'}; SIGTERM or Ctrl-C stops all."
        )
        self.stdout.flush()
        try:
            code = Supervisor(commands, env=env).run()
        finally:
            if own_dir:
                shutil.rmtree(own_dir, ignore_errors=True)
        if code:
            sys.exit(code)
