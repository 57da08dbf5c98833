"""Who sees and does what, in one place for the whole tool (README, "Who sees what").

Every view, filter, form choice, export and download of both apps asks this module: querysets of what a
user may see (``zichtbare_trajecten``, ``zichtbare_entiteiten``, ``zichtbare_rapporten``) and role checks
(``mag_registreren``, ``mag_rapport_aanvragen``, ...). A dossier a user may not see does not exist for them
(404, never 403); a user without a role sees only a message to contact the operator.

- Terugkeercoach: the dossiers of the own entity (a team: colleagues' dossiers too), and entity-crossing
  ones in which the entity takes part, once AgO recorded it as the target entity.
- HR: the dashboards and EOC reports of the own entity; a named dossier only where HR is its case manager
  (no coach assigned: HR follows it up) or where the staff member consented to HR's involvement (a
  registered welzijnsactor "HR" with a consent date, not withdrawn).
- AgO: every entity; the intake of entity-crossing trajectories; the HOC and every EOC report.
- Beheerder (operator): users and entities in /beheer/; no dossiers, no reports, no registration.
  A superuser is not AgO.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from entiteiten.models import Entiteit, Gebruiker

COACH = Gebruiker.Rol.TERUGKEERCOACH
HR = Gebruiker.Rol.HR
AGO = Gebruiker.Rol.AGO
BEHEERDER = Gebruiker.Rol.BEHEERDER


def rol(user) -> str | None:
    """The role the tool grants this user, or None (anonymous, inactive, no role, operator)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.rol == AGO:
        return AGO
    if user.rol in (COACH, HR) and user.entiteit_id:
        return user.rol
    return None


def heeft_toegang(user) -> bool:
    """May use the coach workspace and reports at all."""
    return rol(user) is not None


# --- dossiers ------------------------------------------------------------------------------------------


def hr_toestemming(today: date | None = None) -> Exists:
    """The staff member consented to HR's involvement: a welzijnsactor HR with consent, not withdrawn."""
    from trajecten.models import Betrokkenheid

    today = today or timezone.localdate()
    return Exists(
        Betrokkenheid.objects.filter(
            traject=OuterRef("pk"),
            actor=Betrokkenheid.Actor.HR,
            toestemming_op__isnull=False,
            toestemming_op__lte=today,
        ).filter(Q(toestemming_ingetrokken_op__isnull=True) | Q(toestemming_ingetrokken_op__gt=today))
    )


def zichtbare_trajecten(user, today: date | None = None) -> QuerySet:
    from trajecten.models import Traject

    qs = Traject.objects.all()
    r = rol(user)
    if r is None:
        return qs.none()
    if r == AGO:
        return qs
    # The own entity's trajectories, and entity-crossing ones of which AgO made it the target entity.
    eigen = Q(entiteit_id=user.entiteit_id) | Q(doel_entiteit_id=user.entiteit_id)
    if r == COACH:
        return qs.filter(eigen)
    return qs.filter(eigen).filter(Q(coach__isnull=True) | hr_toestemming(today))


def traject_or_404(user, pk, queryset: QuerySet | None = None):
    from trajecten.models import Traject

    qs = queryset if queryset is not None else Traject.objects.all()
    return get_object_or_404(qs & zichtbare_trajecten(user), pk=pk)


def mag_registreren(user) -> bool:
    """Coaches, HR (as case manager where the entity has no coach yet, or beside them) and AgO."""
    return rol(user) in (COACH, HR, AGO)


def registratie_entiteiten(user) -> QuerySet[Entiteit]:
    """The entities this user may register a trajectory for."""
    r = rol(user)
    if r == AGO:
        return Entiteit.objects.filter(actief=True)
    if r in (COACH, HR):
        return Entiteit.objects.filter(pk=user.entiteit_id)
    return Entiteit.objects.none()


def coaches(user) -> QuerySet[Gebruiker]:
    """The coaches a user may choose (worklist filter, registration, core data)."""
    qs = Gebruiker.objects.filter(rol=COACH, is_active=True).order_by("last_name", "first_name")
    r = rol(user)
    if r == AGO:
        return qs
    if r in (COACH, HR):
        return qs.filter(entiteit_id=user.entiteit_id)
    return qs.none()


def mag_aanmelden_bij_ago(user, traject) -> bool:
    """Ask AgO for an entity-crossing trajectory: the own entity's coach, HR as case manager, or AgO."""
    r = rol(user)
    if r == AGO:
        return True
    if traject.entiteit_id != user.entiteit_id:
        return False  # the target entity takes part, it does not ask
    return r == COACH or (r == HR and traject.coach_id is None)


def mag_intake(user) -> bool:
    """AgO's intake of entity-crossing trajectories: accept, refuse, record the target entity."""
    return rol(user) == AGO


def ago_trajectbegeleiders() -> QuerySet[Gebruiker]:
    return Gebruiker.objects.filter(rol=AGO, is_active=True).order_by("last_name", "first_name")


# --- absences from the personnel system -----------------------------------------------------------------


def mag_afwezigheden_importeren(user) -> bool:
    """AgO loads every entity's absence periods; HR its own entity's."""
    return rol(user) in (HR, AGO)


def zichtbare_imports(user) -> QuerySet:
    from trajecten.models import AfwezigheidImport

    qs = AfwezigheidImport.objects.select_related("aangevraagd_door", "alleen_entiteit")
    r = rol(user)
    if r == AGO:
        return qs
    if r == HR:
        return qs.filter(alleen_entiteit_id=user.entiteit_id)
    return qs.none()


# --- privacy (README, "Data protection") ---------------------------------------------------------------


def mag_inzageverzoek(user, personeelslid) -> bool:
    """A staff member's access request (GDPR art. 15): AgO, or a coach of one of their trajectories."""
    r = rol(user)
    if r == AGO:
        return True
    return r == COACH and zichtbare_trajecten(user).filter(personeelslid=personeelslid, coach=user).exists()


def mag_leeslog(user) -> bool:
    """Who read a dossier (the read log per dossier): AgO."""
    return rol(user) == AGO


# --- reporting -----------------------------------------------------------------------------------------


def mag_rapportering(user) -> bool:
    """Dashboards and the reports page: coaches and HR for their entity, AgO for all."""
    return rol(user) in (COACH, HR, AGO)


def zichtbare_entiteiten(user) -> QuerySet[Entiteit]:
    """The entities whose aggregated figures a user may see."""
    r = rol(user)
    if r == AGO:
        return Entiteit.objects.order_by("naam")
    if r in (COACH, HR):
        return Entiteit.objects.filter(pk=user.entiteit_id)
    return Entiteit.objects.none()


def ziet_alle_entiteiten(user) -> bool:
    """The VO-wide (HOC) figures and every entity's."""
    return rol(user) == AGO


def zichtbare_rapporten(user) -> QuerySet:
    from rapportering.models import Rapport

    qs = Rapport.objects.select_related("entiteit", "aangevraagd_door")
    r = rol(user)
    if r == AGO:
        return qs
    if r in (COACH, HR):
        return qs.filter(entiteit_id=user.entiteit_id)
    return qs.none()


def mag_rapport_aanvragen(user) -> bool:
    """AgO makes every report of a year; HR its own entity's."""
    return rol(user) in (HR, AGO)


def mag_herberekenen(user) -> bool:
    return rol(user) == AGO


def mag_extract_aanvragen(user) -> bool:
    """HR asks for its own entity's anonymised extract for the preventieadviseur-arbeidsarts (circular:
    "door de entiteit"); AgO makes the VO-wide one with the year's reports."""
    return rol(user) == HR
