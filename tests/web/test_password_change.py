"""Everyone logged in changes their own password from the menu (staff and customers)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("who", ["agent", "customer"])
def test_a_person_changes_their_password_from_the_menu(client, cast, who):
    user = cast.agent if who == "agent" else cast.contact_a.user
    client.force_login(user)
    home = client.get("/", follow=True).content.decode()
    assert 'href="/accounts/password/"' in home
    form = client.get("/accounts/password/")
    assert form.status_code == 200 and 'id="change-password-form"' in form.content.decode()
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": "Jine-heslo-2026!", "new_password2": "Jine-heslo-2026!"},
    )  # fmt: skip
    assert wrong.status_code == 200 and "heslo" in wrong.content.decode().lower()
    user.refresh_from_db()
    assert user.check_password("heslo-123")
    done = client.post(
        "/accounts/password/",
        {"old_password": "heslo-123", "new_password1": "Jine-heslo-2026!", "new_password2": "Jine-heslo-2026!"},
        follow=True,
    )  # fmt: skip
    assert "Heslo je změněné" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("Jine-heslo-2026!")
    assert client.get("/", follow=True).status_code == 200  # still logged in


def test_the_password_page_needs_a_log_in(client):
    assert client.get("/accounts/password/")["Location"].startswith("/accounts/login/")
