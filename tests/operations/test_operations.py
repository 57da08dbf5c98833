"""Operations: JSON log lines with a request id, the health endpoint, job runs and the operator's status page."""

import json
import logging
import time
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from entiteiten.models import Gebruiker
from operations import health, heartbeat
from operations.logging import JsonFormatter, current_request_id, logging_config
from operations.models import JobRun
from rapportering.tasks import refresh_year_figures
from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory
from trajecten import monitoring
from trajecten.tasks import run_deadline_job

pytestmark = pytest.mark.django_db


# --- structured logs ----------------------------------------------------------------------------------


def json_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    lines = [formatter.format(r) for r in caplog.records]
    assert all("\n" not in line for line in lines)  # one line per event, exceptions included
    return [json.loads(line) for line in lines]


def test_a_log_line_is_one_json_object_with_request_and_dossier_id(caplog):
    token = current_request_id.set("req-12345678")
    try:
        try:
            raise ValueError("kapot")
        except ValueError:
            logging.getLogger("trajecten.monitoring").exception(
                "deadline job: trajectory %s could not be evaluated", 17, extra={"traject_id": 17}
            )
    finally:
        current_request_id.reset(token)
    (line,) = json_lines(caplog)
    assert line["level"] == "ERROR" and line["logger"] == "trajecten.monitoring"
    assert line["request_id"] == "req-12345678" and line["traject_id"] == 17
    assert "ValueError: kapot" in line["exception"] and line["time"].endswith("+00:00")


def test_the_deadline_jobs_errors_can_be_found_by_dossier_id(entiteit_a, monkeypatch, caplog):
    t = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a))
    monkeypatch.setattr(monitoring, "facts_from", lambda dossier: 1 / 0)
    run_deadline_job.delay("2026-04-01", dry_run=True)
    errors = [line for line in json_lines(caplog) if line["level"] == "ERROR"]
    assert [e["traject_id"] for e in errors] == [t.pk]
    run = JobRun.objects.get(job="deadlines")
    assert run.status == "errors" and run.error_count == 1
    assert run.errors == [
        {
            "message": f"deadline job: trajectory {t.pk} could not be evaluated",
            "exception": "ZeroDivisionError",
            "traject_id": t.pk,
        }
    ]


def test_settings_choose_json_in_production_and_text_in_development():
    assert logging_config("json", "INFO")["handlers"]["console"]["formatter"] == "json"
    assert logging_config("text", "INFO")["handlers"]["console"]["formatter"] == "text"


def test_every_request_gets_an_id_and_one_log_line_without_the_query_string(client, coach_a, caplog):
    client.force_login(coach_a)
    caplog.set_level(logging.INFO, logger="operations.request")
    response = client.get(reverse("worklist"), {"q": "Vermeulen"})
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (line,) = [x for x in json_lines(caplog) if x["logger"] == "operations.request"]
    assert line["request_id"] == request_id and line["status"] == 200 and line["user_id"] == coach_a.pk
    assert line["message"] == "GET trajecten/ 200" and "Vermeulen" not in json.dumps(line)

    caplog.clear()
    client.get("/static/css/app.css")
    assert not [r for r in caplog.records if r.name == "operations.request"]

    kept = client.get(reverse("worklist"), HTTP_X_REQUEST_ID="proxy-abcdef123")
    assert kept["X-Request-ID"] == "proxy-abcdef123"
    replaced = client.get(reverse("worklist"), HTTP_X_REQUEST_ID="<script>")
    assert replaced["X-Request-ID"] != "<script>" and len(replaced["X-Request-ID"]) == 32


# --- health -------------------------------------------------------------------------------------------


@pytest.fixture
def heartbeats(settings):
    """A key prefix of this test only, so no real worker elsewhere counts."""
    settings.HEALTH_HEARTBEAT_KEY_PREFIX = f"test-heartbeat-{time.monotonic_ns()}:"
    yield settings
    client = health.redis_client(settings.REDIS_URL)
    for key in client.scan_iter(match=health.heartbeat_key("*")):
        client.delete(key)


