"""Profiles in the database: round trip, idempotence, edits in place, clashes, a new vendor."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from podpora.profiles.files import export_text, load_file, read, render, seed_files


def models():
    from podpora.accounts.models import Team, User
    from podpora.billing.models import VendorBilling
    from podpora.catalog.models import Product, Release, ReleaseFile, Service, Version
    from podpora.customers.models import ChannelInfo, Plan, PublicFormText, ScopeItem, Vendor
    from podpora.macros.models import Macro
    from podpora.mail.models import Mailbox
    from podpora.sla.models import BusinessCalendar, SlaPolicy, SlaTarget

    return [
        Vendor,
        VendorBilling,
        BusinessCalendar,
        SlaPolicy,
        SlaTarget,
        Plan,
        Product,
        Version,
        Release,
        ReleaseFile,
        Service,
        ScopeItem,
        ChannelInfo,
        User,
        Team,
        Mailbox,
        PublicFormText,
        Macro,
    ]


def counts():
    return [m.objects.count() for m in models()]


def token():
    from podpora.core.models import ConfigVersion

    row = ConfigVersion.objects.filter(pk=1).first()
    return row and row.token


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.stem)
def test_each_seed_profile_loads_into_an_empty_database_and_exports_the_same(db, path):
    text = path.read_text(encoding="utf-8")
    vendor = load_file(path).vendor
    assert export_text(vendor) == render(read(text)[0])  # the file, canonically written


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.stem)
def test_loading_twice_changes_nothing(db, path):
    load_file(path)
    before, version = counts(), token()
    again = load_file(path)
    assert not again.changed, again.updated
    assert counts() == before and token() == version  # no row written, no cache emptied


def test_an_edited_profile_updates_in_place(db, tmp_path):
    from podpora.customers.models import Plan
    from podpora.sla.models import SlaTarget

    original = seed_files()[0]
    vendor = load_file(original).vendor
    premium = Plan.objects.get(vendor=vendor, code="udrzba-premium")
    text = original.read_text(encoding="utf-8")
    text = text.replace("free_call_minutes: 180", "free_call_minutes: 240")
    text = text.replace("first_response: 30m", "first_response: 15m")
    edited = tmp_path / "hrplus.yaml"
    edited.write_text(text, encoding="utf-8")
    before = counts()
    outcome = load_file(edited)
    assert counts() == before and len(outcome.updated) == 2
    premium.refresh_from_db()
    assert premium.free_call_minutes == 240  # the same row, by its code
    target = SlaTarget.objects.get(policy__vendor=vendor, policy__name="SLA Premium", priority=1)
    assert target.first_response == "15m"
    assert export_text(vendor) == render(read(text)[0])


def test_clashes_with_other_vendors_are_problems_with_lines(db, tmp_path):
    hrplus, cloud = seed_files()[:2]
    load_file(hrplus)
    text = cloud.read_text(encoding="utf-8").replace("ticket_prefix: CE", "ticket_prefix: HRP")
    text = text.replace("cloudempiere-agent", "hrplus-agent")
    profile, problems = read(text)
    assert profile is None
    lines = text.splitlines()
    assert [(p.line, p.message) for p in problems] == [
        (lines.index("  ticket_prefix: HRP") + 1, "předponu „HRP“ už má jiný dodavatel"),
        (
            lines.index("  - username: hrplus-agent") + 1,
            "uživatelské jméno „hrplus-agent“ už patří někomu jinému",
        ),
    ]


def test_cli_check_writes_nothing_and_fails_with_each_problem(db, tmp_path, capsys):
    from podpora.customers.models import Vendor

    text = (
        seed_files()[4].read_text(encoding="utf-8").replace("sla_policy: Harmonik", "sla_policy: X")
    )
    bad = tmp_path / "harmonik.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="nic nebylo zapsáno"):
        call_command("vendor", "load", "--check", str(bad))
    err = capsys.readouterr().err
    assert re.search(r"harmonik.yaml: řádek \d+ \(plans › 1 › sla_policy\): neznámé SLA „X“", err)
    assert not Vendor.objects.exists()
    call_command("vendor", "load", "--check", str(seed_files()[4]))
    assert "Profil je v pořádku." in capsys.readouterr().out and not Vendor.objects.exists()


def test_cli_load_and_export(db, capsys):
    path = seed_files()[2]
    call_command("vendor", "load", str(path))
    call_command("vendor", "load", str(path))
    assert capsys.readouterr().out.splitlines()[-1] == "Beze změn: ESTELAR."
    call_command("vendor", "export", "estelar")
    assert capsys.readouterr().out == render(read(path.read_text(encoding="utf-8"))[0])


def test_staff_never_get_a_password_from_a_profile(db):
    from podpora.accounts.models import User

    load_file(seed_files()[0])
    assert not User.objects.get(username="hrplus-manager").has_usable_password()
    assert "password" not in seed_files()[0].read_text(encoding="utf-8")


def test_vendor_new_is_a_working_czech_vendor_and_its_manager_is_invited(
    db, capsys, django_capture_on_commit_callbacks
):
    from podpora.accounts.models import User
    from podpora.customers.models import Contact, Contract, Organization, Vendor
    from podpora.tickets import services

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "vendor",
            "new",
            "novak",
            "--name",
            "Novák Software",
            "--manager-email",
            "Jana@Novak.example",
        )
    assert "pozvánka odešla na jana@novak.example" in capsys.readouterr().out
    vendor = Vendor.objects.get(slug="novak")
    cal = vendor.calendar
    assert (cal.timezone, cal.holiday_countries) == ("Europe/Prague", ["CZ"])
    assert cal.week["mon"] == [["08:00", "16:00"]] and cal.week["sat"] == []
    manager = User.objects.get(username="jana@novak.example")
    assert (manager.role, manager.vendor) == ("manager", vendor)
    [message] = mail.outbox
    assert message.to == ["jana@novak.example"]
    assert message.subject == "Pozvánka do Centra podpory Novák Software"
    assert "/accounts/reset/" in message.body and "vedoucí podpory" in message.body

    plan = vendor.plans.get()
    org = Organization.objects.create(vendor=vendor, name="Zákazník s.r.o.")
    Contract.objects.create(organization=org, plan=plan, valid_from=dt.date(2026, 1, 1))
    user = User.objects.create(username="zakaznik", kind="customer")
    contact = Contact.objects.create(organization=org, user=user, first_name="A", last_name="B")
    ticket = services.create_ticket(
        services.NewTicket(
            vendor=vendor,
            subject="Nejde to",
            body="Nejde to.",
            channel="portal",
            organization=org,
            contact=contact,
        ),
        actor=user,
    )
    assert ticket.plan == plan and ticket.first_response_due is not None
    assert ticket.resolution_due is not None
    # the default profile exports as a profile that loads again, unchanged
    assert read(export_text(vendor))[1] == []


def test_vendor_new_refuses_a_taken_slug(db):
    load_file(seed_files()[0])
    with pytest.raises(CommandError, match="už existuje"):
        call_command("vendor", "new", "hrplus", "--name", "X", "--manager-email", "x@x.example")


def test_the_readme_example_is_harmonik_profile_as_it_is():
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("Harmonik's profile, the shortest of the five:\n\n```yaml\n")[1]
    assert example.split("```")[0] == seed_files()[4].read_text(encoding="utf-8")


def test_cli_on_a_database_without_tables_says_what_to_do(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PODPORA_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "podpora.cli", "vendor", "load", "--check", str(seed_files()[4])],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Databáze není připravena" in done.stderr and "podpora migrate" in done.stderr
    assert "Traceback" not in done.stderr
