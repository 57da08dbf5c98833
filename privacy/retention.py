"""Retention (GDPR storage limitation): anonymise what the tool holds about a staff member once the
retention period has passed after the closing of their last trajectory.

- Who: a staff member whose every trajectory is closed, the last one more than ``RETENTION_YEARS`` years
  before the day of the run (a staff member with a trajectory still open, or closed more recently, keeps
  everything: an earlier trajectory matters for a relapse or a new one).
- What: in every model of the dossier graph (``privacy.dossier``) and in each one's history table: the
  identification (name, personnel number, function), the leidinggevende's name, every free text and every
  history change reason; also the staff member's personnel number in recorded e-mails and in uploads of
  absence periods, the personnel system's absence periods themselves (kept under ``ANON-<id>``), and the
  name shown in the admin's action log. Personnel numbers become ``ANON-<id>``, names and texts ``[geanonimiseerd]``
  (empty ones stay empty).
- What stays: every date, kind, measure, outcome, entity and link, so the yearly reports of earlier years
  give the same figures.
- How: in batches of staff members, each in one transaction that also records an ``Anonymisation``; the
  job is idempotent (done staff members are skipped) and a run that dies halfway is simply run again.
  ``dry_run`` lists who would be anonymised (ids, entity, trajectories, last closing date) and changes
  nothing. The same nightly job purges the read log after ``READ_LOG_RETENTION_DAYS``.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, Count, F, Max, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from operations.models import JobRun
from trajecten.models import Afwezigheid, AfwezigheidImport, Notificatie, Personeelslid, Traject

from .dossier import ANONIEM, graph, member_ids
from .models import Anonymisation, ReadLogEntry

log = logging.getLogger(__name__)
BATCH_SIZE = 500
JOB_RUN_RETENTION_DAYS = 400


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass
class Candidate:
    personeelslid_id: int
    entiteit: str
    trajecten: list[int]
    laatst_afgesloten_op: date


@dataclass
class RetentionResult:
    as_of: date
    cutoff: date | None
    dry_run: bool = False
    personen: int = 0
    trajecten: int = 0
    rijen: int = 0
    historiekrijen: int = 0
    notificaties: int = 0
    afwezigheden: int = 0
    beheerlog: int = 0
    leeslog_gewist: int = 0
    taakhistoriek_gewist: int = 0
    candidates: list[Candidate] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The counts (not the dry run's list), dates as text: what the job returns and records."""
        out = {k: v for k, v in asdict(self).items() if k != "candidates"}
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in out.items()}


def eligible(cutoff: date) -> QuerySet[Personeelslid]:
    """Staff members not yet anonymised whose trajectories are all closed, the last one before ``cutoff``."""
    return (
        Personeelslid.objects.filter(anonimisering__isnull=True)
        .annotate(
            open_trajecten=Count("trajecten", filter=~Q(trajecten__status=Traject.Status.AFGESLOTEN)),
            laatst_afgesloten=Max("trajecten__afgesloten_op"),
        )
        .filter(open_trajecten=0, laatst_afgesloten__lt=cutoff)
    )


def run(as_of: date | None = None, dry_run: bool = False, batch_size: int | None = None) -> RetentionResult:
    as_of = as_of or timezone.localdate()
    batch_size = batch_size or BATCH_SIZE
    years = settings.RETENTION_YEARS
    cutoff = years_before(as_of, years) if years is not None else None
    result = RetentionResult(as_of=as_of, cutoff=cutoff, dry_run=dry_run)
    if cutoff is None:
        log.warning(
            "retention: RETENTION_YEARS is not set; nothing is anonymised", extra={"job": "retention"}
        )
    else:
        last = 0
        while True:
            batch = list(
                eligible(cutoff)
                .filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "laatst_afgesloten")[:batch_size]
            )
            if not batch:
                break
            last = batch[-1][0]
            if dry_run:
                result.candidates += candidates(dict(batch))
                result.personen += len(batch)
                continue
            with transaction.atomic():
                anonymise(dict(batch), result)
        if dry_run:
            result.trajecten = sum(len(c.trajecten) for c in result.candidates)
    if not dry_run:
        purge_logs(result)
    log.info("retention: %s", result.as_dict(), extra={"job": "retention"})
    return result


def candidates(batch: dict[int, date]) -> list[Candidate]:
    out = {
        pk: Candidate(pk, "", [], closed)
        for pk, closed in sorted(batch.items())  # ids only: the dry run names nobody
    }
    rows = Traject.objects.filter(personeelslid_id__in=batch).order_by("pk")
    for person, traject, code in rows.values_list("personeelslid_id", "pk", "entiteit__code"):
        out[person].trajecten.append(traject)
        out[person].entiteit = code
    return list(out.values())