def test_health_checks_database_redis_and_a_worker_heartbeat(client, heartbeats):
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fout"
    assert body["checks"]["database"] == {"status": "ok"} and body["checks"]["redis"] == {"status": "ok"}
    assert body["checks"]["celery"] == {"status": "fout", "error": "RuntimeError"}

    heartbeat.beat("worker1@test")
    response = client.get("/health/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response.json()["checks"]["celery"]["workers"] == 1

    # a heartbeat older than the maximum age does not count
    health.redis_client(heartbeats.REDIS_URL).set(
        health.heartbeat_key("worker1@test"), repr(time.time() - 3600)
    )
    assert client.get("/health/").status_code == 503
    heartbeat.clear("worker1@test")

    # a load balancer that should not take the web servers out for a worker asks for less
    only = client.get("/health/", {"check": ["database", "redis"]})
    assert only.status_code == 200 and set(only.json()["checks"]) == {"database", "redis"}


def test_health_without_redis_checks_only_the_database(client, settings):
    settings.REDIS_URL = ""
    assert client.get("/health/").json() == {"status": "ok", "checks": {"database": {"status": "ok"}}}


def test_health_says_what_failed_without_details(client, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    health.redis_client.cache_clear()
    body = client.get("/health/", {"check": ["database", "redis"]}).json()
    assert body["checks"]["redis"] == {"status": "fout", "error": "ConnectionError"}

    def down():
        raise OSError("db.example:5432 password=geheim")

    monkeypatch.setitem(health.CHECKS, "database", down)
    response = client.get("/health/", {"check": "database"})
    assert response.status_code == 503 and "geheim" not in response.content.decode()


def test_health_answers_the_load_balancer_on_any_host_without_a_session(client, settings):
    settings.HEALTH_CHECK_CELERY = False
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health/", HTTP_HOST="10.0.0.17")  # not in ALLOWED_HOSTS, plain HTTP
    assert response.status_code == 200 and "Set-Cookie" not in str(response.cookies.output())
    assert client.get("/trajecten/", HTTP_HOST="10.0.0.17").status_code == 400


# --- job runs and the status page ------------------------------------------------------------------------


def test_job_entry_points_record_their_runs(entiteit_a):
    TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=date(2026, 1, 31))
    run_deadline_job.delay("2026-04-01").get()
    refresh_year_figures.delay([2026]).get()
    runs = {r.job: r for r in JobRun.objects.all()}
    assert set(runs) == {"deadlines", "notifications", "figures"}
    deadlines = runs["deadlines"]
    assert deadlines.status == "ok" and deadlines.counts["evaluated"] == 1 and deadlines.counts["raised"] > 0
    assert deadlines.finished_at >= deadlines.started_at
    assert runs["figures"].counts == {"jaren": [2026]}


def test_a_job_that_breaks_is_recorded_as_failed(monkeypatch):
    def broken(years=None):
        raise ConnectionError("databank weg")

    monkeypatch.setattr("rapportering.services.refresh_year_figures", broken)
    with pytest.raises(ConnectionError):
        refresh_year_figures.delay()
    run = JobRun.objects.get()
    assert run.status == "failed" and run.error_count == 1
    assert run.errors == [{"message": "de taak brak af", "exception": "ConnectionError"}]


def test_the_command_records_a_manual_run_but_not_a_dry_run(entiteit_a):
    TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=date(2026, 1, 31))
    call_command("run_deadline_job", "--as-of", "2026-04-01", "--dry-run", stdout=StringIO())
    assert not JobRun.objects.exists()
    call_command("run_deadline_job", "--as-of", "2026-04-01", stdout=StringIO())
    assert JobRun.objects.get().trigger == "manueel"


@pytest.fixture
def operator(client):
    user = GebruikerFactory(
        username="beheerder", rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


def test_the_status_page_shows_the_last_run_of_each_job_and_what_is_late(operator, settings):
    settings.HEALTH_CHECK_CELERY = False
    now = timezone.now()
    ok = JobRun.objects.create(job="deadlines", status="ok", counts={"evaluated": 8499, "raised": 12})
    JobRun.objects.create(
        job="figures",
        status="errors",
        error_count=1,
        errors=[{"message": "report 3 failed", "exception": "OSError", "traject_id": 42}],
    )
    old = JobRun.objects.create(job="retention", status="ok")
    JobRun.objects.filter(pk=old.pk).update(started_at=now - timedelta(hours=30))
    JobRun.objects.filter(pk=ok.pk).update(finished_at=now)

    html = operator.get(reverse("admin:operations_jobrun_changelist")).content.decode()
    assert "Laatste uitvoering per taak" in html and "evaluated: 8499, raised: 12" in html  # sorted by name
    assert "traject 42: OSError report 3 failed" in html
    assert html.count("te laat: langer dan 26 uur niet geslaagd") == 1  # retention, not deadlines/figures
    assert "database: <strong>ok</strong>" in html
    assert operator.get(reverse("admin:operations_jobrun_change", args=[ok.pk])).status_code == 200
    assert operator.get(reverse("admin:operations_jobrun_add")).status_code == 403


def test_the_status_page_query_count_does_not_grow_with_runs(operator, settings):
    settings.HEALTH_CHECK_CELERY = False
    from django.db import connection

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert operator.get(reverse("admin:operations_jobrun_changelist")).status_code == 200
        return len(ctx.captured_queries)

    JobRun.objects.create(job="deadlines", status="ok")
    few = count()
    JobRun.objects.bulk_create(JobRun(job=j, status="ok") for j in ["deadlines", "figures", "retention"] * 40)
    assert count() == few


def test_deploy_check_requires_a_decided_retention(settings):
    from django.core.checks import run_checks

    settings.RETENTION_YEARS = None
    assert "privacy.W001" in [w.id for w in run_checks(include_deployment_checks=True)]
    settings.RETENTION_YEARS = 7
    assert "privacy.W001" not in [w.id for w in run_checks(include_deployment_checks=True)]
