"""A real Celery worker: its heartbeat makes /health/ healthy, its stop makes it unhealthy, and its log lines
are JSON with the task id as request id."""

import json
import time
import uuid

import pytest

from operations import health
from reintegratie.celery import app
from tests.workers import start_worker, stop_worker
from trajecten.tasks import run_deadline_job

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_worker_heartbeat_and_json_logs(client, settings_prefix):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    proc = start_worker(
        queue,
        "-l",
        "info",
        "-n",
        f"{queue}@test",
        HEALTH_HEARTBEAT_KEY_PREFIX=settings_prefix,
        HEALTH_HEARTBEAT_INTERVAL="0.5",
        DJANGO_LOG_FORMAT="json",
    )
    old = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        assert wait_for(lambda: client.get("/health/").status_code == 200), "no heartbeat from the worker"
        time.sleep(2.5)  # the heartbeat repeats (every 0.5 s here), not only at start
        celery = client.get("/health/").json()["checks"]["celery"]
        assert celery["workers"] == 1 and celery["last_heartbeat_seconds"] <= 1

        result = run_deadline_job.apply_async(args=["2026-04-01", True], queue=queue)
        assert result.get(timeout=60)["dry_run"] is True
    finally:
        app.conf.task_always_eager = old
        out = stop_worker(proc)  # warm shutdown: the worker removes its heartbeat
    assert client.get("/health/").status_code == 503  # no worker left, at once
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    job_lines = [x for x in lines if x["logger"] == "operations.jobs"]
    assert job_lines and job_lines[0]["request_id"] == result.id and job_lines[0]["job"] == "deadlines"


@pytest.fixture
def settings_prefix(settings):
    prefix = f"test-worker-heartbeat-{uuid.uuid4().hex[:8]}:"
    settings.HEALTH_HEARTBEAT_KEY_PREFIX = prefix
    settings.HEALTH_HEARTBEAT_MAX_AGE = 5
    yield prefix
    redis = health.redis_client(settings.REDIS_URL)
    for key in redis.scan_iter(match=f"{prefix}*"):
        redis.delete(key)
