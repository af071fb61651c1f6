"""The language detector's cost per request (core/language.py, Lingua restricted to cs, sk,
en, de, pl): the one-time loading of its models, then each request's text.

Run: ``.venv/bin/python bench/bench_language.py [--n 2000]``. Prints figures; never fails on
time (benchmarks are not tests). Needs no database.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time

from podpora.core.language import request_language

TEXTS = [
    ("Nejde odeslat hromadný e-mail\nDobrý den, po aktualizaci na verzi 10.0 nám nejde "
     "odeslat hromadný e-mail zákazníkům. Chyba se objeví po kliknutí na Odeslat.\n"
     "S pozdravem Lukáš Procházka, Autodíly Ústí s.r.o.", "cs"),
    ("Nefunguje tlač\nDobrý deň, vo verzii 10.0 nefunguje tlač faktúr, prosím o pomoc.", "sk"),
    ("Mass e-mail fails\nHello, after the update we cannot send the mass e-mail to our "
     "customers.\nLukáš Procházka, Autodíly Ústí s.r.o.", "cs"),
    ("Dotaz", "cs"),
    ("Serienmail\nGuten Tag, nach dem Update können wir keine Serienmails versenden.", "cs"),
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    start = time.perf_counter()
    request_language(TEXTS[0][0], "cs")
    first = time.perf_counter() - start
    samples = []
    rng = random.Random(1)
    for _ in range(args.n):
        text, expected = rng.choice(TEXTS)
        start = time.perf_counter()
        request_language(text, expected)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    print("language detection (Lingua, cs/sk/en/de/pl)")
    print(f"  first request (loads the models): {first:.2f} s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  process memory with the models: {rss:.0f} MB (peak resident)")
    print(
        f"  per request over {args.n}: mean {statistics.mean(samples):.3f} ms, "
        f"median {samples[len(samples) // 2]:.3f} ms, "
        f"p99 {samples[int(len(samples) * 0.99)]:.3f} ms"
    )
    for text, expected in TEXTS:
        print(f"  {request_language(text, expected)} <- {text.splitlines()[0]!r}")


if __name__ == "__main__":
    main()
