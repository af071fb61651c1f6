"""E-mail parser throughput on one core: raw bytes → ParsedMessage, no database, no storage.

Run: ``.venv/bin/python bench/bench_parse.py [--n 300] [--repeat 5] [--seed 1] [--against
FILE] [--unfolded]``. Prints figures; never fails on time (benchmarks are not tests).
``--against`` also times ``parse_message`` of another version, for before/after figures taken
in one run (a single-file version of the parser, as it was before ``mail/parse/`` became a
package); ``--unfolded`` also times the current parser with its folding of base64 runs
(``mail/parse/mime.py``) turned off.

- *generated*: N messages like those of ``bench/bench_ingest.py`` (new tickets and replies
  from known contacts in UTF-8 and windows-1250, half with an HTML alternative, 30 % with a
  PDF of 2-200 KB, unknown senders, auto-replies), and the subset with both a PDF and an
  HTML alternative;
- *46 KiB*: messages of the size and shape the ingest target was set for (text, an HTML
  alternative and a PDF of about 30 KB);
- *corpus*: every message of the shared test corpus (Zammad and Stalwart, as
  ``tests/mail/test_corpus.py`` reads them), skipped when it is absent.

Each figure is the best of ``--repeat`` timed passes after a warm-up (other load only slows),
with the median pass next to it; with ``--against`` the two versions take turns.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid
from pathlib import Path

from mailgen import MAILBOX, WORDS, message
from podpora.mail.parse import mime, parse_message

CORPUS = Path(
    os.environ.get("PODPORA_CORPUS")
    or Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
)


def generated(n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    addresses = [f"kontakt{o}-{c}@zakaznik{o}.example" for o in range(5) for c in range(10)]
    numbers = [f"BE-{i:05d}" for i in range(1, 51)]
    return [message(rng, addresses, numbers, 1000 + i) for i in range(n)]


def shaped(n: int, seed: int) -> list[bytes]:
    """Text, HTML alternative and a ~30 KB PDF: about 46 KiB each."""
    rng = random.Random(seed)
    messages = []
    for i in range(n):
        msg = EmailMessage()
        msg["From"] = f"Jana Nová <kontakt{i % 5}-{i % 10}@zakaznik{i % 5}.example>"
        msg["To"] = MAILBOX
        msg["Subject"] = " ".join(rng.choice(WORDS) for _ in range(5)).capitalize()
        msg["Message-ID"] = make_msgid(f"s{i}", domain="zakaznik.example")
        body = "Dobrý den,\n\n" + "\n".join(
            " ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(15)
        )
        msg.set_content(body + "\n\nS pozdravem\nJana Nová\n")
        msg.add_alternative(f"<p>{body.replace(chr(10), '<br>')}</p>", subtype="html")
        msg.add_attachment(
            rng.randbytes(rng.randint(28_000, 32_000)),
            maintype="application",
            subtype="pdf",
            filename=f"vypis-{i}.pdf",
        )
        messages.append(msg.as_bytes(policy=SMTP))
    return messages


def corpus() -> list[bytes]:
    emails = CORPUS / "emails"
    paths = sorted(emails.glob("zammad/*.box")) + sorted(
        emails.glob("stalwart-mail-parser/eml/*/*.eml")
    )
    return [path.read_bytes() for path in paths]


Parse = Callable[[bytes], object]


def load_parse(path: str) -> Parse:
    """``parse_message`` of the module in ``path`` (a single-file version of the parser)."""
    spec = importlib.util.spec_from_file_location("bench_parse_against", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module.parse_message


def unfolded(raw: bytes) -> object:
    """``parse_message`` with every message below the size from which runs are folded."""
    folding_from = mime.FOLD_FROM_BYTES
    mime.FOLD_FROM_BYTES = sys.maxsize
    try:
        return parse_message(raw)
    finally:
        mime.FOLD_FROM_BYTES = folding_from


def measure(label: str, messages: list[bytes], repeat: int, parsers: dict[str, Parse]) -> None:
    if not messages:
        print(f"{label} (no messages)")
        return
    n = len(messages)
    size = sum(len(raw) for raw in messages) / n / 1024
    print(f"{label}: {n} messages, mean {size:.1f} KiB")
    passes: dict[str, list[float]] = {name: [] for name in parsers}
    for parse in parsers.values():
        for raw in messages:  # warm-up: imports, regex and codec caches
            parse(raw)
    for _ in range(repeat):
        for name, parse in parsers.items():
            t0 = time.perf_counter()
            for raw in messages:
                parse(raw)
            passes[name].append(time.perf_counter() - t0)
    for name, times in passes.items():
        best, median = min(times), statistics.median(times)
        print(
            f"  {name:<10} {n / best:>7,.0f} msg/s   {best / n * 1000:6.2f} ms/msg best"
            f"   ({median / n * 1000:6.2f} median)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="generated messages")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per figure")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--against", metavar="FILE", help="also time this version's parser")
    parser.add_argument(
        "--unfolded", action="store_true", help="also time it without folding base64 runs"
    )
    args = parser.parse_args(argv)
    parsers: dict[str, Parse] = {"current": parse_message}
    if args.against:
        parsers = {"against": load_parse(args.against)} | parsers
    if args.unfolded:
        parsers = {"unfolded": unfolded} | parsers

    messages = generated(args.n, args.seed)
    both = [m for m in messages if b"application/pdf" in m and b"text/html" in m]
    measure("generated (as bench_ingest)", messages, args.repeat, parsers)
    measure("generated, with PDF and HTML alternative", both, args.repeat, parsers)
    measure("46 KiB: text + HTML + PDF", shaped(50, args.seed), args.repeat, parsers)
    found = corpus()
    if found:
        measure("corpus (Zammad + Stalwart)", found, args.repeat, parsers)
    else:
        print(f"corpus: skipped (not found at {CORPUS / 'emails'}; set PODPORA_CORPUS)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
