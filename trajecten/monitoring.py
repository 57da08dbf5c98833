"""The deadline job: evaluate every open trajectory, keep its signals in step, record and send notifications.

- Batches of trajectories by primary key: memory stays bounded at any scale. The nightly job spreads the
  batches over the Celery workers (trajecten.jobs); ``run`` does them one after the other in this process
  (the command, tests, benchmarks).
- Set-based: a batch's rule facts are read as plain rows (trajecten.evaluation.dossiers, 9 queries), its
  open signals in one more; each trajectory is evaluated ONCE, for its signals and its stored summary;
  then one bulk insert, one bulk resolve and one bulk summary update, of what changed only.
- Idempotent: desired signals are compared with the open ones; running twice on a day changes nothing.
  A run that dies halfway is simply run again.
- An error in one trajectory is logged and counted; the others go on.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.db.models.functions import Mod
from django.urls import reverse
from django.utils import timezone

from entiteiten.models import Gebruiker
from reintegratie.memory import collector_paused

from . import deadlines as dl
from .evaluation import (
    SUMMARY_FIELDS,
    among,
    dossier_batches,
    dossiers,
    insert_new,
    store_summaries,
    summary_values,
)
from .facts import Dossier, facts_from
from .labels import MIJLPALEN
from .models import Notificatie, Signaal, Traject

log = logging.getLogger(__name__)

BATCH_SIZE = 2000
SignalKey = tuple[str, str, date]  # (soort, mijlpaal, vervaldatum)
SIGNAL_FIELDS = ("traject", "soort", "mijlpaal", "vervaldatum", "opgemerkt_op")  # what a new signal holds


def desired_signals(ev: dl.Evaluation) -> set[SignalKey]:
    """The signals one evaluation calls for: from the current milestones only (an earlier period of
    incapacity is history), and a formal trajectory's obligation or warning once it is in force."""
    if ev.closed:
        return set()
    out: set[SignalKey] = set()
    current = {}
    for m in ev.current_milestones:
        if m.advisory:
            continue
        current.setdefault(m.code, m)
        if m.state == dl.MISSED:
            out.add((Signaal.Soort.TE_LAAT, m.code, m.due))
        elif m.state == dl.DUE:
            out.add((Signaal.Soort.BINNENKORT, m.code, m.due))
    for code in ev.formal_mandatory_reasons:
        out.add((Signaal.Soort.FORMEEL_VERPLICHT, code, current[code].due))
    for code in ev.formal_warning_reasons:
        out.add((Signaal.Soort.FORMEEL_WAARSCHUWING, code, current[code].due))
    return out


COUNTS = ("evaluated", "raised", "resolved", "errors", "summaries_changed", "notifications_recorded")


@dataclass
class JobResult:
    as_of: date
    dry_run: bool = False
    evaluated: int = 0
    raised: int = 0
    resolved: int = 0
    errors: int = 0
    summaries_changed: int = 0
    notifications_recorded: int = 0
    raised_signals: list[tuple[int, SignalKey]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "dry_run": self.dry_run} | self.counts()

    def counts(self) -> dict:
        return {name: getattr(self, name) for name in COUNTS}


def sync_batch(
    batch: list[Dossier], as_of: date, result: JobResult, raise_new: bool | frozenset[str] = True
) -> None:
    """Bring the signals and summaries of one batch of dossiers (trajecten.evaluation.dossiers) in step with
    the rules. Each trajectory is evaluated once; only what changed is written.

    ``raise_new``: True raises every missing signal (the nightly job); a set raises only those kinds
    (after a single dossier change); False only resolves.
    """
    if not batch:
        return
    open_signals: dict[int, dict[SignalKey, int]] = {d.traject.pk: {} for d in batch}
    signals = among(Signaal.objects.filter(opgelost_op__isnull=True), "traject_id", sorted(open_signals))
    for pk, traject_id, *key in signals.values_list("pk", "traject_id", "soort", "mijlpaal", "vervaldatum"):
        if traject_id in open_signals:  # (by range, elsewhere than PostgreSQL: closed ones' too)
            open_signals[traject_id][tuple(key)] = pk
    mandatory_from = settings.FORMEEL_VERPLICHT_VANAF
    new: list[tuple] = []
    resolve: list[int] = []
    dirty: list[Traject] = []
    for d in batch:
        t = d.traject
        try:
            facts = facts_from(d)
            ev = dl.evaluate(facts, as_of, mandatory_from=mandatory_from)
            wanted = desired_signals(ev)
            summary = summary_values(dl.summary_of(facts, ev, mandatory_from=mandatory_from))
        except Exception:
            log.exception(
                "deadline job: trajectory %s could not be evaluated", t.pk, extra={"traject_id": t.pk}
            )
            result.errors += 1
            continue
        result.evaluated += 1
        if summary != t.summary:
            dirty.append(Traject(pk=t.pk, **dict(zip(SUMMARY_FIELDS, summary, strict=True))))
        existing = open_signals[t.pk]
        for key in sorted(wanted - existing.keys()) if raise_new else ():
            if raise_new is not True and key[0] not in raise_new:
                continue
            new.append((t.pk, *key, as_of))  # SIGNAL_FIELDS
            result.raised_signals.append((t.pk, key))
        if existing:
            resolve += [pk for key, pk in existing.items() if key not in wanted]
    result.raised += len(new)
    result.resolved += len(resolve)
    result.summaries_changed += len(dirty)
    if result.dry_run:
        return
    with transaction.atomic():
        insert_new(Signaal, SIGNAL_FIELDS, new)
        if resolve:
            Signaal.objects.filter(pk__in=resolve).update(opgelost_op=as_of)
        store_summaries(dirty)


