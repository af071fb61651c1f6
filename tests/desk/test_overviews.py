"""The console's overviews: which tickets each shows, the default order by what is due,
the filters of a saved view, sorting, counts, access, query counts and the page's labels."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from podpora.accounts.models import Team, User
from podpora.desk import overviews
from podpora.desk.models import SavedView
from podpora.tickets.models import Ticket
from tests.conftest import new_ticket

NOW = timezone.now()


def make(cast, **fields):
    t = new_ticket(cast)
    Ticket.objects.filter(pk=t.pk).update(**fields)
    return Ticket.objects.get(pk=t.pk)


def shown(user, key, filters=None, sort=""):
    from podpora.accounts import access

    qs = overviews.listed(
        access.visible_tickets(user), user, key=key, filters=filters or {}, sort_text=sort, now=NOW
    )
    return [t.subject for t in qs]


@pytest.fixture
def board(cast):
    """One ticket per situation, named by its subject."""
    solver = User.objects.create_user(
        "resitel", "r@acme.example", "x", kind="staff", role="agent", vendor=cast.vendor
    )
    other_team = Team.objects.create(vendor=cast.vendor, name="Vývoj")
    soon = NOW + dt.timedelta(hours=1)
    later = NOW + dt.timedelta(days=3)
    rows = {
        "mine": dict(assignee=cast.agent, state="open", first_response_due=later, team=other_team),
        "colleague": dict(assignee=solver, state="open", team=cast.team, first_response_due=later),
        "unassigned": dict(state="new", team=other_team, first_response_due=later),
        "soon": dict(state="open", assignee=solver, team=other_team, first_response_due=soon),
        "breached": dict(
            state="open", assignee=solver, team=other_team, sla_breached=True, priority=3
        ),
        "waiting": dict(state="waiting_customer", assignee=solver, team=other_team),
        "release": dict(state="waiting_release", assignee=solver, team=other_team),
        "webform": dict(state="new", channel="webform", team=other_team, assignee=solver),
        "closed": dict(state="closed", assignee=cast.agent, team=cast.team),
    }
    for subject, fields in rows.items():
        fields.setdefault("first_response_due", None)
        make(cast, subject=subject, **fields)
    other = new_ticket(
        cast,
        vendor=cast.other_vendor,
        organization=None,
        contact=None,
        product=None,
        version=None,
        requester_email="x@y.cz",
        actor=None,
    )
    Ticket.objects.filter(pk=other.pk).update(subject="other vendor", state="open")
    return cast


@pytest.mark.parametrize(
    "key, expected",
    [
        (
            "open",
            {
                "mine",
                "colleague",
                "unassigned",
                "soon",
                "breached",
                "waiting",
                "release",
                "webform",
            },
        ),
        ("mine", {"mine"}),
        ("team", {"colleague"}),
        ("unassigned", {"unassigned"}),
        ("due_soon", {"soon"}),
        ("breached", {"breached"}),
        ("waiting_customer", {"waiting"}),
        ("waiting_release", {"release"}),
        ("webform", {"webform"}),
        (
            "nonsense",
            {
                "mine",
                "colleague",
                "unassigned",
                "soon",
                "breached",
                "waiting",
                "release",
                "webform",
            },
        ),
    ],
)
def test_each_overview_shows_its_tickets(board, key, expected):
    assert set(shown(board.agent, key)) == expected


def test_counts_match_the_lists(board):
    from podpora.accounts import access

    found = overviews.counts(access.visible_tickets(board.agent), board.agent, now=NOW)
    for o in overviews.OVERVIEWS:
        assert found[o.key] == (len(shown(board.agent, o.key)), False), o.key


def test_counts_are_bounded(cast, monkeypatch):
    from podpora.accounts import access

    monkeypatch.setattr("podpora.core.paging.COUNT_LIMIT", 2)
    for _ in range(3):
        new_ticket(cast)
    found = overviews.counts(access.visible_tickets(cast.agent), cast.agent, now=NOW)
    assert found["open"] == (2, True)
    assert found["mine"] == (0, False)


def test_default_order_is_breached_critical_first_then_soonest_due(cast):
    make(cast, subject="due later", first_response_due=NOW + dt.timedelta(hours=5), priority=1)
    make(cast, subject="breached low", sla_breached=True, priority=4)
    make(cast, subject="no due", first_response_due=None, resolution_due=None, priority=1)
    make(cast, subject="breached critical", sla_breached=True, priority=1)
    make(cast, subject="due soon", first_response_due=NOW + dt.timedelta(minutes=30), priority=4)
    make(
        cast,
        subject="answered, resolution due",
        first_responded_at=NOW,
        first_response_due=NOW - dt.timedelta(days=1),
        resolution_due=NOW + dt.timedelta(hours=2),
    )
    assert shown(cast.agent, "open") == [
        "breached critical",
        "breached low",
        "due soon",
        "answered, resolution due",
        "due later",
        "no due",
    ]


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("priority", ["a", "b", "c"]),
        ("-priority", ["c", "b", "a"]),
        ("subject", ["a", "b", "c"]),
        ("-subject", ["c", "b", "a"]),
        ("number", ["c", "a", "b"]),
        ("-created", ["b", "a", "c"]),
        ("nonsense;drop", ["a", "c", "b"]),  # an unknown column sorts by what is due
    ],
)
def test_any_column_sorts(cast, sort, expected):
    make(
        cast,
        subject="c",
        priority=5,
        created_at=NOW - dt.timedelta(days=3),
        first_response_due=NOW + dt.timedelta(hours=2),
    )
    make(
        cast,
        subject="a",
        priority=1,
        created_at=NOW - dt.timedelta(days=2),
        first_response_due=NOW + dt.timedelta(hours=1),
    )
    make(
        cast,
        subject="b",
        priority=3,
        created_at=NOW - dt.timedelta(days=1),
        first_response_due=NOW + dt.timedelta(hours=3),
    )
    assert shown(cast.agent, "open", sort=sort) == expected


def test_filters_of_a_view(cast):
    from podpora.desk.overview_forms import ViewFilterForm

    solver = User.objects.create_user(
        "resitel", "r@acme.example", "x", kind="staff", role="agent", vendor=cast.vendor
    )
    old = NOW - dt.timedelta(days=30)
    make(
        cast,
        subject="target",
        assignee=solver,
        level=2,
        type="bug",
        priority=2,
        channel="email",
        entitlement_status="billable",
        team=cast.team,
        sla_breached=True,
        created_at=old,
        updated_at=old,
        search_text="target nejde tisk",
    )
    make(cast, subject="noise", priority=4)
    day = timezone.localdate(old)
    cases = [
        {"assignee": str(solver.pk)},
        {"level": "2"},
        {"type": "bug"},
        {"priority": "2"},
        {"channel": "email"},
        {"entitlement": "billable"},
        {"sla": "breached"},
        {"team": str(cast.team.pk), "priority": "2"},
        {"created_to": str(day)},
        {"updated_from": str(day), "updated_to": str(day)},
        {"q": "target"},
        {"organization": cast.org_a.ico, "priority": "2"},
    ]
    for data in cases:
        form = ViewFilterForm(data, vendor_id=cast.vendor.id)
        assert shown(cast.agent, "open", form.filters()) == ["target"], data
    form = ViewFilterForm(
        {"product": str(cast.product.pk), "version": str(cast.version.pk)}, vendor_id=cast.vendor.id
    )
    assert set(shown(cast.agent, "open", form.filters())) == {"target", "noise"}
    form = ViewFilterForm({"assignee": "none"}, vendor_id=cast.vendor.id)
    assert shown(cast.agent, "open", form.filters()) == ["noise"]
    # a value that is not one of the choices is dropped, not an error
    form = ViewFilterForm({"priority": "9", "type": "bug"}, vendor_id=cast.vendor.id)
    assert shown(cast.agent, "open", form.filters()) == ["target"]


def test_state_filter_replaces_open_in_the_default_overview(cast):
    make(cast, subject="closed", state="closed")
    make(cast, subject="open", state="open")
    assert shown(cast.agent, "open", {"state": "closed"}) == ["closed"]
    assert set(shown(cast.agent, "open", {"state": "all"})) == {"closed", "open"}


def test_saved_view_is_saved_shared_and_private_to_the_vendor(cast, client):
    colleague = User.objects.create_user(
        "kolega", "k@acme.example", "x", kind="staff", role="manager", vendor=cast.vendor
    )
    make(cast, subject="bug ticket", type="bug")
    make(cast, subject="Zeta dotaz", type="question")
    client.force_login(cast.agent)
    r = client.post(
        reverse("desk:save_view"),
        {"name": "Chyby", "shared": "on", "query": "ov=open&type=bug&bogus=1"},
    )
    saved = SavedView.objects.get()
    assert saved.params == {"type": "bug"} and saved.shared and saved.owner == cast.agent
    assert r.status_code == 302 and f"view={saved.pk}" in r["Location"]
    page = client.get(r["Location"]).content.decode()
    assert "bug ticket" in page and "Zeta dotaz" not in page
    SavedView.objects.create(owner=cast.agent, vendor=cast.vendor, name="Soukromý", params={})
    client.force_login(colleague)
    page = client.get(reverse("desk:queue")).content.decode()
    assert "Chyby" in page and "Soukromý" not in page
    # another vendor's agent neither sees it nor gets its filter through the URL
    client.force_login(cast.other_agent)
    page = client.get(reverse("desk:queue") + f"?view={saved.pk}").content.decode()
    assert "Chyby" not in page
    # only the owner deletes it
    client.force_login(colleague)
    assert client.post(reverse("desk:delete_view", args=[saved.pk])).status_code == 404
    client.force_login(cast.agent)
    client.post(reverse("desk:delete_view", args=[saved.pk]))
    assert not SavedView.objects.filter(pk=saved.pk).exists()


def test_queue_shows_only_own_vendor(board, client):
    client.force_login(board.agent)
    page = client.get(reverse("desk:queue") + "?state=all").content.decode()
    assert "other vendor" not in page
    client.force_login(board.contact_a.user)
    assert client.get(reverse("desk:queue")).status_code == 404


def _page(client, url):
    r = client.get(url)
    assert r.status_code == 200
    return r.content.decode()


@pytest.mark.parametrize(
    "url", ["", "?ov=breached&sort=-priority", "?state=all&q=tisk&sla=running"]
)
def test_queue_runs_a_constant_number_of_queries(cast, client, django_assert_num_queries, url):
    client.force_login(cast.agent)
    new_ticket(cast)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        _page(client, reverse("desk:queue") + url)
    for _ in range(20):
        t = new_ticket(cast)
        Ticket.objects.filter(pk=t.pk).update(assignee=cast.agent, sla_breached=True)
    with django_assert_num_queries(len(few.captured_queries)):
        _page(client, reverse("desk:queue") + url)


def test_queue_page_has_labels_and_unique_ids(cast, client):
    for _ in range(3):
        new_ticket(cast)
    client.force_login(cast.agent)
    page = _page(client, reverse("desk:queue"))
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for control in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
        if 'type="hidden"' in control:
            continue
        match = re.search(r'\sid="([^"]+)"', control)
        assert match or "aria-label" in control, control
        if match and "aria-label" not in control:
            assert f'for="{match.group(1)}"' in page, control


def test_old_mine_link_still_works(cast, client):
    make(cast, subject="moje", assignee=cast.agent)
    make(cast, subject="cizi")
    client.force_login(cast.agent)
    page = _page(client, reverse("desk:queue") + "?mine=1")
    assert "moje" in page and "cizi" not in page
