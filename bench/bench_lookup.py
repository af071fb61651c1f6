"""Benchmark: the hotline's look-up among the customers 1,000,000 tickets come with.

Prints figures, never fails on time. `podpora generate` makes one organisation per 500
tickets with three people each: BENCH_TICKETS (default 1,000,000) gives 2,000 organisations,
6,000 people and 2,000 licences. Uses a fresh SQLite database in a temporary directory unless
DATABASE_URL is set. Times each kind of query (a licence number, an IČO, a company, a name,
an e-mail, a phone number) and counts its queries.
"""

import os
import random
import statistics
import tempfile
import time

N = int(os.environ.get("BENCH_TICKETS", "1000000"))
tmp = tempfile.mkdtemp(prefix="podpora-bench-")
os.environ.setdefault("PODPORA_DATA_DIR", tmp)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podpora.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from podpora.catalog.models import Product  # noqa: E402
from podpora.customers.models import Contact, Licence, Organization, Vendor  # noqa: E402
from podpora.demo import make_ico  # noqa: E402
from podpora.desk import lookup  # noqa: E402
from podpora.generate import FIRST_NAMES, LAST_NAMES  # noqa: E402

call_command("migrate", verbosity=0)
rng = random.Random(7)
vendor = Vendor.objects.create(slug="bench-lookup", name="Bench", ticket_prefix="BL")
product = Product.objects.create(vendor=vendor, code="erp", name="ERP")
n_orgs = max(N // 500, 1)
orgs = Organization.objects.bulk_create(
    [
        Organization(vendor=vendor, name=f"Firma {rng.choice(LAST_NAMES)} {k} s.r.o.",
                     ico=make_ico(6_000_000 + k))
        for k in range(n_orgs)
    ],
    batch_size=1000,
)  # fmt: skip
people = []
for org in orgs:
    for j in range(3):
        c = Contact(
            organization=org,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email=f"osoba{j}.{org.ico}@zakaznik.example",
            phone=f"+420 6{(org.pk * 10 + j) % 10**8:08d}",
        )
        c.set_keys()
        people.append(c)
Contact.objects.bulk_create(people, batch_size=2000)
Licence.objects.bulk_create(
    [Licence(vendor=vendor, organization=o, product=product, number=f"BL-{o.pk:06d}") for o in orgs],
    batch_size=2000,
)  # fmt: skip
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
sample = people[len(people) // 2]
org = orgs[len(orgs) // 2]
queries = {
    "licence number": f"bl-{org.pk:06d}",
    "IČO": org.ico,
    "company": org.name.split()[1].lower(),
    "person's name": f"{sample.last_name} {sample.first_name[:3]}",
    "e-mail": sample.email.upper(),
    "phone number": sample.phone.replace("+420 ", ""),
}
print(f"hotline look-up: {n_orgs} organisations, {len(people)} people, {n_orgs} licences "
      f"({connection.vendor})")  # fmt: skip
lookup.find(vendor.pk, "warm")  # the organisations' cache, once per process
for kind, text in queries.items():
    times = []
    for _ in range(20):
        start = time.perf_counter()
        hits = lookup.find(vendor.pk, text)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        lookup.find(vendor.pk, text)
    print(f"  {kind:15} {text!r:40} {len(hits):2} hits  median {statistics.median(times):6.2f} ms"
          f"  {len(ctx.captured_queries)} queries")  # fmt: skip
start = time.perf_counter()
card = lookup.caller(org)
print(
    f"  caller's card (entitlement preview included): {(time.perf_counter() - start) * 1000:.1f} ms"
)
