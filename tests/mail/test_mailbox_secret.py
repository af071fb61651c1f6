"""Mailbox.imap_password is encrypted at rest, loads decrypted, and a lost key is reported."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.forms import model_to_dict

from podpora.core import crypto
from podpora.core.fields import UndecryptableSecret
from podpora.mail import imap
from podpora.mail.admin import MailboxForm
from podpora.mail.models import Mailbox

PASSWORD = "Heslo-k-IMAPu ěšč 42"
migration = importlib.import_module("podpora.mail.migrations.0003_encrypt_imap_password")


@pytest.fixture(autouse=True)
def _keys(settings):
    settings.SECRET_KEY = "first-secret-key"
    settings.SECRET_KEY_FALLBACKS = []
    settings.PODPORA_ENCRYPTION_KEY = []


def make_mailbox(cast, address="podpora@acme.example", password=PASSWORD) -> Mailbox:
    return Mailbox.objects.create(
        vendor=cast.vendor,
        name=address.split("@")[0],
        address=address,
        imap_host="imap.acme.example",
        imap_user="podpora",
        imap_password=password,
    )


def raw_password(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT imap_password FROM mail_mailbox WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def store_raw(pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE mail_mailbox SET imap_password = %s WHERE id = %s", [value, pk])


def test_the_column_holds_a_token_not_the_password(cast):
    box = make_mailbox(cast)
    stored = raw_password(box.pk)
    assert stored.startswith(crypto.PREFIX)
    assert PASSWORD not in stored and "Heslo" not in stored
    assert crypto.decrypt(stored) == PASSWORD


def test_the_model_loads_the_plain_password(cast):
    box = make_mailbox(cast)
    assert Mailbox.objects.get(pk=box.pk).imap_password == PASSWORD
    assert Mailbox.objects.values_list("imap_password", flat=True).get(pk=box.pk) == PASSWORD
    box.refresh_from_db()
    assert box.imap_password == PASSWORD


def test_an_empty_password_stays_empty(cast):
    box = make_mailbox(cast, password="")
    assert raw_password(box.pk) == ""
    assert Mailbox.objects.get(pk=box.pk).imap_password == ""


def test_a_legacy_plain_value_loads_and_is_encrypted_on_save(cast):
    box = make_mailbox(cast)
    store_raw(box.pk, "stare-heslo")
    box = Mailbox.objects.get(pk=box.pk)
    assert box.imap_password == "stare-heslo"
    box.save()
    assert crypto.decrypt(raw_password(box.pk)) == "stare-heslo"


def test_the_migration_encrypts_legacy_values_and_reverses(cast):
    legacy = make_mailbox(cast)
    store_raw(legacy.pk, "stare-heslo")
    empty = make_mailbox(cast, address="prazdna@acme.example", password="")
    editor = SimpleNamespace(connection=connection)

    migration.encrypt_plain_passwords(apps, editor)

    token = raw_password(legacy.pk)
    assert token.startswith(crypto.PREFIX) and "stare-heslo" not in token
    assert Mailbox.objects.get(pk=legacy.pk).imap_password == "stare-heslo"
    assert raw_password(empty.pk) == ""

    migration.encrypt_plain_passwords(apps, editor)  # a second run leaves tokens alone
    assert raw_password(legacy.pk) == token

    migration.decrypt_passwords(apps, editor)
    assert raw_password(legacy.pk) == "stare-heslo"
    assert raw_password(empty.pk) == ""


def test_the_reverse_migration_refuses_a_token_it_cannot_decrypt(cast, settings):
    box = make_mailbox(cast)
    settings.SECRET_KEY = "another-secret-key"
    with pytest.raises(RuntimeError, match="PODPORA_ENCRYPTION_KEY"):
        migration.decrypt_passwords(apps, SimpleNamespace(connection=connection))
    assert raw_password(box.pk).startswith(crypto.PREFIX)


def test_a_wrong_key_loads_an_empty_value_and_saving_keeps_the_token(cast, settings):
    box = make_mailbox(cast)
    token = raw_password(box.pk)
    settings.SECRET_KEY = "another-secret-key"

    box = Mailbox.objects.get(pk=box.pk)  # does not raise
    assert isinstance(box.imap_password, UndecryptableSecret)
    assert box.imap_password == "" and not box.imap_password
    box.name = "Přejmenovaná"
    box.save()
    assert raw_password(box.pk) == token

    settings.SECRET_KEY = "first-secret-key"  # the old key back: nothing was lost
    assert Mailbox.objects.get(pk=box.pk).imap_password == PASSWORD


class FakeClient:
    """An IMAP server with an empty folder."""

    def select_folder(self, folder):
        pass

    def folder_exists(self, folder):
        return True

    def search(self, criteria):
        return []

    def logout(self):
        pass


def test_a_wrong_key_is_reported_for_that_mailbox_and_the_others_still_poll(
    cast, settings, monkeypatch
):
    broken = make_mailbox(cast, address="stara@acme.example")
    settings.SECRET_KEY = "another-secret-key"
    working = make_mailbox(cast, address="nova@acme.example")
    logins = []

    def connect(mailbox, timeout=None):
        logins.append((mailbox.address, mailbox.imap_password))
        return FakeClient()

    monkeypatch.setattr(imap, "connect", connect)

    first, second = imap.poll_all()

    assert first.mailbox == broken.name and len(first.errors) == 1
    assert "nelze dešifrovat" in first.errors[0]
    assert "PODPORA_ENCRYPTION_KEY" in first.errors[0] and "SECRET_KEY" in first.errors[0]
    assert "1 errors: Uložené heslo k IMAP nelze dešifrovat" in first.summary()
    assert second.mailbox == working.name and second.errors == []
    assert logins == [("nova@acme.example", PASSWORD)]  # no login with an empty password
    broken.refresh_from_db()
    assert broken.last_error == first.errors[0] and broken.last_polled_at is not None
    working.refresh_from_db()
    assert working.last_error == "" and working.last_polled_at is not None


def form_data(box: Mailbox, **changes) -> dict:
    data = {k: ("" if v is None else v) for k, v in model_to_dict(box).items()}
    data.pop("id", None)
    return data | changes


def test_the_admin_form_keeps_the_password_when_left_blank(cast):
    box = make_mailbox(cast)
    form = MailboxForm(instance=box)
    html = str(form["imap_password"])
    assert 'type="password"' in html
    assert PASSWORD not in html and crypto.PREFIX not in html

    form = MailboxForm(form_data(box, imap_password="", name="Nový název"), instance=box)
    assert form.is_valid(), form.errors
    form.save()
    box = Mailbox.objects.get(pk=box.pk)
    assert box.name == "Nový název" and box.imap_password == PASSWORD

    form = MailboxForm(form_data(box, imap_password=" nové heslo "), instance=box)
    assert form.is_valid(), form.errors
    form.save()
    assert Mailbox.objects.get(pk=box.pk).imap_password == " nové heslo "
    assert "nové heslo" not in raw_password(box.pk)


def test_the_admin_form_keeps_an_undecryptable_token_when_left_blank(cast, settings):
    box = make_mailbox(cast)
    token = raw_password(box.pk)
    settings.SECRET_KEY = "another-secret-key"
    box = Mailbox.objects.get(pk=box.pk)
    form = MailboxForm(form_data(box, imap_password="", name="Nový název"), instance=box)
    assert form.is_valid(), form.errors
    form.save()
    assert raw_password(box.pk) == token


def test_the_admin_change_page_never_shows_the_password(cast, client):
    from podpora.accounts.models import User

    root = User.objects.create_superuser("root", "root@podpora.example", "x", kind="staff")
    client.force_login(root)
    box = make_mailbox(cast)
    page = client.get(f"/admin/mail/mailbox/{box.pk}/change/").content.decode()
    assert 'type="password" name="imap_password"' in page
    assert PASSWORD not in page and crypto.PREFIX not in page


def test_dumpdata_writes_the_token_and_loaddata_restores_the_password(cast, tmp_path):
    import json

    from django.core.management import call_command

    box = make_mailbox(cast)
    lost = make_mailbox(cast, "stara@acme.example")
    token_of_a_lost_key = crypto.encrypt("x")[:-8] + "AAAAAAAA"
    store_raw(lost.pk, token_of_a_lost_key)
    dump = tmp_path / "mailboxes.json"
    call_command("dumpdata", "mail.mailbox", output=str(dump), verbosity=0)
    text = dump.read_text(encoding="utf-8")
    assert PASSWORD not in text and "Heslo" not in text
    rows = {row["pk"]: row["fields"]["imap_password"] for row in json.loads(text)}
    assert crypto.decrypt(rows[box.pk]) == PASSWORD
    assert rows[lost.pk] == token_of_a_lost_key  # kept as it was: the old key still opens it

    Mailbox.objects.filter(pk__in=[box.pk, lost.pk]).delete()
    call_command("loaddata", str(dump), verbosity=0)
    assert Mailbox.objects.get(pk=box.pk).imap_password == PASSWORD
    assert crypto.decrypt(raw_password(box.pk)) == PASSWORD  # encrypted once, not twice
    assert raw_password(lost.pk) == token_of_a_lost_key
    assert Mailbox.objects.get(pk=lost.pk).imap_password == ""
