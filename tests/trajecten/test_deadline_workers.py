"""The deadline job over two real Celery workers on the real Redis broker, one of them killed (SIGKILL) in the
middle of a batch: every open trajectory is evaluated once, no signal or mail is lost or doubled.

Deterministic: worker A gets the environment ``DEADLINE_BATCH_STALL``, so the first batch it takes waits,
uncommitted, until it is killed; worker B starts once A holds that batch, does the other batches, and takes
A's batch over when the broker gives it back (visibility timeout of a few seconds here).
"""

import os
import signal
import time
import uuid
from datetime import date

import pytest
from django.conf import settings

from entiteiten.models import Gebruiker
from operations.models import JobBatch, JobRun
from reintegratie.celery import app
from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory
from tests.reintegratie.test_mail_smtp import Inbox, SmtpServer
from tests.workers import start_worker, stop_worker
from trajecten import models as m
from trajecten.evaluation import apply_summary, evaluate_traject, with_rule_data
from trajecten.monitoring import desired_signals
from trajecten.tasks import run_deadline_job

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
AS_OF = "2026-06-02"
BATCH = 4


def wait_for(predicate, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {timeout} s for: {what}")


@pytest.fixture
def smtp():
    inbox = Inbox()
    server = SmtpServer(inbox, hostname="127.0.0.1", port=0)
    server.start()
    yield server, inbox.messages
    server.stop()


@pytest.fixture
def dossiers(entiteit_a):
    coaches = [
        GebruikerFactory(
            username=f"coach.{i}",
            email=f"coach{i}@example.be",
            rol=Gebruiker.Rol.TERUGKEERCOACH,
            entiteit=entiteit_a,
        )
        for i in range(3)
    ]
    GebruikerFactory(username="hr.k", email="hr.k@example.be", rol=Gebruiker.Rol.HR, entiteit=entiteit_a)
    trajecten = [
        TrajectFactory(
            personeelslid=PersoneelslidFactory(entiteit=entiteit_a),
            d0=date(2025, 9, 1) + (date(2026, 5, 30) - date(2025, 9, 1)) * i / 23,
            coach=coaches[i % 4] if i % 4 < 3 else None,  # every fourth without coach: HR's digest
        )
        for i in range(24)
    ]
    closed = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=date(2025, 1, 6))
    m.Traject.objects.filter(pk=closed.pk).update(
        status="afgesloten", afgesloten_op=date(2025, 3, 1), uitkomst="zelfde_functie"
    )
    return trajecten


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(dossiers, smtp):
    server, mails = smtp
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        "DEADLINE_BATCH_SIZE": str(BATCH),
        "DEADLINE_WORKER_PROCESSES": "2",  # 24 in 6 batches of 4, whatever the CPUs
        "CELERY_VISIBILITY_TIMEOUT": "3",  # a dead worker's batch is back in the queue after 3 s
        "CELERY_UNACKED_RESTORE_INTERVAL": "0.5",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(server.port),
        "EMAIL_USE_TLS": "0",
    }
    host_a, host_b = f"a-{queue}@test", f"b-{queue}@test"
    a = start_worker(
        queue, "--without-heartbeat", "-l", "warning", "-n", host_a, DEADLINE_BATCH_STALL="600", **env
    )
    b = None
    old = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        started = run_deadline_job.apply_async(args=[AS_OF], queue=queue).get(timeout=90)
        assert started["batches"] == 6  # 24 open trajectories in batches of 4 (the closed one is not)
        held = wait_for(
            lambda: JobBatch.objects.filter(worker=host_a, status="running").first(), "A holds a batch"
        )
        b = start_worker(queue, "--without-heartbeat", "-l", "warning", "-n", host_b, **env)
        wait_for(lambda: JobBatch.objects.filter(worker=host_b, status="done").exists(), "B does a batch")
        assert held.number == 1 and not m.Signaal.objects.filter(traject_id__lte=held.up_to).exists()

        os.kill(a.pid, signal.SIGKILL)  # in the middle of its batch: signals written, not committed
        a.wait(timeout=10)
        run = wait_for(
            lambda: JobRun.objects.filter(pk=started["run"], finished_at__isnull=False).first(),
            "the run ends",
        )
        wait_for(
            lambda: (
                m.Notificatie.objects.exists()
                and not m.Notificatie.objects.filter(verzonden_op__isnull=True).exists()
            ),
            "every mail sent",
        )
        time.sleep(1)  # a mail sent twice would arrive now
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = old
        if a.poll() is None:
            a.kill()
        a.communicate()
        print(stop_worker(b)[-3000:] if b else "")

    # the killed batch was done again, by B, once; every batch once
    held.refresh_from_db()
    assert (held.status, held.worker, held.attempts) == ("done", host_b, 2)
    batches = list(run.batches.all())
    assert [x.status for x in batches] == ["done"] * 6
    assert {x.worker for x in batches} == {host_b}  # A committed nothing
    assert [x.counts["evaluated"] for x in batches] == [BATCH] * 6
    assert (run.status, run.counts["evaluated"], run.counts["batches"], run.error_count) == ("ok", 24, 6, 0)

    # every trajectory evaluated: its stored summary and its open signals are what the rules say
    expected = set()
    for t in with_rule_data(m.Traject.objects.filter(pk__in=[t.pk for t in dossiers])):
        assert not apply_summary(t, date.fromisoformat(AS_OF)), f"summary of trajectory {t.pk}"
        expected |= {(t.pk, *key) for key in desired_signals(evaluate_traject(t, date.fromisoformat(AS_OF)))}
    signals = list(
        m.Signaal.objects.values_list("traject_id", "soort", "mijlpaal", "vervaldatum", "opgelost_op")
    )
    assert len(expected) > 24 and sorted(signals) == sorted((*key, None) for key in expected)
    assert run.counts["raised"] == len(expected)

    # the notifications: recorded once, each mail received once
    notes = list(m.Notificatie.objects.select_related("ontvanger"))
    assert len(notes) == run.counts["notifications_recorded"] == 4  # 3 coaches and HR (without coach)
    assert all(n.pogingen == 1 for n in notes)
    received = sorted((r["rcpt_tos"][0], r["message"]["Subject"]) for r in mails)
    assert received == sorted((n.ontvanger.email, n.onderwerp) for n in notes)
    assert settings.CELERY_BROKER_URL.startswith("redis://")
