"""`podpora generate`: vendors with years of history, to measure the product at scale.

Each vendor is one of the demo's (its seed page's plans, SLA policies, calendar, product and
staff: ``demo.load_vendor``), with generated customers on top — organisations, contacts,
licences, contracts — and tickets spread over four years with their articles, history events
and time entries. The SLA columns come from the SLA engine (``sla.recompute``'s compiled
calendar arithmetic over the contract's policy), not from invented numbers: each ticket's due
instants are its policy's targets counted in the vendor's business hours from its creation.

Rows are written as plain tuples in batches (``executemany`` on SQLite, ``COPY`` on
PostgreSQL) with ids given here, without model instances or per-row queries: run it on a
database nothing else writes tickets to meanwhile.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext

from podpora.accounts.models import User
from podpora.billing.models import TimeEntry
from podpora.core.text import fold
from podpora.customers.entitlements import REASONS
from podpora.customers.models import Contact, Contract, Licence, Organization
from podpora.customers.services import channel_calendars
from podpora.demo import PASSWORD, PRAGUE, VENDORS, load_vendor, make_ico
from podpora.sla.recompute import _Computer, _target
from podpora.tickets import rules
from podpora.tickets.models import Article, Event, Ticket, TicketCounter

YEARS = 4
#: tickets per generated organisation (a vendor of a million tickets has 2,000 customers)
TICKETS_PER_ORGANIZATION = 500
BATCH = 5000
OPEN_STATES = ["new", "open", "waiting_customer", "open"]

COMPANY_WORDS = (
    "Alfa Beta Gama Delta Sigma Omega Nova Prima Sever Jih Vltava Morava Labe Šumava Tatra "
    "Orion Vega Kometa Pramen Javor Dub Lípa Zenit Kompas Horizont Meridian Atlas Polaris"
).split()
COMPANY_KINDS = (
    "Stavby Strojírny Logistika Potraviny Obchod Služby Energie Textil Doprava Účetnictví "
    "Software Nábytek Tisk Zdravotnictví Hotely Elektro"
).split()
LEGAL = ("s.r.o.", "a.s.", "spol. s r.o.", "v.o.s.")
FIRST_NAMES = "Jan Petr Pavel Tomáš Martin Jana Eva Lucie Petra Kateřina Marie Jiří Lenka".split()
LAST_NAMES = (
    "Novák Svoboda Dvořák Černý Procházka Kučera Veselý Horák Němec Pokorný Marek Král".split()
)
SUBJECTS = [
    "Nejde tisk faktur",
    "Chyba při importu bankovních výpisů",
    "Jak nastavit nového uživatele",
    "Pomalá odezva při uzávěrce měsíce",
    "Export do XML hlásí chybu",
    "Dotaz k aktualizaci na novou verzi",
    "Nefunguje přihlášení po změně hesla",
    "Chybný výpočet mezd u částečného úvazku",
    "Požadavek na úpravu tiskové sestavy",
    "Zálohování databáze skončilo chybou",
    "Nesedí DPH v přiznání",
    "Aplikace spadne při otevření skladu",
    "Jak zrušit zaúčtovaný doklad",
    "Synchronizace s e-shopem se zastavila",
    "Licence hlásí překročení počtu uživatelů",
    "Prosíme o školení nové kolegyně",
]
BODIES = [
    "Dobrý den, od rána se nám při {what} objevuje chybové hlášení. Prosíme o pomoc.",
    "Dobrý den, potřebovali bychom poradit, jak postupovat při {what}. Děkujeme.",
    "Při {what} aplikace přestane odpovídat, musíme ji ukončit. Stává se to od včerejška.",
]
WHATS = ["uzávěrce", "tisku", "importu", "exportu", "přihlášení", "zpracování mezd", "zálohování"]
ANSWERS = [
    "Dobrý den, děkujeme za nahlášení, podíváme se na to a ozveme se.",
    "Dobrý den, prosíme o zaslání snímku obrazovky a čísla verze.",
    "Dobrý den, chybu jsme opravili v konfiguraci, zkuste to prosím znovu.",
    "Dobrý den, postup je popsán v návodu v naší znalostní bázi, zasíláme odkaz.",
]
FOLLOW_UPS = [
    "Děkujeme, posíláme požadované podklady.",
    "Zkusili jsme to, chyba se už neobjevuje. Děkujeme.",
    "Bohužel se to stále opakuje.",
]
OPENED = json.dumps({"old": "new", "new": "open"})
RESOLVED = json.dumps({"old": "open", "new": "resolved"})
CLOSED = json.dumps({"old": "resolved", "new": "closed"})
ARTICLE_KIND = {"portal": "portal", "email": "email_in", "phone": "phone", "webform": "webform"}


class _Table:
    """Plain-tuple rows for one model: every concrete column, defaults prepared once."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.defaults = {
            f.attname: f.get_db_prep_save(f.get_default(), connection)
            for f in self.fields
            if not f.primary_key
        }
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.template = [self.defaults.get(f.attname) for f in self.fields]
        self.rows: list[list] = []

    def add(self, values: dict) -> None:
        row = self.template.copy()
        index = self.index
        for name, value in values.items():
            row[index[name]] = value
        self.rows.append(row)

    def flush(self) -> None:
        if not self.rows:
            return
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        cols = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", self.rows)
        self.rows = []


