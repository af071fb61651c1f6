"""insert_unless_taken: one statement that leaves a taken key alone."""

import pytest
from django.db import IntegrityError, transaction

from podpora.core.models import Blob
from podpora.core.rows import insert_unless_taken
from podpora.mail.models import Mailbox


def test_inserts_a_new_row_and_leaves_a_taken_key_alone(cast):
    first = Mailbox(vendor=cast.vendor, name="Podpora", address="p@acme.example")
    assert insert_unless_taken(first) and first.pk is not None
    assert not first._state.adding and Mailbox.objects.get(pk=first.pk).name == "Podpora"

    again = Mailbox(vendor=cast.vendor, name="Jiná", address="p@acme.example")
    assert not insert_unless_taken(again) and again.pk is None
    assert Mailbox.objects.get(address="p@acme.example").name == "Podpora"  # untouched
    assert Mailbox.objects.count() == 1  # and the transaction goes on (PostgreSQL too)


def test_a_given_primary_key_and_automatic_fields(db):
    blob = Blob(sha256="a" * 64, size=3)
    assert insert_unless_taken(blob)
    assert Blob.objects.get(pk="a" * 64).created_at is not None  # auto_now_add applied
    assert not insert_unless_taken(Blob(sha256="a" * 64, size=4))
    assert Blob.objects.get(pk="a" * 64).size == 3


def test_other_errors_still_raise(cast):
    nameless = Mailbox(vendor=cast.vendor, name=None, address="x@acme.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_unless_taken(nameless)  # NOT NULL: not a taken key