def open_trajecten() -> QuerySet[Traject]:
    return Traject.objects.exclude(status=Traject.Status.AFGESLOTEN)


def run_range(after: int, up_to: int | None, as_of: date, result: JobResult) -> None:
    """One batch of the nightly job: the open trajectories with ``after < pk <= up_to`` (None: no end)."""
    qs = open_trajecten().filter(pk__gt=after)
    if up_to is not None:
        qs = qs.filter(pk__lte=up_to)
    with collector_paused():  # a batch's thousands of small objects hold no cycles (reintegratie.memory)
        sync_batch(dossiers(qs), as_of, result)


def finish(as_of: date, result: JobResult, notify: bool = True) -> None:
    """After every batch: what was still open for closed trajectories is resolved (they raise nothing), and
    the day's notifications are recorded (once: unique keys)."""
    result.resolved += Signaal.objects.filter(
        opgelost_op__isnull=True, traject__status=Traject.Status.AFGESLOTEN
    ).update(opgelost_op=as_of)
    if notify:
        result.notifications_recorded += record_notifications(as_of)


def run(
    as_of: date | None = None, dry_run: bool = False, batch_size: int = BATCH_SIZE, notify: bool = True
) -> JobResult:
    """The whole job in this process, batch after batch (keyset pagination on the primary key)."""
    as_of = as_of or timezone.localdate()
    result = JobResult(as_of=as_of, dry_run=dry_run)
    for batch in dossier_batches(open_trajecten(), batch_size):
        sync_batch(batch, as_of, result)
    if not dry_run:
        finish(as_of, result, notify)
    log.info("deadline job: %s", result.as_dict())
    return result


def sync_one(traject_id: int, as_of: date) -> None:
    """After a change to one dossier, in the same transaction: its summary is refreshed, the signals it meets
    resolve, and the missed or due terms a correction reveals (a date moved past a term) are raised. The
    formal-trajectory signals stay the nightly job's, which records HR's message with them."""
    batch = dossiers(Traject.objects.filter(pk=traject_id))
    if batch:
        kinds = frozenset({Signaal.Soort.TE_LAAT, Signaal.Soort.BINNENKORT})
        sync_batch(batch, as_of, JobResult(as_of=as_of), raise_new=kinds)
        if batch[0].traject.afgesloten_op is not None:  # closed (a database constraint: status afgesloten)
            Signaal.objects.filter(traject_id=traject_id, opgelost_op__isnull=True).update(opgelost_op=as_of)


# --- notifications ----------------------------------------------------------------------------------


