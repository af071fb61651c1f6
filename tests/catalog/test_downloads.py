"""The portal's downloads page and files: who sees which release, and who may fetch its files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podpora.catalog.models import Release, ReleaseFile

from ..billing.conftest import staff

URL = "/portal/downloads/"


@pytest.fixture
def estelar(seed):
    """ACS-line 5.8 (700 days old) and 6.0 (90 days); licences reaching +140 and -220 days."""
    seed("intouch", timezone.localdate())
    return seed("estelar", timezone.localdate())


def file_of(version: str, vendor_slug: str = "estelar") -> ReleaseFile:
    return ReleaseFile.objects.get(
        release__version__name=version, release__product__vendor__slug=vendor_slug
    )


def test_a_licence_covering_every_version_lists_them_all(client, estelar):
    client.force_login(staff("estelar-kratochvil"))
    page = client.get(URL).content.decode()
    assert "ACS-line" in page and "6.0" in page and "5.8" in page
    assert page.count('class="card release"') == 2 and "locked" not in page
    assert f"/portal/downloads/{file_of('6.0').pk}/" in page
    assert "InTouch" not in page  # another vendor's product


def test_a_release_beyond_the_max_version_date_is_locked_with_the_reason(client, estelar):
    from podpora.customers.models import Licence

    client.force_login(staff("estelar-bartos"))
    page = client.get(URL).content.decode()
    limit = Licence.objects.get(number="ACS-2025-0031").max_version_date
    assert f"Vaše licence pokrývá verze vydané do {limit:%-d. %-m. %Y}" in page
    assert f"/portal/downloads/{file_of('6.0').pk}/" not in page
    assert f"/portal/downloads/{file_of('5.8').pk}/" in page

    r = client.get(f"/portal/downloads/{file_of('5.8').pk}/")
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'attachment; filename="acs-line-5.8-instalace.txt"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Type"] == "application/octet-stream"
    assert b"".join(r.streaming_content).startswith(b"ACS-line 5.8: instalace")
    assert client.get(f"/portal/downloads/{file_of('6.0').pk}/").status_code == 404


@pytest.mark.parametrize(
    "username, status",
    [
        ("intouch-prochazka", 404),  # a customer of another vendor
        ("estelar-agent", 200),  # the vendor's staff
        ("intouch-agent", 404),  # another vendor's staff
    ],
)
def test_who_may_fetch_a_file(client, estelar, username, status):
    client.force_login(staff(username))
    assert client.get(f"/portal/downloads/{file_of('6.0').pk}/").status_code == status


def test_nobody_logged_in_is_sent_to_log_in(client, estelar):
    r = client.get(f"/portal/downloads/{file_of('5.8').pk}/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert client.get("/portal/downloads/999999/").status_code == 302


def test_an_unpublished_release_is_hidden_from_customers_not_from_staff(client, estelar):
    release = file_of("6.0").release
    release.published_at = timezone.now() + dt.timedelta(days=1)
    release.save()
    client.force_login(staff("estelar-kratochvil"))
    assert "6.0" not in client.get(URL).content.decode()
    assert client.get(f"/portal/downloads/{file_of('6.0').pk}/").status_code == 404
    client.force_login(staff("estelar-agent"))
    assert client.get(f"/portal/downloads/{file_of('6.0').pk}/").status_code == 200


def test_end_users_and_organisations_without_a_licence(client, seed):
    seed("hrplus", timezone.localdate())
    client.force_login(staff("hrplus-uzivatel"))  # HR Plus: the customer's end users, no access
    assert client.get(URL).status_code == 404
    client.force_login(staff("hrplus-novak"))
    page = client.get(URL).content.decode()
    assert "Pro vaše licence zatím není nic ke stažení." in page


def test_intouch_licence_takes_any_version(client, estelar):
    client.force_login(staff("intouch-cerna"))
    page = client.get(URL).content.decode()
    assert all(v in page for v in ("9.4", "9.5", "10.0")) and "locked" not in page


def test_the_page_costs_the_same_queries_for_many_releases(client, estelar):
    from podpora.core import storage

    client.force_login(staff("estelar-kratochvil"))
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    latest = Release.objects.get(version__name="6.0")
    for n in range(8):
        extra = Release.objects.create(
            product=latest.product,
            version=latest.version,
            official=n % 2 == 0,
            published_at=latest.published_at + dt.timedelta(days=n + 1),
            notes=f"Opravy {n}\n<script>alert(1)</script>",
        )
        for k in range(3):
            ReleaseFile.objects.create(
                release=extra, blob=storage.store(f"{n}-{k}".encode()), filename=f"f{n}-{k}.zip"
            )
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL).content.decode()
    assert page.count('class="card release"') == 10 and page.count("f7-") == 3
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_admin_stores_an_upload_under_a_safe_name(estelar):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from podpora.catalog.admin import ReleaseFileForm
    from podpora.core.storage import blob_path

    release = Release.objects.get(version__name="6.0")
    data = b"PK\x03\x04 instalator" * 1000
    upload = SimpleUploadedFile("../../etc/acs-line-6.0.zip", data)
    form = ReleaseFileForm(data={"filename": ""}, files={"upload": upload})
    form.instance.release = release
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.filename == "acs-line-6.0.zip"
    assert blob_path(saved.blob_id).read_bytes() == data and saved.blob.size == len(data)
    empty = ReleaseFileForm(data={"filename": "x.zip"}, files={})
    empty.instance.release = release
    assert not empty.is_valid() and "upload" in empty.errors