def anonymise(batch: dict[int, date], result: RetentionResult) -> None:
    """Anonymise one batch of staff members ({id: last closing date}), inside the caller's transaction."""
    ids = member_ids(batch)
    numbers = personnel_numbers(batch)
    result.afwezigheden += pseudonymise_absences(numbers)
    for node in graph():
        own = ids.get(node.model)
        if not own:
            continue
        replacements = node.replacements()
        if replacements:
            result.rijen += node.model._default_manager.filter(pk__in=own).update(**replacements)
        if node.history is not None:
            result.historiekrijen += node.history.objects.filter(id__in=own).update(
                **node.replacements(on_history=True)
            )
        result.beheerlog += (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(node.model),
                object_id__in=[str(i) for i in own],
            )
            .exclude(object_repr=ANONIEM, change_message="")
            .update(object_repr=ANONIEM, change_message="")
        )
    result.notificaties += scrub_notifications({n for ns in numbers.values() for n in ns})
    per_person = Counter(
        Traject.objects.filter(personeelslid_id__in=batch).values_list("personeelslid_id", flat=True)
    )
    Anonymisation.objects.bulk_create(
        [
            Anonymisation(personeelslid_id=pk, laatst_afgesloten_op=closed, trajecten=per_person.get(pk, 0))
            for pk, closed in batch.items()
        ],
        ignore_conflicts=True,
    )
    result.personen += len(batch)
    result.trajecten += len(ids.get(Traject, ()))
    for pk in batch:
        log.info("retention: staff member anonymised", extra={"personeelslid_id": pk, "job": "retention"})


def personnel_numbers(person_ids) -> dict[int, set[str]]:
    """Every personnel number each staff member had (a correction leaves the old one in the history)."""
    out: dict[int, set[str]] = {pk: set() for pk in person_ids}
    rows = Personeelslid.objects.filter(pk__in=person_ids).values_list("pk", "personeelsnummer")
    history = Personeelslid.history.filter(id__in=person_ids).values_list("id", "personeelsnummer").distinct()
    for pk, number in [*rows, *history]:
        if number and not number.startswith("ANON-"):
            out[pk].add(number)
    return out


def pseudonymise_absences(numbers: dict[int, set[str]]) -> int:
    """The personnel system's absence periods of these staff members keep their dates under ANON-<id>."""
    whens = [When(personeelsnummer=n, then=Value(f"ANON-{pk}")) for pk, ns in numbers.items() for n in ns]
    if not whens:
        return 0
    return Afwezigheid.objects.filter(personeelsnummer__in=[n for ns in numbers.values() for n in ns]).update(
        personeelsnummer=Case(*whens, default=F("personeelsnummer"))
    )


# Texts outside the dossier graph that name staff members by personnel number: {model: fields}.
TEXTS_WITH_NUMBERS = {
    Notificatie: ("inhoud", "onderwerp"),  # the e-mails name staff members by number only
    AfwezigheidImport: ("inhoud", "fouten"),  # an upload's text and its refused lines
}


def scrub_notifications(numbers: set[str]) -> int:
    """Replace these personnel numbers (whole words) in recorded e-mails and absence uploads."""
    if not numbers:
        return 0
    alternatives = "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True))
    pattern = re.compile(rf"(?<![0-9A-Za-z])(?:{alternatives})(?![0-9A-Za-z])")
    changed = 0
    for model, fields in TEXTS_WITH_NUMBERS.items():
        texts = {f: Cast(f, TextField()) for f in fields}
        query = Q()
        for n in numbers:
            for f in fields:
                query |= Q(**{f"_{f}__contains": n})
        rows = model.objects.annotate(**{f"_{f}": e for f, e in texts.items()}).filter(query)
        updated = []
        for obj in rows.only("pk", *fields):
            for f in fields:
                value = getattr(obj, f)
                if isinstance(value, str):
                    setattr(obj, f, pattern.sub(ANONIEM, value))
                else:  # JSON: replaced in its text (the placeholder holds no quote)
                    setattr(obj, f, json.loads(pattern.sub(ANONIEM, json.dumps(value, ensure_ascii=False))))
            updated.append(obj)
        model.objects.bulk_update(updated, list(fields))
        changed += len(updated)
    return changed


def purge_logs(result: RetentionResult) -> None:
    now = timezone.now()
    result.leeslog_gewist = ReadLogEntry.objects.filter(
        tijdstip__lt=now - timedelta(days=settings.READ_LOG_RETENTION_DAYS)
    ).delete()[0]
    result.taakhistoriek_gewist = JobRun.objects.filter(
        started_at__lt=now - timedelta(days=JOB_RUN_RETENTION_DAYS)
    ).delete()[0]
