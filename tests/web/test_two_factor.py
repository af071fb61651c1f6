"""Staff log in in two steps once they turn it on (or when all staff must); customers and the
API are not affected."""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def code(device, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"


def log_in(client, username):
    r = client.post("/accounts/login/", {"username": username, "password": "heslo-123"})
    assert r.status_code == 302


def test_a_staff_member_turns_it_on_and_then_logs_in_in_two_steps(client, cast):
    log_in(client, "agent")
    assert client.get("/desk/").status_code == 200  # optional: not on yet
    page = client.get("/accounts/2fa/setup/").content.decode()
    assert "<svg" in page and 'id="totp-secret"' in page
    device = TOTPDevice.objects.get(user=cast.agent, confirmed=False)
    r = client.post("/accounts/2fa/setup/", {"code": "000000"})
    assert "Kód nesouhlasí" in r.content.decode()
    # django-otp makes each next try after a failure wait longer; the test does not wait
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    r = client.post("/accounts/2fa/setup/", {"code": code(device), "next": "/desk/"})
    assert r.status_code == 302 and r["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200

    client.logout()
    log_in(client, "agent")
    r = client.get("/desk/")
    assert r.status_code == 302 and r["Location"] == "/accounts/2fa/?next=/desk/"
    assert client.get("/desk/billing/export/").status_code == 302  # every staff page
    device.refresh_from_db()
    r = client.post("/accounts/2fa/", {"code": code(device, 1), "next": "/desk/"})
    assert r.status_code == 302 and r["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200


def test_a_used_or_wrong_code_is_refused(client, cast):
    device = TOTPDevice.objects.create(user=cast.agent, name="x", confirmed=True)
    log_in(client, "agent")
    token = code(device)
    assert client.post("/accounts/2fa/", {"code": token}).status_code == 302
    client.logout()
    log_in(client, "agent")
    r = client.post("/accounts/2fa/", {"code": token})  # the same code again
    assert "Kód nesouhlasí nebo už byl použit." in r.content.decode()
    assert client.get("/desk/").status_code == 302


def test_required_for_all_staff_sends_them_to_set_it_up(client, cast, settings):
    settings.PODPORA_STAFF_2FA = True
    log_in(client, "agent")
    r = client.get("/desk/")
    assert r["Location"] == "/accounts/2fa/setup/?next=/desk/"
    client.logout()
    log_in(client, "alena")  # a customer is not asked
    assert client.get("/portal/").status_code == 200


def test_turning_it_off(client, cast, settings):
    device = TOTPDevice.objects.create(user=cast.agent, name="x", confirmed=True)
    log_in(client, "agent")
    client.post("/accounts/2fa/", {"code": code(device)})
    assert "Vypnout" in client.get("/accounts/2fa/setup/").content.decode()
    settings.PODPORA_STAFF_2FA = True
    client.post("/accounts/2fa/disable/")
    assert TOTPDevice.objects.filter(user=cast.agent).exists()  # required: stays
    settings.PODPORA_STAFF_2FA = False
    client.post("/accounts/2fa/disable/")
    assert not TOTPDevice.objects.filter(user=cast.agent).exists()


def test_the_api_keeps_its_tokens(client, cast):
    """A staff member with the second step on still reaches the API by their token."""
    from io import StringIO

    from django.core.management import call_command

    TOTPDevice.objects.create(user=cast.agent, name="x", confirmed=True)
    out = StringIO()
    call_command("create-api-token", "agent", stdout=out)
    token = out.getvalue().strip().split()[-1]
    r = client.get("/api/v1/tickets", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200


def test_a_foreign_next_is_ignored(client, cast):
    device = TOTPDevice.objects.create(user=cast.agent, name="x", confirmed=True)
    log_in(client, "agent")
    r = client.post("/accounts/2fa/", {"code": code(device), "next": "https://evil.example/"})
    assert r["Location"] == "/"


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
