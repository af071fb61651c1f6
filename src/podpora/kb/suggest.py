"""Answers before asking: the knowledge-base articles that best match a request being typed.

Diacritics and case are ignored (``core.text.fold``); a longer word is matched by its first
letters, so Czech endings do not matter ("faktury" finds "faktura"). An article scores a point
for every word of the request its text contains and two more for each in its title; frequent
questions lead at a tie. Only articles the reader may open, in the reader's language, for the
request's product or for no product, and never news.
"""

from __future__ import annotations

import re

from django.db.models import Q

from podpora.core.text import fold

from .models import Article
from .selectors import readable

#: at most this many words of the request are looked for
MAX_TERMS = 12
#: candidates read before ranking (the newest matching ones)
MAX_CANDIDATES = 200
STEM = 5  # letters kept of a longer word

#: folded words that say nothing of the question (cs, sk, en)
STOP_WORDS = frozenset(
    """
    a aby ale ani ano asi az bez bude budu byl byla byli bylo byt co ci do ho i jak jako je mam
    jeho jej jen jeste ji jsem jsme jsou jste k kde kdy kdyz ktera ktere ktery ma mame mate
    me mi mit mne mu muj muze my na nad nam nas ne nebo neni nez nic no o od po pod pokud
    pro proc proto pri s se si sve tak take tam te ten tento to toho tom tu ty u uz v ve vas
    vy z za ze zde dobry den dekuji dekujeme prosim pozdravem
    aj ako alebo bol bola by je nie som sme ste su sa tiez uz ked preco
    the and or of to in is it for on with this that be are was not we you i how what why
    hello thanks please regards
    """.split()
)


def terms(text: str) -> list[str]:
    """The words looked for, folded and cut to their stem, first ones first, no repeats."""
    out: list[str] = []
    for word in re.findall(r"\w+", fold(text)):
        if len(word) < 3 or word in STOP_WORDS or word.isdigit():
            continue
        stem = word[:STEM] if len(word) > STEM else word
        if stem not in out:
            out.append(stem)
        if len(out) == MAX_TERMS:
            break
    return out


def score(words: list[str], title: str, text: str, kind: str) -> tuple[int, int]:
    """(points, tie-break) of one article; pure, so the ranking is tested as a table."""
    title, text = fold(title), text
    points = sum(1 for w in words if w in text) + sum(2 for w in words if w in title)
    return points, 1 if kind == Article.Kind.FAQ else 0


def suggest(user, vendor, text: str, *, product_id=None, language: str = "cs", limit: int = 5):
    """The best ``limit`` articles for ``text`` (subject and description), best first."""
    words = terms(text)
    if not words:
        return []
    qs = readable(user, vendor).exclude(kind=Article.Kind.NEWS).filter(language=language)
    if product_id:
        qs = qs.filter(Q(product_id=product_id) | Q(product__isnull=True))
    match = Q()
    for word in words:
        match |= Q(search_text__contains=word)
    candidates = list(
        qs.filter(match)
        .only("pk", "title", "slug", "language", "kind", "search_text", "product_id", "vendor_id")
        .order_by("-published_at", "pk")[:MAX_CANDIDATES]
    )
    ranked = sorted(
        candidates,
        key=lambda a: (score(words, a.title, a.search_text, a.kind), a.pk),
        reverse=True,
    )
    return [a for a in ranked if score(words, a.title, a.search_text, a.kind)[0] > 0][:limit]
