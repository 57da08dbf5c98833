"""End to end: the deadline task goes through the real Redis broker to a real Celery worker process."""

import time
import uuid
from datetime import date

import pytest
from django.conf import settings

from operations.models import JobRun
from reintegratie.celery import app
from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory
from tests.workers import start_worker, stop_worker
from trajecten import models as m
from trajecten.tasks import run_deadline_job

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_queue():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    proc = start_worker(queue, "--without-heartbeat", "-l", "warning")
    old = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = old
        print(stop_worker(proc)[-3000:])


def finished_run(started: dict, timeout=90) -> JobRun:
    """The run the start task recorded, once its batches and its end are done (by the worker)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = JobRun.objects.get(pk=started["run"])
        if run.finished_at is not None:
            return run
        time.sleep(0.3)
    raise AssertionError(f"run {started['run']} did not finish in {timeout} s")


def test_job_runs_in_a_real_worker(entiteit_a, worker_queue):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    coach = GebruikerFactory(username="coach.w", email="coach.w@example.be", entiteit=entiteit_a)
    t = TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=date(2026, 1, 31), coach=coach
    )

    started = run_deadline_job.apply_async(args=["2026-04-01"], queue=worker_queue).get(timeout=90)
    assert started["batches"] == 1  # the start task records the run and sends its batches
    summary = finished_run(started).counts
    assert summary["evaluated"] == 1 and summary["raised"] > 0 and summary["notifications_recorded"] == 1
    assert m.Signaal.objects.filter(traject=t, soort="te_laat", mijlpaal="gesprek_2_maanden").exists()

    # the worker then sends the digest through the chained send_notifications task
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if m.Notificatie.objects.filter(verzonden_op__isnull=False).exists():
            break
        time.sleep(0.5)
    note = m.Notificatie.objects.get()
    assert note.verzonden_op is not None and note.pogingen == 1

    # run again through the worker: nothing new, nothing sent twice
    again = run_deadline_job.apply_async(args=["2026-04-01"], queue=worker_queue).get(timeout=90)
    again = finished_run(again).counts
    assert (again["evaluated"], again["raised"], again["notifications_recorded"]) == (1, 0, 0)
    assert m.Notificatie.objects.count() == 1
