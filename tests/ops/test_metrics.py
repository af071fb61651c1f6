"""/metrics: Prometheus text, per-view counters, figures from the database, access limited."""

import json
import logging

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_figures():
    cache.delete("podpora:metrics:db")
    yield
    cache.delete("podpora:metrics:db")


def value(text: str, line_start: str) -> float:
    for line in text.splitlines():
        if line.startswith(line_start + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{line_start} not in /metrics")


@pytest.mark.django_db
def test_metrics_count_requests_per_view(client):
    before = client.get("/metrics").content.decode()
    label = 'podpora_http_requests_total{method="GET",status="200",view="healthz"}'
    start = value(before, label) if label in before else 0.0
    for _ in range(3):
        client.get("/healthz")
    client.get("/desk/tickets/XX-1/")  # a path with a number is counted under its view
    text = client.get("/metrics").content.decode()
    assert value(text, label) == start + 3
    assert 'view="desk:detail"' in text
    assert "XX-1" not in text
    assert 'podpora_http_request_duration_seconds_bucket{le="0.5",view="healthz"}' in text


@pytest.mark.django_db
def test_metrics_read_queue_sla_and_mail_from_the_database(client, cast):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from podpora.tickets import events
    from tests.conftest import new_ticket

    DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="x.y",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    ticket = new_ticket(cast)
    events.sla_event(ticket, "warned", clock="resolution")
    events.sla_event(ticket, "breached", clock="resolution")
    events.sla_event(ticket, "breached", clock="first_response")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert value(text, "podpora_tasks_ready") >= 1
    assert value(text, "podpora_tasks_oldest_ready_age_seconds") >= 0
    assert value(text, "podpora_sla_warnings_total") == 1
    assert value(text, "podpora_sla_breaches_total") == 2
    assert 'podpora_mail_received_total{state="quarantined"}' in text
    assert 'podpora_mail_outbound_total{status="failed"}' in text


@pytest.mark.django_db
def test_metrics_refused_through_a_proxy_or_from_afar(client, settings):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    relayed = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert relayed.status_code == 403
    assert "token" in relayed.content.decode()
    settings.METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 403  # loopback is not enough then
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    ok = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer s3cret")
    assert ok.status_code == 200


@pytest.mark.django_db
def test_metrics_while_the_database_is_down_is_a_503_not_a_trace(client, monkeypatch):
    from podpora.core import metrics

    def down():
        raise RuntimeError("database down")

    monkeypatch.setattr(metrics, "database_figures", down)
    response = client.get("/metrics")
    assert response.status_code == 503
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_one_structured_line_per_request(client, caplog):
    from podpora.core.logs import JsonFormatter, KeyValueFormatter

    with caplog.at_level(logging.INFO, logger="podpora.request"):
        client.get("/healthz?x=1")
    records = [r for r in caplog.records if r.name == "podpora.request"]
    assert len(records) == 1
    line = KeyValueFormatter().format(records[0])
    assert " method=GET path=/healthz view=healthz status=200 ms=" in line
    data = json.loads(JsonFormatter().format(records[0]))
    assert data["view"] == "healthz" and data["status"] == 200 and data["level"] == "INFO"


def test_key_value_lines_quote_what_needs_it():
    from podpora.core.logs import KeyValueFormatter

    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "Zpráva s mezerou", (), None)
    record.fields = {"path": '/a b"c', "n": 3, "none": None}
    line = KeyValueFormatter().format(record)
    assert line.endswith('path="/a b\\"c" n=3 none=')
    plain = logging.LogRecord("x", logging.INFO, __file__, 1, "jen text", (), None)
    assert 'msg="jen text"' in KeyValueFormatter().format(plain)
