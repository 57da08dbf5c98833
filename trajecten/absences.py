"""Absences from the personnel system, read next to the dossiers: who is absent 4 weeks or more without a
trajectory, whether a dossier's D0 agrees with the absence data, and the daily signal for such absences.

Set-based: one query for a list, whatever its length; the daily job updates signals in bulk.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from entiteiten.models import Gebruiker

from .models import Afwezigheid, AfwezigheidImport, Notificatie, Personeelslid, Traject
from .monitoring import record_new

FOUR_WEEKS = timedelta(days=28)  # the circular's first milestone (info arbeidsarts) falls then


def _open_traject():
    return Traject.objects.filter(
        personeelslid__entiteit_id=OuterRef("entiteit_id"),
        personeelslid__personeelsnummer=OuterRef("personeelsnummer"),
    ).exclude(status=Traject.Status.AFGESLOTEN)


def lopend(today: date) -> Q:
    """Still absent on ``today``."""
    return Q(eerste_dag__lte=today) & (Q(laatste_dag__isnull=True) | Q(laatste_dag__gte=today))


def last_judgement() -> tuple[datetime, date] | None:
    """When the last deadline run that checked the absences (``sync_signals``) started, and for which day;
    None when none did."""
    from operations.models import JobRun

    run = (
        JobRun.objects.filter(
            job=JobRun.Job.DEADLINES,
            status__in=(JobRun.Status.OK, JobRun.Status.ERRORS),
            finished_at__isnull=False,
            counts__has_key="absences_raised",
        )
        .order_by("-started_at")
        .values_list("started_at", "counts")
        .first()
    )
    return (run[0], date.fromisoformat(run[1]["as_of"])) if run else None


def zonder_traject(entiteiten: QuerySet, today: date) -> QuerySet[Afwezigheid]:
    """Staff of these entities absent 4 weeks or more on ``today`` without an open trajectory, longest first,
    with the name when the entity registered the staff member before.

    Most long-running absences do have a trajectory; checking them one by one cost a coach's worklist 43 ms
    for the largest entity at 1,000,000 trajectories. So once the deadline job has judged the absences
    (``last_judgement``), only these are checked (each still live, against the open trajectories now): those
    it signalled, those an import brought in or changed since, and those that reached four weeks after the
    day it judged. Not seen until the next run: a staff member still absent whose trajectory was closed
    since (the morning job lists them)."""
    person = Personeelslid.objects.filter(
        entiteit_id=OuterRef("entiteit_id"), personeelsnummer=OuterRef("personeelsnummer")
    )
    qs = Afwezigheid.objects.filter(entiteit__in=entiteiten, eerste_dag__lte=today - FOUR_WEEKS)
    judged = last_judgement()
    if judged is not None:
        # the candidates, each through its own index (an OR of the three would read every absence)
        started, as_of = judged
        signalled = qs.filter(gesignaleerd_op__isnull=False, signaal_opgelost_op__isnull=True)
        candidates = list(signalled.values_list("pk", flat=True))
        imports = list(AfwezigheidImport.objects.filter(klaar_op__gte=started).values_list("pk", flat=True))
        if imports:  # read since: their periods are new or changed
            candidates += qs.filter(bron__in=imports).values_list("pk", flat=True)
        if as_of < today:  # the days since the judged one: absences that reached four weeks meanwhile
            candidates += qs.filter(eerste_dag__gt=as_of - FOUR_WEEKS).values_list("pk", flat=True)
        qs = Afwezigheid.objects.filter(pk__in=candidates)
    return (
        qs.filter(lopend(today))
        .exclude(Exists(_open_traject()))
        .annotate(
            voornaam=Subquery(person.values("voornaam")[:1]),
            achternaam=Subquery(person.values("achternaam")[:1]),
        )
        .select_related("entiteit")
        .order_by("eerste_dag", "personeelsnummer")
    )


def voor_dossier(traject: Traject, today: date) -> Afwezigheid | None:
    """The absence period in the personnel system that this dossier's incapacity belongs to: the one that
    overlaps D0 up to today (None without D0 or data)."""
    if traject.d0 is None:
        return None
    return (
        Afwezigheid.objects.filter(
            entiteit_id=traject.personeelslid.entiteit_id,
            personeelsnummer=traject.personeelslid.personeelsnummer,
            eerste_dag__lte=today,
        )
        .filter(Q(laatste_dag__isnull=True) | Q(laatste_dag__gte=traject.d0))
        .order_by("eerste_dag")
        .first()
    )


def sync_signals(as_of: date) -> tuple[int, int]:
    """The daily job: raise the signal for absences of 4 weeks or more without a trajectory, resolve those
    that got a trajectory or ended. Idempotent. Returns (raised, resolved)."""
    raised = (
        Afwezigheid.objects.filter(eerste_dag__lte=as_of - FOUR_WEEKS)
        .filter(lopend(as_of))
        .exclude(Exists(_open_traject()))
        .filter(Q(gesignaleerd_op__isnull=True) | Q(signaal_opgelost_op__isnull=False))
        .update(gesignaleerd_op=as_of, signaal_opgelost_op=None)
    )
    resolved = (
        Afwezigheid.objects.filter(gesignaleerd_op__isnull=False, signaal_opgelost_op__isnull=True)
        .filter(Q(Exists(_open_traject())) | Q(laatste_dag__lt=as_of))
        .update(signaal_opgelost_op=as_of)
    )
    return raised, resolved


def record_notifications(as_of: date) -> int:
    """One message per coach of each entity with absences signalled today (HR where the entity has no
    coach): personnel numbers and dates only, with a link to the worklist."""
    today = list(
        Afwezigheid.objects.filter(gesignaleerd_op=as_of, signaal_opgelost_op__isnull=True)
        .select_related("entiteit")
        .order_by("entiteit_id", "eerste_dag")
    )
    if not today:
        return 0
    by_entity: dict[int, list[Afwezigheid]] = {}
    for a in today:
        by_entity.setdefault(a.entiteit_id, []).append(a)
    users = Gebruiker.objects.filter(
        is_active=True, entiteit_id__in=by_entity, rol__in=[Gebruiker.Rol.TERUGKEERCOACH, Gebruiker.Rol.HR]
    ).exclude(email="")
    recipients: dict[int, list[Gebruiker]] = {}
    for u in users:
        recipients.setdefault(u.entiteit_id, []).append(u)
    link = settings.SITE_URL.rstrip("/") + reverse("afwezig_zonder_traject")
    notes = []
    for entiteit_id, rows in by_entity.items():
        group = recipients.get(entiteit_id, [])
        coaches = [u for u in group if u.rol == Gebruiker.Rol.TERUGKEERCOACH]
        lines = "\n".join(
            f"- personeelsnummer {a.personeelsnummer}: afwezig sinds {a.eerste_dag:%d/%m/%Y}" for a in rows
        )
        for user in coaches or group:
            notes.append(
                Notificatie(
                    soort=Notificatie.Soort.AFWEZIG,
                    ontvanger=user,
                    sleutel=f"afwezig-{as_of.isoformat()}",
                    onderwerp=f"Re-integratie: afwezig zonder traject ({as_of:%d/%m/%Y})",
                    inhoud=(
                        "Volgens het personeelssysteem zijn deze personeelsleden van uw entiteit vier weken of "
                        f"langer afwezig, zonder re-integratietraject:\n\n{lines}\n\nRegistreer een traject via "
                        f"{link}\nDit bericht bevat geen namen.\n"
                    ),
                )
            )
    return record_new(notes)