def _datetime_adapter():
    """Aware datetime -> the database's value, as Django stores it (SQLite: naive UTC text)."""
    if connection.vendor != "sqlite":
        return lambda value: value
    utc = dt.UTC
    return lambda value: str(value.astimezone(utc).replace(tzinfo=None))


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class _Ids:
    def __init__(self, model):
        self.next = _next_id(model)

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


def generate(
    tickets: int,
    vendors: int = 1,
    *,
    now: dt.datetime | None = None,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Generate ``tickets`` tickets spread over ``vendors`` demo vendors; returns row counts."""
    if not 1 <= vendors <= len(VENDORS):
        raise ValueError(f"vendors: 1 … {len(VENDORS)}")
    now = now or timezone.now()
    rng = random.Random(seed)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # this connection only: indexes stay in memory
            cursor.execute("PRAGMA cache_size = -131072")
    totals = {"organizations": 0, "tickets": 0, "articles": 0, "events": 0, "time_entries": 0}
    done = 0
    for i in range(vendors):
        share = tickets // vendors + (1 if i < tickets % vendors else 0)
        counts = _vendor(
            VENDORS[i],
            share,
            now,
            rng,
            lambda n, base=done: progress and progress(base + n, tickets),
        )
        done += share
        for k, v in counts.items():
            totals[k] += v
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Ticket, Article, Event, TimeEntry]
            ):
                cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, for the indexes to be chosen
    return totals


def _customers(vendor, n_orgs: int, rng: random.Random, today: dt.date):
    """Organisations with contacts, a licence and a contract each (on the vendor's plans that
    carry an SLA); the first ones' administrators may log in to the portal."""
    plans = [p for p in vendor.plans.select_related("sla_policy") if p.sla_policy_id]
    product = vendor.products.order_by("pk").first()
    base = Organization.objects.filter(vendor=vendor).count()
    orgs = []
    for k in range(n_orgs):
        name = (
            f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)} {base + k + 1} "
            f"{rng.choice(LEGAL)}"
        )
        orgs.append(
            Organization(
                vendor=vendor,
                name=name,
                # unique per vendor (base + k); seven digits whatever the vendor's id
                ico=make_ico(5_000_000 + vendor.pk % 20 * 200_000 + base + k),
                stage="customer",
            )
        )
    orgs = Organization.objects.bulk_create(orgs, batch_size=1000)
    password = make_password(PASSWORD)
    users, contacts, contracts, licences = [], [], [], []
    for k, org in enumerate(orgs):
        for j in range(3):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"kontakt{j + 1}.{org.ico}@zakaznik.example"
            contact = Contact(
                organization=org,
                first_name=first,
                last_name=last,
                email=email,
                phone=f"+420 6{((base + k) * 10 + j) % 10**8:08d}",
                role="customer_admin" if j == 0 else "authorised",
            )
            contact.set_keys()  # bulk_create does not call save()
            if j == 0 and base + k < 20:
                user = User(
                    username=f"{vendor.slug}-zakaznik{base + k + 1}",
                    first_name=first,
                    last_name=last,
                    email=email,
                    kind="customer",
                    password=password,
                )
                users.append((user, contact))
            contacts.append(contact)
        plan = rng.choice(plans) if plans else None
        if plan is not None:
            contracts.append(
                Contract(
                    organization=org,
                    plan=plan,
                    number=f"{vendor.ticket_prefix}-G-{org.pk}",
                    valid_from=today - dt.timedelta(days=365 * YEARS + 30),
                    valid_to=today + dt.timedelta(days=365),
                )
            )
        if product is not None:
            licences.append(
                Licence(
                    vendor=vendor,
                    organization=org,
                    product=product,
                    number=f"{vendor.ticket_prefix}-L-{org.pk}",
                    activated_on=today - dt.timedelta(days=365 * YEARS + 30),
                )
            )
    if users:
        User.objects.bulk_create([u for u, _ in users])
        for user, contact in users:
            contact.user = user
    Contact.objects.bulk_create(contacts, batch_size=2000)
    Contract.objects.bulk_create(contracts, batch_size=2000)
    Licence.objects.bulk_create(licences, batch_size=2000)
    by_org = {}
    for c in contacts:
        by_org.setdefault(c.organization_id, []).append(c)
    contract_of = {c.organization_id: c for c in contracts}
    licence_of = {lic.organization_id: lic for lic in licences}
    return orgs, by_org, contract_of, licence_of, product


