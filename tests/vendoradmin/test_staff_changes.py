"""Nobody locks themselves out: one's own role and account stay as they are, and a vendor keeps
someone who configures it — in the vendor's administration and in the operator's alike."""

from __future__ import annotations

import pytest

from podpora.accounts.services import staff_change_refusals

ME, OTHER = 1, 2


def _state(pk=OTHER, role="manager", is_active=True, is_superuser=False):
    return {"pk": pk, "role": role, "is_active": is_active, "is_superuser": is_superuser}


@pytest.mark.parametrize(
    ("before", "after", "others", "refused"),
    [
        # one's own account
        (_state(ME), _state(ME, role="agent"), 1, ["roli"]),
        (_state(ME), _state(ME, is_active=False), 1, ["deaktivovat"]),
        (_state(ME), _state(ME, role="admin", is_active=False), 1, ["roli", "deaktivovat"]),
        (_state(ME, is_superuser=True), _state(ME), 1, ["provozovatele"]),
        (_state(ME), _state(ME), 0, []),  # saving one's own page unchanged
        (_state(ME, is_active=False), _state(ME, is_active=False), 1, []),
        # someone else's
        (_state(), _state(role="agent"), 1, []),
        (_state(), _state(is_active=False), 1, []),
        (_state(), _state(role="admin"), 0, []),  # still configures
        (_state(), _state(role="agent"), 0, ["alespoň jednoho"]),  # the last manager
        (_state(), _state(is_active=False), 0, ["alespoň jednoho"]),
        (_state(role="agent"), _state(role="solver"), 0, []),  # never configured
        (_state(role="agent"), _state(role="manager"), 0, []),
        (_state(is_active=False), _state(is_active=False, role="agent"), 0, []),
    ],
)
def test_refusals(before, after, others, refused):
    messages = staff_change_refusals(ME, before, after, others)
    assert len(messages) == len(refused)
    for message, word in zip(messages, refused, strict=True):
        assert word in message


def _staff_post(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "solver_level": str(user.solver_level),
        "language": user.language,
        "is_active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": "agent"}, "Svou vlastní roli změnit nemůžete"),
        ({"is_active": None}, "Svůj vlastní účet deaktivovat nemůžete."),
    ],
)
def test_a_manager_cannot_lock_themselves_out_of_the_vendors_administration(
    client, two_vendors, changes, message
):
    from podpora.accounts.models import User
    from podpora.vendoradmin.models import ChangeRecord

    manager = two_vendors.a.manager
    client.force_login(manager)
    records = ChangeRecord.objects.count()
    response = client.post(
        f"/sprava/accounts/user/{manager.pk}/change/", _staff_post(manager, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    fresh = User.objects.get(pk=manager.pk)
    assert (fresh.role, fresh.is_active) == ("manager", True)
    assert ChangeRecord.objects.count() == records
    assert client.get("/sprava/").status_code == 200  # still configures


@pytest.mark.django_db
def test_a_manager_changes_their_own_name_and_someone_elses_role(client, two_vendors):
    from podpora.accounts.models import User

    a = two_vendors.a
    client.force_login(a.manager)
    response = client.post(
        f"/sprava/accounts/user/{a.manager.pk}/change/",
        _staff_post(a.manager, last_name="Nová"),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=a.manager.pk).last_name == "Nová"
    response = client.post(
        f"/sprava/accounts/user/{a.staff.pk}/change/", _staff_post(a.staff, role="manager")
    )
    assert response.status_code == 302
    assert User.objects.get(pk=a.staff.pk).role == "manager"


def _operator_form(client, page) -> dict:
    """What the operator's user page would post back unchanged."""
    form = client.get(page).context["adminform"].form
    data = {
        name: value
        for name, value in ((n, form[n].value()) for n in form.fields)
        if value not in (None, False) and name not in ("password", "date_joined", "last_login")
    }
    return data | {"date_joined_0": "2026-01-01", "date_joined_1": "08:00:00"}


@pytest.mark.django_db
def test_the_operator_cannot_demote_a_vendors_last_manager_nor_deactivate_themselves(
    client, two_vendors
):
    from podpora.accounts.models import User

    root = User.objects.create_superuser("root", "root@example.cz", "heslo-123")
    client.force_login(root)
    manager = two_vendors.a.manager
    page = f"/admin/accounts/user/{manager.pk}/change/"
    data = _operator_form(client, page)
    data["role"] = "agent"
    response = client.post(page, data)
    assert response.status_code == 200
    assert "alespoň jednoho aktivního vedoucího" in response.content.decode()
    assert User.objects.get(pk=manager.pk).role == "manager"

    # with a second manager, the first may become an agent
    User.objects.filter(pk=two_vendors.a.staff.pk).update(role="admin")
    response = client.post(page, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(pk=manager.pk).role == "agent"

    own = f"/admin/accounts/user/{root.pk}/change/"
    data = _operator_form(client, own)
    data.pop("is_active")
    response = client.post(own, data)
    assert response.status_code == 200
    assert "Svůj vlastní účet deaktivovat nemůžete." in response.content.decode()
    assert User.objects.get(pk=root.pk).is_active
