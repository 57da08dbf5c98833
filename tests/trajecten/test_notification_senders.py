"""Senders side by side (the deadline run's end starts NOTIFICATION_SENDERS of them, each with its share of
the mails), each on its own database connection, as two worker processes would: every mail is sent exactly
once. Two senders of the same mails (a retry overlapping a sender) share them row by row."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection

from tests.factories import NotificatieFactory
from trajecten import models as m
from trajecten import monitoring

pytestmark = pytest.mark.django_db(transaction=True)


def send_side_by_side(monkeypatch, shares: dict[str, tuple[int, int]]) -> tuple[dict, dict]:
    """Run ``send_pending`` in one thread per share (name: (part, parts)); (results, sender of each body)."""
    deliver = monitoring.deliver
    senders: dict[str, str] = {}

    def slow_deliver(conn, subject, body, to):  # a mail server that takes a few milliseconds per mail
        time.sleep(0.005)
        deliver(conn, subject, body, to)
        senders[body] = threading.current_thread().name

    monkeypatch.setattr(monitoring, "deliver", slow_deliver)
    results = {}

    def send(name):
        try:
            part, parts = shares[name]
            results[name] = monitoring.send_pending(part=part, parts=parts)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=send, args=(name,), name=name) for name in shares]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, senders


@pytest.mark.parametrize(
    "shares", [{"a": (0, 2), "b": (1, 2)}, {"a": (0, 1), "b": (0, 1)}], ids=["two shares", "the same mails"]
)
def test_two_senders_side_by_side_send_each_mail_once(monkeypatch, shares):
    notes = NotificatieFactory.create_batch(40)
    results, senders = send_side_by_side(monkeypatch, shares)
    bodies = [msg.body for msg in mail.outbox]
    assert sorted(bodies) == sorted(n.inhoud for n in notes)  # every mail, none twice
    assert results["a"][0] + results["b"][0] == 40 and results["a"][1] == results["b"][1] == 0
    assert set(senders.values()) == {"a", "b"}  # shared out, not one sender doing all
    assert m.Notificatie.objects.filter(verzonden_op__isnull=False, pogingen=1).count() == 40


def test_the_run_end_starts_the_configured_number_of_senders(settings, monkeypatch):
    from trajecten import tasks

    started = []
    monkeypatch.setattr(tasks.jobs, "finish", lambda run_id: True)
    monkeypatch.setattr(tasks.send_notifications, "delay", lambda *share: started.append(share))
    settings.NOTIFICATION_SENDERS = 3
    tasks.finish_deadline_run(1)
    assert started == [(0, 3), (1, 3), (2, 3)]


def test_a_sender_marks_without_waiting_for_the_disk_and_leaves_its_connection_as_it_was(monkeypatch):
    """The marks' commits do not wait for the disk (synchronous_commit off while sending); after sending, and
    after a mail server that failed, the connection's next transactions wait again."""
    NotificatieFactory.create_batch(2)
    seen = []
    deliver = monitoring.deliver

    def deliver_and_look(conn, subject, body, to):
        with connection.cursor() as cur:
            cur.execute("SHOW synchronous_commit")
            seen.append(cur.fetchone()[0])
        if len(seen) == 2:
            raise OSError("mailserver weg")
        deliver(conn, subject, body, to)

    monkeypatch.setattr(monitoring, "deliver", deliver_and_look)
    assert monitoring.send_pending() == (1, 1)
    assert seen == ["off", "off"]
    with connection.cursor() as cur:
        cur.execute("SHOW synchronous_commit")
        assert cur.fetchone()[0] == "on"
