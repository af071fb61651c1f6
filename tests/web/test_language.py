"""The pages follow the reader's language: the person's own, the admin's and the password pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from podpora.accounts.models import User
from tests.test_i18n import compiled_catalogues  # noqa: F401  (the .mo files compiled)

pytestmark = pytest.mark.usefixtures("compiled_catalogues")

DATA_WORDS = {"Nováková", "Král", "Dvořák", "Operátor", "Údržba", "Malá"}
CZECH_LETTERS = re.compile(r"[ěščřžůťďňĚŠČŘŽŮŤĎŇ]")


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<select name="language".*?</select>', " ", html, flags=re.S)  # language names
    text = re.sub(r"<[^>]+>", " ", html)
    # languages are named in their own language, as everywhere
    return re.sub(r"(?i)\b(čeština|slovenčina)\b", " ", text)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.cz", "heslo-123", language="en")


def test_admin_index_and_lists_are_english_for_an_english_reader(superuser, client, cast):
    from tests.conftest import new_ticket

    new_ticket(cast)  # the history list has rows to render
    client.force_login(superuser)
    page = _text(client.get("/admin/").content.decode())
    assert not CZECH_LETTERS.findall(page), re.findall(r"\S*[ěščřžůťďňĚŠČŘŽŮ]\S*", page)
    for model in site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = _text(client.get(url).content.decode())
        words = re.findall(r"\S*[ěščřžůťďňĚŠČŘŽŮ]\S*", page)
        # the rows' own data (names, subjects, plans) stays as it was written
        words = [w for w in words if w.strip(".,:;“”„") not in DATA_WORDS]
        assert not words, (url, words)
    page = client.get(reverse("admin:tickets_event_changelist")).content.decode()
    assert "Alena Nováková opened the request." in page or "opened the request." in page


def test_admin_index_is_slovak_for_a_slovak_reader(superuser, client):
    superuser.language = "sk"
    superuser.save()
    client.force_login(superuser)
    page = client.get("/admin/").content.decode()
    assert "Požiadavky" in page and "Zákazníci a zmluvy" in page


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/password-reset/",
        "/accounts/password-reset/sent/",
        "/accounts/reset/done/",
        "/accounts/reset/MQ/bad-token/",
    ],
)
def test_password_pages_are_translated(client, db, url):
    page = _text(client.get(url, HTTP_ACCEPT_LANGUAGE="en", follow=True).content.decode())
    assert not re.findall(r"\S*[ěščřžůťďňĚŠČŘŽŮ]\S*", page)
