import time

from django.core.management.base import BaseCommand, CommandError


def progress_bar(stream, total: int, unit: str = "tickets"):
    """A one-line progress bar on ``stream``: done/total, rate and time left."""
    t0 = time.perf_counter()

    def show(done: int, _total: int | None = None) -> None:
        total_now = _total or total
        elapsed = max(time.perf_counter() - t0, 1e-6)
        rate = done / elapsed
        width = 30
        filled = min(width, int(width * done / max(total_now, 1)))
        left = max(total_now - done, 0) / rate if rate else 0
        stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total_now:,} {unit}"
            f"  {rate:,.0f}/s  {left:,.0f} s left ".replace(",", " "),
            ending="",
        )
        stream.flush()

    return show


class Command(BaseCommand):
    help = (
        "Generate vendors with years of history (organisations, contacts, licences, contracts, "
        "tickets with articles, events, time entries and SLA columns), for measuring at scale."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, required=True, help="how many tickets")
        parser.add_argument("--vendors", type=int, default=1, help="over how many vendors (1-5)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (same data again)")

    def handle(self, *, tickets, vendors, seed, **options):
        from podpora.demo import VENDORS
        from podpora.generate import generate

        if tickets < 1:
            raise CommandError("--tickets: at least 1")
        if not 1 <= vendors <= len(VENDORS):
            raise CommandError(f"--vendors: 1 … {len(VENDORS)} (the demo's vendors)")
        t0 = time.perf_counter()
        counts = generate(tickets, vendors, seed=seed, progress=progress_bar(self.stderr, tickets))
        self.stderr.write("")
        from podpora.search import index

        self.stderr.write("search index …")
        t1 = time.perf_counter()
        index.rebuild(progress_bar(self.stderr, 1, "entries"))
        self.stderr.write("")
        counts["search_seconds"] = round(time.perf_counter() - t1)
        seconds = time.perf_counter() - t0
        self.stdout.write(
            ", ".join(f"{k.replace('_', ' ')}: {v:,}".replace(",", " ") for k, v in counts.items())
            + f" in {seconds:.0f} s"
        )
