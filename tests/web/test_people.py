"""A customer admin manages the organisation's people: adds and invites them, changes who is an
authorised person, deactivates; the organisation always keeps its admin."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from podpora.accounts.models import User
from podpora.customers import people
from podpora.customers.models import Contact
from tests.conftest import new_ticket


@pytest.fixture
def admin(cast):
    cast.contact_a.role = Contact.Role.CUSTOMER_ADMIN
    cast.contact_a.save()
    return cast.contact_a


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """The invitation is queued with the change and sent after its commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def invitation_link(message) -> str:
    return re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)


def test_an_added_person_is_invited_sets_a_password_and_sees_the_requests(
    client, cast, admin, settings, committed
):
    settings.BASE_URL = "https://podpora.example"
    ticket = new_ticket(cast, contact=cast.contact_a2)
    client.force_login(admin.user)
    with committed():
        r = client.post(
            "/portal/people/",
            {
                "first_name": "Jiří",
                "last_name": "Nový",
                "email": "Jiri.Novy@Alfa.example",
                "language": "cs",
                "role": "authorised",
                "sees_all_tickets": "on",
            },
        )
    page = client.get(r["Location"]).content.decode()
    assert "Jiří Nový je přidán(a); pozvánku jsme poslali na jiri.novy@alfa.example." in page
    assert "pozvána" in page
    [message] = mail.outbox
    assert message.to == ["jiri.novy@alfa.example"]
    assert message.subject == "Pozvánka do Centra podpory ACME Software"
    assert message.body.startswith("Dobrý den, pane Nový,")
    assert "Alfa s.r.o." in message.body

    client.logout()
    path = invitation_link(message).removeprefix("https://podpora.example")
    form = client.get(path, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Moje-heslo-77!", "new_password2": "Moje-heslo-77!"},
    )
    assert client.login(username="jiri.novy@alfa.example", password="Moje-heslo-77!")
    assert ticket.number in client.get("/portal/").content.decode()


def test_an_end_user_is_recorded_without_a_portal_account(admin, committed):
    with committed():
        person = people.add_person(
            admin, people.Person("Eva", "Koncová", "eva.koncova@alfa.example", role="end_user")
        )
    assert person.user is None and mail.outbox == []


@pytest.mark.parametrize(
    "person, field",
    [
        (people.Person("", "", "x@alfa.example"), "last_name"),
        (people.Person("A", "B", ""), "email"),
        (people.Person("A", "B", "adam@example.cz"), "email"),  # already in the organisation
        (people.Person("A", "B", "bohous@example.cz"), "email"),  # another person's account
        (people.Person("A", "B", "c@alfa.example", role="boss"), "role"),
        (people.Person("A", "B", "x" * 140 + "@alfa.example"), "email"),  # too long a user name
    ],
)
def test_bad_input_is_refused(admin, person, field):
    before = Contact.objects.count()
    with pytest.raises(ValidationError) as exc:
        people.add_person(admin, person)
    assert field in exc.value.message_dict
    assert Contact.objects.count() == before and mail.outbox == []


def test_deactivating_a_person_ends_their_access(client, cast, admin):
    client.force_login(admin.user)
    r = client.post(
        f"/portal/people/{cast.contact_a2.pk}/",
        {"role": "authorised", "sees_all_tickets": "on"},  # is_active unticked
        follow=True,
    )
    assert "Uloženo." in r.content.decode()
    assert not User.objects.get(username="adam").is_active
    assert not client.login(username="adam", password="heslo-123")
    client.post(
        f"/portal/people/{cast.contact_a2.pk}/",
        {"role": "end_user", "is_active": "on"},
    )
    assert not User.objects.get(username="adam").is_active  # an end user has no portal access
    client.post(f"/portal/people/{cast.contact_a2.pk}/", {"role": "authorised", "is_active": "on"})
    assert User.objects.get(username="adam").is_active


def test_the_admin_keeps_their_own_role(client, admin):
    client.force_login(admin.user)
    r = client.post(f"/portal/people/{admin.pk}/", {"role": "authorised", "is_active": "on"})
    assert "Svou vlastní roli správce ani svůj účet změnit nemůžete." in r.content.decode()
    assert Contact.objects.get(pk=admin.pk).role == "customer_admin"


@pytest.mark.parametrize("who", ["adam", "bohous", "agent"])
def test_only_the_organisations_admin_manages_people(client, cast, admin, who):
    client.force_login(User.objects.get(username=who))
    assert client.get("/portal/people/").status_code == 404
    assert (
        client.post(f"/portal/people/{cast.contact_a2.pk}/", {"role": "end_user"}).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        people.change_person(
            cast.contact_b, cast.contact_a2, role="end_user", sees_all_tickets=True, is_active=True
        )


def test_another_organisations_person_is_not_found(client, cast, admin):
    client.force_login(admin.user)
    assert client.get(f"/portal/people/{cast.contact_b.pk}/").status_code == 404


def test_an_invitation_sent_again(client, cast, admin, committed):
    client.force_login(admin.user)
    with committed():
        r = client.post(f"/portal/people/{cast.contact_a2.pk}/invite/")
    assert (
        "Pozvánku jsme poslali znovu na adam@example.cz."
        in client.get(r["Location"]).content.decode()
    )
    assert mail.outbox[0].to == ["adam@example.cz"]


def test_an_invited_person_whose_link_ran_out_asks_for_a_new_one(client, admin):
    person = people.add_person(admin, people.Person("Jan", "Pozdní", "jan.pozdni@alfa.example"))
    assert not person.user.has_usable_password()
    mail.outbox.clear()
    client.post("/accounts/password-reset/", {"email": "jan.pozdni@alfa.example"})
    assert [m.to for m in mail.outbox] == [["jan.pozdni@alfa.example"]]
