"""What a manager does in the vendor's administration: rules refused with a Czech message and
nothing saved, each change recorded, previews, invitations, licence cards, mailbox tests."""

from __future__ import annotations

import pytest

from tests.mail_ingest.conftest import dovecot  # noqa: F401


def _policy_data(o, first="2h", resolution="2wd", **extra):
    return {
        "name": o.policy.name,
        "calendar": o.calendar.pk,
        "warn_percent": "80",
        "escalate_on_breach": "on",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "1",
        "targets-0-id": o.target.pk,
        "targets-0-policy": o.policy.pk,
        "targets-0-priority": "2",
        "targets-0-ticket_type": "",
        "targets-0-first_response": first,
        "targets-0-resolution": resolution,
        **extra,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "resolution", "message"),
    [
        ("2 hodiny", "2wd", "není cíl SLA"),
        ("2h", "xyz", "není cíl SLA"),
    ],
)
def test_a_target_the_sla_engine_cannot_read_is_refused_and_nothing_is_saved(
    client, two_vendors, first, resolution, message
):
    from podpora.sla.models import SlaPolicy, SlaTarget
    from podpora.vendoradmin.models import ChangeRecord

    a = two_vendors.a
    client.force_login(a.manager)
    before = ChangeRecord.objects.count()
    response = client.post(
        f"/sprava/sla/slapolicy/{a.policy.pk}/change/",
        _policy_data(a, first, resolution, name="Přejmenováno"),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SlaPolicy.objects.get(pk=a.policy.pk).name == a.policy.name  # nothing half-saved
    assert SlaTarget.objects.get(pk=a.target.pk).first_response == "2h"
    assert ChangeRecord.objects.count() == before


@pytest.mark.django_db
def test_a_change_is_recorded_with_who_when_before_and_after(client, two_vendors):
    from podpora.vendoradmin.models import ChangeRecord

    a = two_vendors.a
    client.force_login(a.manager)
    response = client.post(
        f"/sprava/sla/slapolicy/{a.policy.pk}/change/", _policy_data(a, first="4h")
    )
    assert response.status_code == 302
    record = ChangeRecord.objects.filter(object_id=str(a.policy.pk)).latest("pk")
    assert record.user == a.manager and record.action == "change"
    assert record.vendor_id == a.vendor.pk
    assert record.before["targets"][0]["first_response"] == "2h"
    assert record.after["targets"][0]["first_response"] == "4h"
    history = client.get(f"/sprava/sla/slapolicy/{a.policy.pk}/history/").content.decode()
    assert "cíle SLA" in history and "4h" in history and "Marie Vedoucí a" in history
    listing = client.get("/sprava/vendoradmin/changerecord/").content.decode()
    assert f"/sprava/vendoradmin/changerecord/{record.pk}/change/" in listing
    # a save that changes nothing records nothing
    client.post(f"/sprava/sla/slapolicy/{a.policy.pk}/change/", _policy_data(a, first="4h"))
    assert ChangeRecord.objects.filter(object_id=str(a.policy.pk)).count() == 1


@pytest.mark.django_db
def test_the_policy_page_previews_the_due_instants_of_a_sample_request(client, two_vendors):
    a = two_vendors.a
    client.force_login(a.manager)
    # Friday 15:00, working hours 8:00–16:30: 2 h end on Monday 8:30; 2 working days at the
    # end of Tuesday
    page = client.get(
        f"/sprava/sla/slapolicy/{a.policy.pk}/preview/", {"start": "2026-12-04T15:00"}
    ).content.decode()
    assert "4. 12. 2026 15:00" in page
    assert "7. 12. 2026 08:30" in page
    assert "8. 12. 2026 16:30" in page
    change = client.get(f"/sprava/sla/slapolicy/{a.policy.pk}/change/").content.decode()
    assert "Vzorový požadavek přijatý" in change


WEEK = {f"day_{d}": "8:00–16:30" for d in ("mon", "tue", "wed", "thu", "fri")} | {
    "day_sat": "",
    "day_sun": "",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "typed", "message"),
    [
        ("day_mon", "8:00–12:00, 11:00–16:00", "Směna 11:00–16:00 se překrývá s jinou."),
        ("day_tue", "8:00–25:00", "Směna 8:00–25:00 nejde"),
        ("day_wed", "8:00–8:00", "Směna 8:00–8:00 nejde"),
        ("day_thu", "od rána", "„od rána“ není směna"),
        ("day_sun", "22:00–24:00, 23:00–01:00", "se překrývá"),
    ],
)
def test_a_calendar_with_a_bad_shift_is_not_saved(client, two_vendors, day, typed, message):
    from podpora.sla.models import BusinessCalendar

    a = two_vendors.a
    client.force_login(a.manager)
    response = client.post(
        f"/sprava/sla/businesscalendar/{a.calendar.pk}/change/",
        {"name": "Nový název", "timezone": "Europe/Prague", **WEEK, day: typed,
         "holiday_countries": "CZ", "holiday_dates": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[day][0]
    assert BusinessCalendar.objects.get(pk=a.calendar.pk).name == a.calendar.name


@pytest.mark.django_db
def test_a_manager_types_the_week_day_by_day(client, two_vendors):
    from podpora.sla.models import BusinessCalendar

    a = two_vendors.a
    client.force_login(a.manager)
    url = f"/sprava/sla/businesscalendar/{a.calendar.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="day_mon"' in page and "pondělí" in page.lower()
    response = client.post(
        url,
        {"name": "Hotline", "timezone": "Europe/Prague", **WEEK,
         "day_wed": "8-12; 13:00 – 18:00", "day_sat": "9:00-12:00",
         "holiday_countries": "cz, sk", "holiday_dates": "12-24\n2026-12-31"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    calendar = BusinessCalendar.objects.get(pk=a.calendar.pk)
    assert calendar.week["wed"] == [["08:00", "12:00"], ["13:00", "18:00"]]
    assert calendar.week["sat"] == [["09:00", "12:00"]] and calendar.week["sun"] == []
    assert calendar.week["mon"] == [["08:00", "16:30"]]
    assert calendar.holiday_countries == ["CZ", "SK"]
    again = client.get(url).context["adminform"].form
    assert again.initial["day_wed"] == "8:00–12:00, 13:00–18:00"
    assert again.initial["day_sun"] == ""


@pytest.mark.django_db
def test_a_contract_ending_before_it_starts_is_refused_in_words(client, two_vendors):
    from podpora.customers.models import Contract

    a = two_vendors.a
    client.force_login(a.manager)
    count = Contract.objects.count()
    response = client.post(
        "/sprava/customers/contract/add/",
        {
            "organization": a.org.pk,
            "plan": a.plan.pk,
            "valid_from": "2026-06-01",
            "valid_to": "2026-01-01",
        },
    )
    assert "Platnost nemůže skončit dřív, než začne." in response.content.decode()
    assert Contract.objects.count() == count


@pytest.mark.django_db
def test_a_new_staff_member_gets_an_invitation(
    client, two_vendors, mailoutbox, django_capture_on_commit_callbacks
):
    from podpora.accounts.models import User

    a = two_vendors.a
    client.force_login(a.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/sprava/accounts/user/add/",
            {
                "username": "nova-operatorka",
                "first_name": "Jana",
                "last_name": "Nová",
                "email": "jana@example.cz",
                "role": "agent",
                "solver_level": "1",
                "language": "cs",
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(username="nova-operatorka")
    assert (user.vendor_id, user.kind, user.is_superuser) == (a.vendor.pk, "staff", False)
    assert not user.has_usable_password()
    mail = mailoutbox[-1]
    assert mail.to == ["jana@example.cz"]
    assert "Pozvánka do Centra podpory" in mail.subject
    assert "operátor hotline" in mail.body and "/accounts/reset/" in mail.body


@pytest.mark.django_db
def test_a_new_licence_gets_its_activation_card(client, two_vendors):
    from podpora.customers.models import Licence

    a = two_vendors.a
    client.force_login(a.manager)
    response = client.post(
        "/sprava/customers/licence/add/",
        {"organization": a.org.pk, "product": a.product.pk, "number": "LIC-NOVA"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Licenční kartičky" in page and "LIC-NOVA" in page
    assert 'href="/sprava/customers/licence/"' in page
    licence = Licence.objects.get(number="LIC-NOVA")
    assert licence.vendor_id == a.vendor.pk and licence.activation_code_hash


@pytest.mark.django_db
def test_a_duplicate_code_of_ones_own_vendor_is_a_form_error(client, two_vendors):
    a, b = two_vendors.a, two_vendors.b
    client.force_login(a.manager)
    data = {"code": a.product.code, "name": "Jiný", "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0"}  # fmt: skip
    response = client.post("/sprava/catalog/product/add/", data)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    # the other vendor's code is free for this one
    data["code"] = b.product.code
    assert client.post("/sprava/catalog/product/add/", data).status_code == 302


@pytest.mark.django_db
def test_the_article_page_previews_the_markdown_sanitised(client, two_vendors):
    a = two_vendors.a
    a.article.body = "**Tučně** <script>alert(1)</script>"
    a.article.save()
    client.force_login(a.manager)
    page = client.get(f"/sprava/kb/article/{a.article.pk}/change/").content.decode()
    assert "<strong>Tučně</strong>" in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.django_db
def test_the_mailbox_test_reports_in_czech_when_the_server_does_not_answer(client, two_vendors):
    import socket

    a = two_vendors.a
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))  # nobody listens: the connection is refused
    port = listener.getsockname()[1]
    listener.close()
    a.mailbox.imap_host, a.mailbox.imap_port, a.mailbox.imap_security = "127.0.0.1", port, "plain"
    a.mailbox.save()
    client.force_login(a.manager)
    response = client.post(f"/sprava/mail/mailbox/{a.mailbox.pk}/test/", follow=True)
    assert f"K serveru 127.0.0.1:{port} se nelze připojit." in response.content.decode()
    page = client.get(f"/sprava/mail/mailbox/{a.mailbox.pk}/change/").content.decode()
    assert f"podpora ingest-email --mailbox {a.mailbox.address}" in page


@pytest.mark.django_db
def test_the_mailbox_test_logs_in_to_a_real_imap_server(
    client,
    two_vendors,
    dovecot,  # noqa: F811
    settings,
):
    a = two_vendors.a
    settings.MAIL_IMAP_CAFILE = dovecot.cafile
    a.mailbox.imap_host, a.mailbox.imap_port = "127.0.0.1", dovecot.tls_port
    a.mailbox.imap_security, a.mailbox.imap_user = "tls", dovecot.user
    a.mailbox.imap_password = dovecot.password
    a.mailbox.save()
    client.force_login(a.manager)
    response = client.post(f"/sprava/mail/mailbox/{a.mailbox.pk}/test/", follow=True)
    assert "se podařilo" in response.content.decode()
    a.mailbox.imap_password = "spatne"
    a.mailbox.save()
    response = client.post(f"/sprava/mail/mailbox/{a.mailbox.pk}/test/", follow=True)
    assert "odmítl přihlášení" in response.content.decode()


@pytest.mark.django_db
def test_an_operator_with_the_vendor_set_is_not_the_managers_to_edit(client, two_vendors):
    from podpora.accounts.models import User

    a = two_vendors.a
    root = User.objects.create_superuser(
        "operator", "op@example.cz", "heslo-123", kind="staff", vendor=a.vendor
    )
    client.force_login(a.manager)
    assert f"/sprava/accounts/user/{root.pk}/change/" not in (
        client.get("/sprava/accounts/user/").content.decode()
    )
    assert client.get(f"/sprava/accounts/user/{root.pk}/change/").status_code == 404
    response = client.post(
        "/sprava/accounts/team/add/", {"name": "Tým s operátorem", "members": [root.pk]}
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/sprava/vendoradmin/changerecord/", "/sprava/customers/contract/",
     "/sprava/customers/licence/", "/sprava/billing/subscription/"],
)  # fmt: skip
def test_a_list_costs_the_same_queries_whatever_its_length(client, two_vendors, url):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from podpora.billing.models import Subscription
    from podpora.customers.models import Contract, Licence, Organization
    from podpora.vendoradmin import audit

    a = two_vendors.a
    client.force_login(a.manager)
    client.get(url)  # sessions, content types cached

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = cost()
    for tag in ("c", "d", "e"):
        org = Organization.objects.create(vendor=a.vendor, name=f"Firma {tag}")
        Contract.objects.create(organization=org, plan=a.plan, valid_from=dt.date(2026, 1, 1))
        Licence.objects.create(vendor=a.vendor, organization=org, product=a.product, number=tag)
        Subscription.objects.create(organization=org, service=a.service, year=2026, price=1)
        audit.record(a.staff, a.vendor.pk, org, "add", None, audit.snapshot(org))
    assert cost() == few
