"""Inserting many rows for a benchmark: batches of 10,000, progress on stderr."""

import sys
import time


def insert(model, rows, total: int, what: str = "tickets") -> None:
    """``rows`` yields unsaved instances of ``model``; they are inserted 10,000 at a time."""
    t0 = time.perf_counter()
    batch = []
    for i, row in enumerate(rows, 1):
        batch.append(row)
        if len(batch) == 10000:
            model.objects.bulk_create(batch)
            batch = []
            print(f"\rinserting {i:,}/{total:,}", end="", file=sys.stderr, flush=True)
    if batch:
        model.objects.bulk_create(batch)
    print(f"\ninserted {total:,} {what} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
