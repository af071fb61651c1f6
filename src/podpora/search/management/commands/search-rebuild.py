import time

from django.core.management.base import BaseCommand

from podpora.core.management.commands.generate import progress_bar


class Command(BaseCommand):
    help = "Build the search index of tickets, knowledge base and releases again, from scratch."

    def handle(self, **options):
        from podpora.search import index

        t0 = time.perf_counter()
        show = None

        def progress(done, total):
            nonlocal show
            show = show or progress_bar(self.stderr, total, "entries")
            show(done, total)

        entries = index.rebuild(progress)
        self.stderr.write("")
        self.stdout.write(
            f"{entries:,} entries in {time.perf_counter() - t0:.0f} s".replace(",", " ")
        )