def _link(traject_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("dossier", args=[traject_id])


SENTINEL = 918273645546372819


class RaisedSignal(NamedTuple):
    """A signal raised today, with what its e-mail line names (read as a row: thousands on the first day)."""

    pk: int
    soort: str
    mijlpaal: str
    vervaldatum: date
    traject_id: int
    coach_id: int | None
    entiteit_id: int
    personeelsnummer: str


_WHAT = {
    Signaal.Soort.TE_LAAT.value: "termijn overschreden",
    Signaal.Soort.BINNENKORT.value: "termijn verstrijkt binnenkort",
    Signaal.Soort.FORMEEL_VERPLICHT.value: "FORMEEL TRAJECT VERPLICHT",
    Signaal.Soort.FORMEEL_WAARSCHUWING.value: "formeel traject zou verplicht zijn (nog niet van kracht)",
}


def _line(s: RaisedSignal, link: str, labels: dict[str, str]) -> str:
    """One signal's line; ``labels``: the milestones' names, translated once for all lines."""
    return (
        f"- personeelsnummer {s.personeelsnummer}: {labels.get(s.mijlpaal, s.mijlpaal)} – {_WHAT[s.soort]} "
        f"(uiterlijk {s.vervaldatum:%d/%m/%Y})\n  {link}"
    )


def record_notifications(as_of: date) -> int:
    """Record (once) today's digests and HR messages. Contents name staff members by number only."""
    raised = [
        RaisedSignal._make(row)
        for row in Signaal.objects.filter(opgemerkt_op=as_of, opgelost_op__isnull=True)
        .order_by("traject__coach_id", "vervaldatum", "traject_id")
        .values_list(
            "pk",
            "soort",
            "mijlpaal",
            "vervaldatum",
            "traject_id",
            "traject__coach_id",
            "traject__entiteit_id",
            "traject__personeelslid__personeelsnummer",
        )
    ]
    if not raised:
        return 0
    entiteit_ids = {s.entiteit_id for s in raised}
    hr_by_entity: dict[int, list[Gebruiker]] = {}
    for u in Gebruiker.objects.filter(rol=Gebruiker.Rol.HR, is_active=True, entiteit_id__in=entiteit_ids):
        hr_by_entity.setdefault(u.entiteit_id, []).append(u)
    coaches = Gebruiker.objects.in_bulk({s.coach_id for s in raised if s.coach_id})
    # one reverse() for all lines: the dossier's path differs only by its id
    link = settings.SITE_URL.rstrip("/") + reverse("dossier", args=[SENTINEL]).replace(str(SENTINEL), "{}")
    lines: dict[int, str] = {}
    labels = {code: str(label) for code, label in MIJLPALEN.items()}

    def line(s: RaisedSignal) -> str:
        if s.pk not in lines:
            lines[s.pk] = _line(s, link.format(s.traject_id), labels)
        return lines[s.pk]

    # A run again on the same day (after a failure) records nothing twice (the unique key); the digests
    # recorded already are not written out again only to be skipped.
    digested = set(
        Notificatie.objects.filter(soort=Notificatie.Soort.DIGEST, sleutel=as_of.isoformat()).values_list(
            "ontvanger_id", flat=True
        )
    )
    noted = set(
        Notificatie.objects.filter(
            soort=Notificatie.Soort.FORMEEL_VERPLICHT,
            sleutel__in=[f"signaal-{s.pk}" for s in raised if s.soort == Signaal.Soort.FORMEEL_VERPLICHT],
        ).values_list("ontvanger_id", "sleutel")
    )
    digests: dict[int, list[RaisedSignal]] = {}
    recipients: dict[int, Gebruiker] = {}
    notes: list[Notificatie] = []
    for s in raised:
        # Trajectories without a coach: HR of the entity follows them up and gets the digest.
        for user in [coaches[s.coach_id]] if s.coach_id else hr_by_entity.get(s.entiteit_id, []):
            if user.is_active and user.email and user.pk not in digested:
                digests.setdefault(user.pk, []).append(s)
                recipients[user.pk] = user
        if s.soort == Signaal.Soort.FORMEEL_VERPLICHT:
            for hr in hr_by_entity.get(s.entiteit_id, []):
                if hr.email and (hr.pk, f"signaal-{s.pk}") not in noted:
                    notes.append(
                        Notificatie(
                            soort=Notificatie.Soort.FORMEEL_VERPLICHT,
                            ontvanger=hr,
                            sleutel=f"signaal-{s.pk}",
                            onderwerp="Re-integratie: een formeel traject is verplicht",
                            inhoud=(
                                "Voor een traject van uw entiteit is een formeel re-integratietraject verplicht "
                                "geworden (omzendbrief re-integratie, punt 4.3).\n\n" + line(s) + "\n"
                            ),
                        )
                    )
    for user_id, signals in digests.items():
        body = "\n".join(line(s) for s in signals)
        notes.append(
            Notificatie(
                soort=Notificatie.Soort.DIGEST,
                ontvanger=recipients[user_id],
                sleutel=as_of.isoformat(),
                onderwerp=f"Re-integratie: overzicht van {as_of:%d/%m/%Y}",
                inhoud=(
                    f"Goedemorgen,\n\nDit is wat op {as_of:%d/%m/%Y} dringend of te laat werd in uw trajecten:\n\n"
                    f"{body}\n\nDit bericht bevat geen namen; open het dossier via de link.\n"
                ),
            )
        )
    return record_new(notes)


NOTE_FIELDS = (
    "soort",
    "ontvanger",
    "sleutel",
    "onderwerp",
    "inhoud",
    "aangemaakt_op",
    "pogingen",
    "laatste_fout",
)


def record_new(notes: list[Notificatie]) -> int:
    """Record the notifications not recorded before (their unique key: kind, recipient, key, so a run again
    records nothing twice); how many are new. One set-based insert that counts what it inserted: counting
    the table before and after read every notification ever recorded, twice in each run."""
    now = timezone.now()
    return insert_new(
        Notificatie,
        NOTE_FIELDS,
        [(n.soort, n.ontvanger_id, n.sleutel, n.onderwerp, n.inhoud, now, 0, "") for n in notes],
    )


def deliver(mail, subject: str, body: str, to: str) -> None:
    """Hand one mail to the mail server over ``mail`` (a mail connection); raises when it was not taken."""
    mail.open()  # (again, after a failure closed it; a no-op while open)
    if mail.send_messages([EmailMessage(subject, body, None, [to], connection=mail)]) != 1:
        raise OSError("de mailserver nam het bericht niet aan")


def send_pending(limit: int = 10_000, part: int = 0, parts: int = 1) -> tuple[int, int]:
    """Send every recorded, unsent notification once (at most ``limit``); returns (sent, failed). With
    ``parts`` senders side by side, this one takes the mails whose id modulo ``parts`` is ``part``: each mail
    is tried by one sender per round (a mail server that is down is not asked twice).

    Safe to run concurrently: a mail is sent under its row's lock (``FOR UPDATE SKIP LOCKED``, so two
    senders never take the same one), and marked sent in that same short transaction right after the mail
    server took it: a worker that dies while sending leaves at most that one mail unmarked (sent again
    later), never a whole batch. What to send is read per 500 in one query; all mails go over one
    connection to the mail server (one TLS handshake, not one per mail), opened again after a failure.

    On PostgreSQL those small commits do not wait until the database server has written them to disk
    (``synchronous_commit`` off for this connection while it sends, reset after): a crash of the database
    server itself can lose the marks of its last fraction of a second, and those mails are sent again, as
    when a worker dies; nothing else is at stake. Waiting for the disk was a quarter of the mails' time
    (the first deadline run at 100,000 trajectories: 453 mails on two senders, 280 -> 200 ms).
    """
    sent = failed = 0
    last = 0
    table = connection.ops.quote_name(Notificatie._meta.db_table)
    attempts = settings.NOTIFICATION_MAX_ATTEMPTS
    claim = f"SELECT 1 FROM {table} WHERE id = %s AND verzonden_op IS NULL AND pogingen < %s"  # noqa: S608 - quoted table name
    if connection.features.has_select_for_update_skip_locked:  # (not SQLite: one writer at a time there)
        claim += " FOR UPDATE SKIP LOCKED"
    done = f"UPDATE {table} SET pogingen = pogingen + 1, verzonden_op = %s, laatste_fout = %s WHERE id = %s"  # noqa: S608
    mail = get_connection()
    quick = connection.vendor == "postgresql"
    if quick:  # see above: the marks do not wait for the disk
        with connection.cursor() as cur:
            cur.execute("SET synchronous_commit TO OFF")
    try:
        while sent + failed < limit:
            pending = Notificatie.objects.filter(
                pk__gt=last, verzonden_op__isnull=True, pogingen__lt=attempts
            )
            if parts > 1:
                pending = pending.alias(share=Mod("pk", parts)).filter(share=part)
            todo = list(
                pending.order_by("pk").values_list("pk", "onderwerp", "inhoud", "ontvanger__email")[
                    : min(500, limit - sent - failed)
                ]
            )
            if not todo:
                break
            for pk, subject, body, to in todo:
                last = pk
                with transaction.atomic(), connection.cursor() as cur:
                    cur.execute(claim, [pk, attempts])
                    if cur.fetchone() is None:  # sent meanwhile, or being sent by another worker
                        continue
                    try:
                        deliver(mail, subject, body, to)
                    except Exception as exc:  # noqa: BLE001 - any transport error: keep it for a retry
                        log.warning("notification %s not sent: %s", pk, exc)
                        mail.close()
                        cur.execute(done, [None, str(exc)[:1000], pk])
                        failed += 1
                    else:
                        cur.execute(done, [datetime.now(tz=timezone.get_current_timezone()), "", pk])
                        sent += 1
    finally:
        mail.close()
        if quick:  # the connection as it was, for the worker's next task (a broken one is closed anyway)
            with suppress(DatabaseError), connection.cursor() as cur:
                cur.execute("RESET synchronous_commit")
    return sent, failed
