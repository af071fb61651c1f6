"""A forgotten password: the link by e-mail sets a new one; nothing tells who has an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from podpora.accounts import password


def link(message) -> str:
    return re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)


def test_a_customer_sets_a_new_password_by_the_link(client, cast, settings):
    settings.BASE_URL = "https://podpora.example"
    r = client.get("/accounts/login/")
    assert "/accounts/password-reset/" in r.content.decode()
    r = client.post("/accounts/password-reset/", {"email": "ALENA@example.cz"}, follow=True)
    assert "Zkontrolujte e-mail" in r.content.decode()
    [message] = mail.outbox
    assert message.to == ["alena@example.cz"]
    assert message.subject == "Nové heslo do Centra podpory"
    url = link(message)
    assert url.startswith("https://podpora.example/accounts/reset/")
    path = url.removeprefix("https://podpora.example")
    form_page = client.get(path, follow=True)
    assert 'id="set-password-form"' in form_page.content.decode()
    r = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nove-heslo-2026!", "new_password2": "Nove-heslo-2026!"},
        follow=True,
    )
    assert "Heslo je nastavené" in r.content.decode()
    assert client.login(username="alena", password="Nove-heslo-2026!")
    client.logout()
    used = client.get(path, follow=True).content.decode()
    assert "Odkaz už neplatí" in used  # once only


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, cast):
    r = client.post("/accounts/password-reset/", {"email": "nikdo@nikde.example"}, follow=True)
    assert "Zkontrolujte e-mail" in r.content.decode() and mail.outbox == []


def test_requests_are_limited_per_email_and_slowed_per_address(client, cast, monkeypatch):
    from podpora.core import ratelimit

    delays = []
    monkeypatch.setattr(ratelimit, "_sleep", delays.append)
    monkeypatch.setattr(password, "PER_EMAIL", 2)
    monkeypatch.setattr(password, "LIMIT", 3)
    for _ in range(4):
        r = client.post("/accounts/password-reset/", {"email": "alena@example.cz"}, follow=True)
        assert "Zkontrolujte e-mail" in r.content.decode()
    assert len(mail.outbox) == 2  # that mailbox is not flooded
    assert delays == [0.5]  # the 4th from this address waited
    # Another person behind the same address still gets their mail.
    client.post("/accounts/password-reset/", {"email": "adam@example.cz"})
    assert mail.outbox[-1].to == ["adam@example.cz"]


def test_reset_mail_goes_through_the_outbox_with_retries(client, cast):
    from podpora.mail.models import OutboundMessage

    client.post("/accounts/password-reset/", {"email": "alena@example.cz"})
    record = OutboundMessage.objects.get(kind="password_reset")
    assert record.recipients == ["alena@example.cz"] and record.raw_blob_id


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
