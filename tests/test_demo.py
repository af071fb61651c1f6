"""The demo: five vendors as their pages describe them, loaded idempotently."""

import pytest

from podpora.demo import load_demo


@pytest.fixture
def demo(db):
    return load_demo()


def counts():
    from podpora.accounts.models import User
    from podpora.customers.models import Contract, Organization
    from podpora.tickets.models import Event, Ticket

    return [m.objects.count() for m in (User, Organization, Contract, Ticket, Event)]


def test_demo_is_idempotent(demo):
    before = counts()
    lines = load_demo()
    assert counts() == before
    assert lines == demo
    assert lines[0].startswith("admin / admin")


def test_demo_accounts_log_in(demo, client):
    assert client.login(username="admin", password="admin")
    for username in ("hrplus-agent", "estelar-kratochvil", "harmonik-manager", "ce-kovac"):
        assert client.login(username=username, password="demo"), username


@pytest.mark.parametrize(
    ("prefix", "first_response", "resolution", "plan"),
    [
        (
            "HAR",
            "2wd",
            "3wd",
            "Podpora uživatelů (e-mail a hotline zdarma)",
        ),  # e-mail 2 wd, analysis 3 wd
        ("EST", "1wd", "3wd", "HOTLINE START"),  # processing within three working days
        ("HRP", "30m", "8h", "Smlouva o údržbě a podpoře – Premium"),
    ],
)
def test_vendor_promises_are_on_their_tickets(demo, prefix, first_response, resolution, plan):
    from podpora.tickets.models import Ticket

    t = Ticket.objects.filter(number__startswith=prefix).order_by("number").first()
    assert t.plan.name == plan
    if prefix != "HRP":
        assert t.first_response_target == first_response and t.resolution_target == resolution
    assert t.first_response_due is not None or t.first_responded_at is not None


def test_intouch_cosmetic_fault_waits_for_next_official_release(demo):
    from podpora.tickets.models import Ticket

    t = Ticket.objects.get(number="ITC-00002")
    assert t.priority == 5 and t.resolution_target == "release" and t.state == "waiting_release"


def test_cloudempiere_runs_around_the_clock(demo):
    from podpora.customers.models import ChannelInfo, Vendor

    cal = Vendor.objects.get(slug="cloudempiere").calendar
    assert all(cal.week[d] == [["00:00", "24:00"]] for d in ("mon", "sat", "sun"))
    # ... except its phone: working days 8:00-17:00
    phone = ChannelInfo.objects.get(vendor__slug="cloudempiere", channel="phone").calendar
    assert phone.week["mon"] == [["08:00", "17:00"]] and phone.week["sat"] == []


def test_estelar_start_and_warranty(demo):
    from podpora.tickets.models import Ticket

    start = Ticket.objects.get(number="EST-00001")
    warranty = Ticket.objects.get(number="EST-00002")
    assert start.plan.kind == "start" and start.entitlement_status == "covered"
    assert (
        warranty.plan.kind == "warranty"
        and warranty.type == "bug"
        and warranty.entitlement_status == "covered"
    )


def test_demo_command_prints_accounts(db, capsys):
    from django.core.management import call_command

    call_command("demo")
    out = capsys.readouterr().out
    assert "admin / admin" in out and "harmonik-agent / demo" in out


@pytest.mark.parametrize(
    ("username", "pages"),
    [
        (
            "hrplus-novak",  # a customer admin
            [
                "/portal/",
                "/portal/new/",
                "/portal/downloads/",
                "/portal/people/",
                "/kb/hrplus/",
                "/portal/licences/",
            ],
        ),
        ("estelar-bartos", ["/portal/downloads/", "/kb/estelar/"]),
        ("intouch-cerna", ["/portal/downloads/", "/kb/intouch/", "/forum/intouch/new/"]),
        (
            "harmonik-manager",
            [
                "/desk/",
                "/desk/reports/",
                "/desk/billing/export/",
                "/desk/phone/",
                "/kb/harmonik/",
                "/accounts/2fa/setup/",
            ],
        ),
        ("admin", ["/desk/", "/desk/reports/", "/desk/billing/export/", "/admin/"]),
    ],
)
def test_every_page_of_a_demo_account_opens(demo, client, username, pages):
    from podpora.tickets.models import Ticket

    client.login(username=username, password="admin" if username == "admin" else "demo")
    for page in pages:
        assert client.get(page).status_code == 200, page
    if username.startswith(("harmonik", "admin")):
        ticket = Ticket.objects.filter(number__startswith="HAR").first()
        assert client.get(f"/desk/tickets/{ticket.number}/").status_code == 200
    for public in ("/specialiste/intouch/", "/dotaz/hrplus/", "/accounts/password-reset/"):
        assert client.get(public).status_code == 200, public


def test_managers_are_not_django_staff(demo, client):
    """The administration is the superuser's: a manager gets no admin flag and no link to it."""
    from podpora.accounts.models import User

    assert not User.objects.filter(role="manager", is_staff=True).exists()
    client.login(username="hrplus-manager", password="demo")
    assert 'href="/admin/"' not in client.get("/desk/").content.decode()
    assert client.get("/admin/").status_code == 302  # to the administration's log-in
    client.login(username="admin", password="admin")
    assert 'href="/admin/"' in client.get("/desk/").content.decode()