def _vendor(setup, n: int, now: dt.datetime, rng: random.Random, progress) -> dict[str, int]:
    today = timezone.localdate(now)
    vendor, _accounts = load_vendor(setup, today)
    n_orgs = max(5, n // TICKETS_PER_ORGANIZATION)
    with transaction.atomic():
        orgs, contacts_of, contract_of, licence_of, product = _customers(vendor, n_orgs, rng, today)
    staff = list(User.objects.filter(vendor=vendor, kind="staff").order_by("pk"))
    team = vendor.teams.order_by("pk").first()
    versions = list(product.versions.order_by("released_on")) if product else []
    computers: dict[int, _Computer] = {}
    channel_computers: dict[tuple[int, str], _Computer] = {}
    own_calendars = channel_calendars(vendor.pk)
    targets: dict[int, dict] = {}
    for contract in contract_of.values():
        policy = contract.effective_sla_policy()
        if policy.pk not in computers:
            computers[policy.pk] = _Computer(policy)
            targets[policy.pk] = {
                t.priority: (
                    t.first_response,
                    t.resolution,
                    _target(t.first_response),
                    _target(t.resolution),
                )
                for t in policy.targets.filter(ticket_type="")
            }

    adapt = _datetime_adapter()
    tables = {m: _Table(m) for m in (Ticket, Article, Event, TimeEntry)}
    ids = {m: _Ids(m) for m in (Ticket, Article, Event, TimeEntry)}
    counter, _ = TicketCounter.objects.get_or_create(vendor=vendor)
    number = counter.last
    start = now - dt.timedelta(days=365 * YEARS)
    span = (now - start).total_seconds()
    # creation instants in order, weighted to working hours: ids follow time, as in real life
    moments = sorted(rng.random() for _ in range(n))
    counts = {
        "organizations": len(orgs),
        "tickets": 0,
        "articles": 0,
        "events": 0,
        "time_entries": 0,
    }
    rate = Decimal(vendor.price_list_rate or 0) if vendor.price_list_rate else None
    utc = dt.UTC

    def epoch_dt(value: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(value, utc)

    def event(ticket_id, kind, at, actor=None, label="", channel="", visible=True, data="{}"):
        tables[Event].add(
            {
                "id": ids[Event].take(),
                "ticket_id": ticket_id,
                "kind": kind,
                "actor_id": actor,
                "actor_label": label,
                "channel": channel,
                "data": data,
                "customer_visible": visible,
                "created_at": adapt(at),
            }
        )
        counts["events"] += 1

    def article(
        ticket_id, kind, at, body, *, customer, author=None, contact=None, sender="", subject=""
    ):
        pk = ids[Article].take()
        tables[Article].add(
            {
                "id": pk,
                "ticket_id": ticket_id,
                "kind": kind,
                "from_customer": customer,
                "author_id": author,
                "author_contact_id": contact,
                "sender": sender,
                "subject": subject,
                "body": body,
                "created_at": adapt(at),
            }
        )
        counts["articles"] += 1
        return pk

    dumps = json.dumps
    created_data = {subject: dumps({"subject": subject}) for subject in SUBJECTS}
    zone = next(iter(computers.values())).zone if computers else PRAGUE
    params_json = {c.plan_id: dumps({"plan": c.plan.name}) for c in contract_of.values()}
    with translation.override("cs"):
        detail = {
            c.plan_id: gettext(REASONS["covered"]).format(plan=c.plan.name)[:300]
            for c in contract_of.values()
        }
    for idx, fraction in enumerate(moments):
        created = (start + dt.timedelta(seconds=fraction * span)).replace(microsecond=0)
        local = created.astimezone(zone)
        if (
            local.weekday() >= 5
            and rng.random() < 0.8
            or not 7 <= local.hour < 18
            and rng.random() < 0.7
        ):
            # most requests come in working hours: move it to a working morning
            local = local.replace(hour=8 + rng.randrange(9), minute=rng.randrange(60))
            if local.weekday() >= 5:
                local -= dt.timedelta(days=local.weekday() - 4)
            created = min(
                local.astimezone(utc), (now - dt.timedelta(minutes=1)).replace(microsecond=0)
            )
        org = orgs[rng.randrange(len(orgs))]
        contact = rng.choice(contacts_of[org.pk])
        contract = contract_of.get(org.pk)
        policy = contract.effective_sla_policy() if contract else None
        impact, urgency = rng.choice(
            [(2, 2), (2, 2), (3, 2), (2, 3), (3, 3), (1, 2), (2, 1), (1, 1)]
        )
        priority = int(rules.priority_for(impact, urgency))
        channel = rng.choice(["email", "email", "portal", "portal", "phone", "webform"])
        subject = rng.choice(SUBJECTS)
        body = rng.choice(BODIES).format(what=rng.choice(WHATS))
        number += 1
        ticket_number = f"{vendor.ticket_prefix}-{number:05d}"
        age_days = (now - created).total_seconds() / 86400
        assignee = staff[rng.randrange(len(staff))] if staff and rng.random() < 0.85 else None

        first_spec = res_spec = ""
        first_due = res_due = None
        start_epoch = int(created.timestamp())
        computer = computers.get(policy.pk) if policy else None
        if computer is not None and channel in own_calendars:  # the channel's own hours
            key = (policy.pk, channel)
            if key not in channel_computers:
                probe = SimpleNamespace(vendor_id=vendor.pk, channel=channel)
                channel_computers[key] = _Computer(policy, probe)
            computer = channel_computers[key]
        if computer is not None:
            first_spec, res_spec, first_t, res_t = targets[policy.pk].get(
                priority, ("", "", None, None)
            )
            first_due = computer.due(start_epoch, first_t)
            res_due = computer.due(start_epoch, res_t) if res_spec != "release" else None
        # how the ticket went: answered within (mostly) its first-response time, resolved
        # within (mostly) its resolution time; recent ones are still open
        window = (first_due - start_epoch) if first_due else 4 * 3600
        responded = start_epoch + max(60, int(window * rng.uniform(0.05, 1.25)))
        res_window = (res_due - start_epoch) if res_due else 5 * 86400
        resolved = responded + max(600, int(res_window * rng.uniform(0.1, 1.2)))
        now_epoch = now.timestamp()
        if age_days < 45 and rng.random() < 0.5 or resolved > now_epoch:
            state = rng.choice(OPEN_STATES)
            resolved = None
            if state == "new" or responded > now_epoch:
                state, responded = "new", None
        else:
            state = "closed" if now_epoch - resolved > 7 * 86400 else "resolved"
        breached_at = None
        if first_due is not None and (responded or now_epoch) > first_due:
            breached_at = first_due
        elif (
            res_due is not None
            and (resolved or now_epoch) > res_due
            and state != "waiting_customer"
        ):
            breached_at = res_due
        next_check = None
        if computer is not None and resolved is None and breached_at is None:
            pending = []
            if responded is None and first_due is not None:
                pending.append((first_due, first_t))
            if res_due is not None:
                pending.append((res_due, res_t))
            candidates = [computer.warn(start_epoch, d, t, 0) for d, t in pending] + [
                d for d, _ in pending
            ]
            next_check = min(candidates) if candidates else None
        updated = resolved or responded or start_epoch
        closed_at = resolved + 7 * 86400 if state == "closed" else None
        version = versions[rng.randrange(len(versions))] if versions else None
        search = fold(
            " ".join(
                (
                    ticket_number,
                    subject,
                    contact.email,
                    contact.first_name + " " + contact.last_name,
                    body,
                )
            )
        )
        ticket_id = ids[Ticket].take()
        tables[Ticket].add(
            {
                "id": ticket_id,
                "vendor_id": vendor.pk,
                "number": ticket_number,
                "subject": subject,
                "type": rng.choice(["question", "question", "incident", "bug", "implementation"]),
                "channel": channel,
                "state": state,
                "impact": impact,
                "urgency": urgency,
                "priority": priority,
                "language": "cs",
                "organization_id": org.pk,
                "contact_id": contact.pk,
                "requester_email": contact.email,
                "requester_name": f"{contact.first_name} {contact.last_name}",
                "product_id": product.pk if product else None,
                "version_id": version.pk if version else None,
                "licence_id": licence_of[org.pk].pk if org.pk in licence_of else None,
                "contract_id": contract.pk if contract else None,
                "team_id": team.pk if team else None,
                "assignee_id": assignee.pk if assignee else None,
                "plan_id": contract.plan_id if contract else None,
                "entitlement_status": "covered" if contract else "billable",
                "entitlement_reason": "covered" if contract else "no_contract",
                "entitlement_detail": detail[contract.plan_id] if contract else "",
                "entitlement_params": params_json[contract.plan_id] if contract else "{}",
                "sla_policy_id": policy.pk if policy else None,
                "first_response_target": first_spec,
                "resolution_target": res_spec,
                "first_response_due": adapt(epoch_dt(first_due)) if first_due else None,
                "resolution_due": adapt(epoch_dt(res_due)) if res_due else None,
                "first_responded_at": adapt(epoch_dt(responded)) if responded else None,
                "resolved_at": adapt(epoch_dt(resolved)) if resolved else None,
                "closed_at": adapt(epoch_dt(closed_at)) if closed_at else None,
                "sla_next_check": adapt(epoch_dt(next_check)) if next_check else None,
                "sla_breached": breached_at is not None,
                "sla_breached_at": adapt(epoch_dt(breached_at)) if breached_at else None,
                "search_text": search,
                "created_at": adapt(created),
                "updated_at": adapt(epoch_dt(updated)),
            }
        )
        counts["tickets"] += 1
        label = f"{contact.first_name} {contact.last_name}"
        event(
            ticket_id,
            "created",
            created,
            label=label,
            channel=channel,
            data=created_data[subject],
        )
        event(
            ticket_id,
            "entitlement",
            created,
            channel=channel,
            visible=False,
            data=dumps(
                {
                    "status": "covered" if contract else "billable",
                    "reason": "covered" if contract else "no_contract",
                    "overridden": False,
                    "note": "",
                    "params": {"plan": contract.plan.name} if contract else {},
                }
            ),
        )
        if policy is not None:
            event(
                ticket_id,
                "sla_targets",
                created,
                label="",
                channel="system",
                visible=False,
                data=dumps(
                    {
                        "reason": "created",
                        "policy": policy.name,
                        "first_response": first_spec,
                        "resolution": res_spec,
                        "first_response_due": epoch_dt(first_due).isoformat()
                        if first_due
                        else None,
                        "resolution_due": epoch_dt(res_due).isoformat() if res_due else None,
                    }
                ),
            )
        article(
            ticket_id,
            ARTICLE_KIND[channel],
            created,
            body,
            customer=True,
            contact=contact.pk,
            sender=label,
            subject=subject,
        )
        if assignee is not None:
            event(
                ticket_id,
                "assigned",
                created + dt.timedelta(minutes=2),
                visible=False,
                channel="web",
                data=dumps(
                    {
                        "old": None,
                        "new": assignee.username,
                        "team": team.name if team else None,
                        "old_label": "",
                        "new_label": assignee.get_full_name() or assignee.username,
                    }
                ),
            )
        if responded is not None:
            at = epoch_dt(responded)
            agent = assignee or (staff[0] if staff else None)
            answer = article(
                ticket_id,
                "email_out",
                at,
                rng.choice(ANSWERS),
                customer=False,
                author=agent.pk if agent else None,
                sender=agent.get_full_name() if agent else "",
            )
            event(
                ticket_id,
                "message_added",
                at,
                actor=agent.pk if agent else None,
                channel="web",
                data=f'{{"article": {answer}}}',
            )
            event(
                ticket_id,
                "state_changed",
                at,
                actor=agent.pk if agent else None,
                channel="web",
                data=OPENED,
            )
            if rng.random() < 0.4:
                at2 = at + dt.timedelta(hours=rng.uniform(1, 30))
                if at2.timestamp() < now_epoch:
                    follow = article(
                        ticket_id,
                        "email_in" if channel == "email" else "portal",
                        at2,
                        rng.choice(FOLLOW_UPS),
                        customer=True,
                        contact=contact.pk,
                        sender=label,
                    )
                    event(
                        ticket_id,
                        "message_added",
                        at2,
                        label=label,
                        channel="portal",
                        data=f'{{"article": {follow}}}',
                    )
        if resolved is not None:
            at = epoch_dt(resolved)
            agent = assignee or (staff[0] if staff else None)
            event(
                ticket_id,
                "state_changed",
                at,
                actor=agent.pk if agent else None,
                channel="web",
                data=RESOLVED,
            )
            if state == "closed":
                event(
                    ticket_id,
                    "state_changed",
                    epoch_dt(closed_at),
                    channel="system",
                    visible=True,
                    data=CLOSED,
                )
            if agent is not None and rng.random() < 0.45:
                tables[TimeEntry].add(
                    {
                        "id": ids[TimeEntry].take(),
                        "ticket_id": ticket_id,
                        "user_id": agent.pk,
                        "minutes": rng.choice([15, 15, 30, 30, 45, 60, 90, 120]),
                        "note": "Řešení požadavku",
                        "mode": "covered" if contract else "billable",
                        "rate": None if contract else rate,
                        "worked_on": at.astimezone(computer.zone if computer else utc).date(),
                        "channel": "phone" if channel == "phone" else "",
                        "created_at": adapt(at),
                    }
                )
                counts["time_entries"] += 1
        if (idx + 1) % BATCH == 0 or idx + 1 == n:
            with transaction.atomic():
                for table in tables.values():
                    table.flush()
                TicketCounter.objects.filter(vendor=vendor).update(last=number)
            if progress:
                progress(idx + 1)
    return counts
