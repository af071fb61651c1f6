"""Scale-out switches: files in remote (S3-compatible) storage, Redis for cache and sessions,
reports from a read replica."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest

from podpora.core import storage

IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


@pytest.fixture
def remote_blobs(settings, tmp_path):
    from django.core.files.storage import storages

    settings.STORAGES = {**settings.STORAGES, "blobs": IN_MEMORY}
    storages._storages.pop("blobs", None)
    yield storages
    storages._storages.pop("blobs", None)


@pytest.mark.django_db
def test_files_go_to_the_remote_storage_when_configured(remote_blobs, settings):
    data = b"priloha " * 1000
    blob = storage.store(data)
    digest = hashlib.sha256(data).hexdigest()
    assert blob.sha256 == digest
    assert remote_blobs["blobs"].exists(f"{digest[:2]}/{digest}")
    assert storage.read(digest) == data
    again, size = storage.write_stream(iter([b"a" * 10, b"b" * 5]))
    assert size == 15 and storage.read(again) == b"a" * 10 + b"b" * 5
    assert not settings.STORAGE_DIR.exists()  # nothing on the local disk


@pytest.mark.django_db
def test_attachment_download_reads_the_remote_storage(remote_blobs, client, cast):
    from podpora.tickets import services
    from tests.conftest import new_ticket

    t = new_ticket(cast, files=[services.IncomingFile("zprava.txt", "text/plain", b"obsah")])
    att = t.opening_article.attachments.get()
    client.force_login(cast.agent)
    response = client.get(f"/files/{t.number}/{att.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"obsah"


def test_local_disk_without_configuration(settings, tmp_path):
    assert storage.remote() is None
    digest = storage.write_bytes(b"x")
    assert storage.blob_path(digest).read_bytes() == b"x"


def _settings_with(env: dict) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'caches': settings.CACHES['default']['BACKEND'],"
        " 'sessions': settings.SESSION_ENGINE,"
        " 'blobs': settings.STORAGES.get('blobs'),"
        " 'replica': settings.DATABASES.get('replica', {}).get('NAME'),"
        " 'routers': settings.DATABASE_ROUTERS}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PODPORA_")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "podpora.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_environment_switches(tmp_path):
    plain = _settings_with({"PODPORA_DATA_DIR": str(tmp_path)})
    assert plain["caches"].endswith("LocMemCache")
    assert plain["sessions"] == "django.contrib.sessions.backends.db"
    assert plain["blobs"] is None and plain["replica"] is None
    scaled = _settings_with(
        {
            "PODPORA_DATA_DIR": str(tmp_path),
            "PODPORA_REDIS_URL": "redis://127.0.0.1:6379/0",
            "PODPORA_S3_BUCKET": "podpora-files",
            "PODPORA_S3_ENDPOINT_URL": "https://s3.example.cz",
            "PODPORA_REPLICA_DATABASE_URL": "postgres://ro@replica:5432/podpora",
        }
    )
    assert scaled["caches"] == "django.core.cache.backends.redis.RedisCache"
    assert scaled["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert scaled["blobs"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert scaled["blobs"]["OPTIONS"]["bucket_name"] == "podpora-files"
    assert scaled["blobs"]["OPTIONS"]["endpoint_url"] == "https://s3.example.cz"
    assert scaled["replica"] == "podpora"
    assert scaled["routers"] == ["podpora.core.replica.ReplicaRouter"]


def test_s3_backend_is_importable():
    from storages.backends.s3 import S3Storage

    S3Storage(bucket_name="podpora-files", endpoint_url="https://s3.example.cz")


def test_report_reads_go_to_the_replica_when_configured(settings):
    from podpora.core import replica as router
    from podpora.tickets.models import Ticket

    settings.DATABASES = {**settings.DATABASES, "replica": {}}
    assert Ticket.objects.all().db == "default"  # outside a report
    with router.reports():
        assert Ticket.objects.all().db == "replica"
        assert Ticket.objects.db_manager().db == "replica"
        # writes stay on the primary
        assert router.ReplicaRouter().db_for_write(Ticket) == "default"
    assert not router.ReplicaRouter().allow_migrate("replica", "tickets")


@pytest.mark.django_db
def test_the_report_page_computes_under_the_replica(client, cast, monkeypatch):
    from podpora.accounts.models import User
    from podpora.core import replica as router
    from podpora.desk import reports

    seen = []
    real = reports.report

    def report(*args, **kwargs):
        seen.append(router._reading.get())
        return real(*args, **kwargs)

    monkeypatch.setattr(reports, "report", report)
    manager = User.objects.create_user(
        "sef", "sef@acme.example", "heslo-123", kind="staff", role="manager", vendor=cast.vendor
    )
    client.force_login(manager)
    assert client.get("/desk/reports/").status_code == 200
    assert seen == [True]
    assert router._reading.get() is False


@pytest.mark.django_db
def test_without_a_replica_reads_stay_on_default(cast):
    from podpora.core import replica as router
    from podpora.tickets.models import Ticket

    with router.reports():
        assert Ticket.objects.all().db == "default"


@pytest.mark.django_db
def test_sessions_in_redis_survive_without_asking_the_database(client, cast, settings):
    """cached_db sessions on the machine's Redis: a logged-in request finds its session in
    the cache, written through to the database."""
    import uuid

    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from django.contrib.sessions.models import Session
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"podpora-test-{uuid.uuid4().hex}",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(cast.agent)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert caches["default"].get(f"django.contrib.sessions.cached_db{key}") is not None
    assert Session.objects.filter(session_key=key).exists()  # written through
    Session.objects.all().delete()  # the cache alone answers now
    assert client.get("/desk/").status_code == 200
    caches["default"].delete(f"django.contrib.sessions.cached_db{key}")
