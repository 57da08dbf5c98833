"""The domain actions on a dossier: register, correct, remove, close, reopen, convert.

Each function is one transaction that
1. locks the trajectory (writes to one dossier happen one after the other) and claims the form token
   (a double-clicked submit saves once);
2. checks the action against the table of allowed actions (trajecten.actions);
3. applies the change to an in-memory copy of the dossier and refuses it when it would make the dossier
   contradictory (trajecten.consistency), with Dutch messages on the fields concerned;
4. saves, with who and why in the history (django-simple-history: ``_history_user``, ``_change_reason``);
5. refreshes the deadline summary and resolves the signals the change meets (trajecten.monitoring).

A refusal raises ``Refused`` (nothing saved); a repeated form raises ``AlreadySubmitted``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from .. import actions as a
from .. import models as m
from ..consistency import latest_fact
from ..dates import fmt
from ..facts import Dossier, Plan
from .base import (
    ActionContext,
    Refused,
    Targets,
    check_allowed,
    claim,
    claimed_for,
    copied,
    lock,
    refresh,
    stamp,
    state_of,
    validate,
)

# The parts a coach registers, corrects and removes, with the fields their forms edit.
PART_MODELS: dict[str, type] = {
    "gesprek": m.Gesprek,
    "inschatting": m.Inschatting,
    "stappenplan": m.Stappenplan,
    "betrokkenheid": m.Betrokkenheid,
    "verlenging": m.Verlenging,
    "herval": m.Herval,
    "evaluatie": m.Evaluatie,
    "onderzoek": m.Onderzoek,
}
MAATREGEL_FIELDS = ("soort", "omschrijving", "vanaf", "tot")


def _dossier(t: m.Traject) -> Dossier:
    return Dossier.of(t)


def _part(d: Dossier, kind: str, pk: int) -> Any:
    if kind == "werkhervatting":
        if d.traject.werkhervatting_op is None or pk != d.traject.pk:
            raise Http404
        return d.traject
    if kind not in PART_MODELS:
        raise Http404
    for obj in d.parts(kind):
        if obj.pk == pk:
            return obj
    raise Http404


def _changed(old, new, names) -> bool:
    return any(getattr(old, n) != getattr(new, n) for n in names)


def _measures(plan: Plan | None, submitted: list[dict]) -> tuple[list, list, list]:
    """(kept or changed, new, removed) measures of a plan from the submitted rows.

    A row with an ``id`` of an existing measure changes it (or removes it with ``DELETE``); a row
    without one adds a measure. Existing measures missing from the rows stay as they are.
    """
    existing = {mr.pk: mr for mr in (plan.maatregelen if plan else [])}
    result, new, removed, seen = [], [], [], set()
    for row in submitted:
        pk = row.get("id")
        pk = getattr(pk, "pk", pk)
        if pk in existing:
            seen.add(pk)
            if row.get("DELETE"):
                removed.append(existing[pk])
                continue
            mr = copied(existing[pk])
            for name, value in _measure_values(row).items():
                setattr(mr, name, value)
            result.append(mr)
        elif not row.get("DELETE") and row.get("soort"):
            mr = m.Maatregel(**_measure_values(row))
            result.append(mr)
            new.append(mr)
    result += [mr for pk, mr in existing.items() if pk not in seen]
    return result, new, removed


def _measure_values(row: dict) -> dict:
    values = {name: row.get(name) for name in MAATREGEL_FIELDS}
    values["omschrijving"] = values["omschrijving"] or ""
    return values


# --- registering a trajectory --------------------------------------------------------------------------


def register_traject(ctx: ActionContext, data: dict, visible=None) -> m.Traject:
    """A new trajectory with the staff member's minimal identification.

    ``visible``: the trajectories this user may see (trajecten.access); a message naming an open dossier
    links to it only when the user may see it.
    """
    with transaction.atomic():
        claim(ctx)
        entiteit = data["entiteit"]
        t = m.Traject(
            soort=data["soort"],
            entiteit=entiteit,
            d0=data.get("d0"),
            coach=data.get("coach"),
            leidinggevende=data.get("leidinggevende", ""),
            gezondheidstoezicht=bool(data.get("gezondheidstoezicht")),
        )
        validate(None, Dossier(t), ctx.today, Targets().add(t, {"d0", "soort"}))
        lid = _staff_member(ctx, data)
        open_t = lid.trajecten.exclude(status=m.Traject.Status.AFGESLOTEN).first()
        if open_t is not None:
            _refuse_second_open(open_t, visible)
        _update_identity(ctx, lid, data)
        t.personeelslid = lid
        stamp(t, ctx).save()
        claimed_for(ctx, t)
        refresh(t.pk, ctx)
        return t


IDENTITY_FIELDS = ("voornaam", "achternaam", "statuut", "functie")


def _staff_member(ctx: ActionContext, data: dict) -> m.Personeelslid:
    """The entity's staff member with this personnel number, locked; created when new (also when two register
    at once: the second waits for the first and then finds the staff member and its open trajectory).

    Only the entity's own records are looked at: registering never tells whether a number has a record or a
    dossier in another entity."""
    nummer, entiteit = data["personeelsnummer"], data["entiteit"]
    own = m.Personeelslid.objects.select_for_update().filter(entiteit=entiteit, personeelsnummer=nummer)
    lid = own.first()
    if lid is not None:
        return lid
    lid = m.Personeelslid(
        personeelsnummer=nummer,
        entiteit=data["entiteit"],
        **{k: data.get(k, "") for k in IDENTITY_FIELDS},
    )
    try:
        with transaction.atomic():
            stamp(lid, ctx).save()
    except IntegrityError:
        return own.get()
    return lid


def _update_identity(ctx: ActionContext, lid: m.Personeelslid, data: dict) -> None:
    changed = {k: data.get(k, "") for k in IDENTITY_FIELDS if getattr(lid, k) != data.get(k, "")}
    if changed and lid.pk is not None:
        for k, v in changed.items():
            setattr(lid, k, v)
        stamp(lid, ctx, _("Gegevens bijgewerkt bij de registratie van een nieuw traject")).save()


def _refuse_second_open(open_t: m.Traject | None, visible) -> None:
    if open_t is not None and visible is not None and visible.filter(pk=open_t.pk).exists():
        raise Refused(
            fields={"personeelsnummer": _("Voor dit personeelslid loopt al een open traject.")},
            link_pk=open_t.pk,
        )
    raise Refused(
        fields={
            "personeelsnummer": _(
                "Dit personeelslid kan nu niet geregistreerd worden. Neem contact op met de terugkeercoach van "
                "uw entiteit of met AgO."
            )
        }
    )


# --- parts ----------------------------------------------------------------------------------------------


def register_part(
    ctx: ActionContext, traject_pk: int, kind: str, data: dict, maatregelen: list[dict] | None = None
) -> Any:
    """Register a part (conversation, assessment, stappenplan with measures, ...), a return or a relapse."""
    with transaction.atomic():
        t = lock(traject_pk)
        claim(ctx, t)
        d = _dossier(t)
        check_allowed(kind, state_of(d, ctx.today))
        if kind == "werkhervatting":
            t2 = copied(t)
            t2.werkhervatting_op, t2.werkhervatting_vorm = (
                data["werkhervatting_op"],
                data["werkhervatting_vorm"],
            )
            t2.status = m.Traject.Status.OPVOLGING
            validate(d, replace(d, traject=t2), ctx.today, Targets().add(t2, data))
            stamp(t2, ctx).save()
            refresh(t.pk, ctx)
            return t2
        model = PART_MODELS.get(kind)
        if model is None:
            raise Http404
        obj = model(traject=t, **data)
        targets = Targets().add(obj, data)
        after = d
        if kind == "herval":
            # The relapse ends the current return: it keeps that return's date and form.
            obj.hervat_op, obj.hervatting_vorm = t.werkhervatting_op, t.werkhervatting_vorm
            t2 = copied(t)
            t2.werkhervatting_op, t2.werkhervatting_vorm = None, ""
            t2.status = m.Traject.Status.LOPEND
            after = replace(d, traject=t2)
            targets.add(t2, ())
        new_measures: list = []
        if kind == "stappenplan":
            _kept, new_measures, _removed = _measures(None, maatregelen or [])
            targets.maatregelen = new_measures
        after = after.with_part(kind, obj, new_measures)
        validate(d, after, ctx.today, targets)
        stamp(obj, ctx).save()
        for mr in new_measures:
            mr.stappenplan = obj
            stamp(mr, ctx).save()
        if kind == "herval":
            stamp(after.traject, ctx).save()
        refresh(t.pk, ctx)
        return obj


def correct_part(
    ctx: ActionContext,
    traject_pk: int,
    kind: str,
    part_pk: int,
    data: dict,
    reason: str,
    maatregelen: list[dict] | None = None,
) -> bool:
    """Correct a registered part with the same checks as registering it; False when nothing changed."""
    with transaction.atomic():
        t = lock(traject_pk)
        claim(ctx, t)
        d = _dossier(t)
        check_allowed(a.WIJZIGEN, state_of(d, ctx.today))
        old = _part(d, kind, part_pk)
        new = copied(old)
        for name, value in data.items():
            setattr(new, name, value)
        targets = Targets().add(new, data)
        if kind == "werkhervatting":
            after = replace(d, traject=new)
            changed = _changed(old, new, data)
            measures = removed = []
        else:
            plan = (
                next((p for p in d.stappenplannen if p.obj.pk == old.pk), None)
                if kind == "stappenplan"
                else None
            )
            measures, fresh, removed = (
                _measures(plan, maatregelen or []) if kind == "stappenplan" else ([], [], [])
            )
            targets.maatregelen = measures
            after = d.with_part(kind, new, measures)
            changed = _changed(old, new, data) or bool(fresh or removed)
            if plan is not None:
                before_ms = {mr.pk: mr for mr in plan.maatregelen}
                changed = changed or any(
                    mr.pk in before_ms and _changed(before_ms[mr.pk], mr, MAATREGEL_FIELDS) for mr in measures
                )
        validate(d, after, ctx.today, targets)
        if not changed:
            return False
        stamp(new, ctx, reason).save()
        if kind == "stappenplan":
            before_ms = {mr.pk: mr for mr in plan.maatregelen} if plan else {}
            for mr in removed:
                stamp(mr, ctx, reason).delete()
            for mr in measures:
                if mr.pk is None:
                    mr.stappenplan = new
                    stamp(mr, ctx, reason).save()
                elif _changed(before_ms[mr.pk], mr, MAATREGEL_FIELDS):
                    stamp(mr, ctx, reason).save()
        refresh(t.pk, ctx)
        return True


def remove_part(ctx: ActionContext, traject_pk: int, kind: str, part_pk: int, reason: str) -> None:
    """Remove a part registered by mistake; it leaves the timeline and stays in the history with the reason."""
    with transaction.atomic():
        t = lock(traject_pk)
        claim(ctx, t)
        d = _dossier(t)
        check_allowed(a.VERWIJDEREN, state_of(d, ctx.today))
        obj = _part(d, kind, part_pk)
        if kind == "werkhervatting":
            t2 = copied(t)
            t2.werkhervatting_op, t2.werkhervatting_vorm = None, ""
            t2.status = m.Traject.Status.LOPEND
            validate(d, replace(d, traject=t2), ctx.today, Targets())
            stamp(t2, ctx, reason).save()
            refresh(t.pk, ctx)
            return
        after = d.without_part(kind, obj)
        if kind == "inschatting":
            plan = next((p.obj for p in d.stappenplannen if p.obj.inschatting_id == obj.pk), None)
            if plan is not None:
                raise Refused(
                    [
                        _(
                            "Het stappenplan van %(d)s steunt op deze inschatting: verwijder of wijzig eerst dat "
                            "stappenplan."
                        )
                        % {"d": fmt(plan.datum)}
                    ]
                )
        t2 = None
        if kind == "herval":
            last = max(d.hervallen, key=lambda h: (h.datum, h.pk))
            if obj.pk != last.pk:
                raise Refused(
                    [_("Alleen het laatste herval kan verwijderd worden; verwijder eerst de latere.")]
                )
            if t.werkhervatting_op is not None:
                raise Refused(
                    [
                        _("Na dit herval is een werkhervatting geregistreerd (%(d)s): verwijder die eerst.")
                        % {"d": fmt(t.werkhervatting_op)}
                    ]
                )
            # Without the relapse the staff member is back at work since the return it ended.
            t2 = copied(t)
            t2.werkhervatting_op = obj.hervat_op
            t2.werkhervatting_vorm = obj.hervatting_vorm or m.Traject.HervattingVorm.VOLLEDIG
            t2.status = m.Traject.Status.OPVOLGING
            after = replace(after, traject=t2)
        validate(d, after, ctx.today, Targets())
        if kind == "stappenplan":
            for mr in next(p.maatregelen for p in d.stappenplannen if p.obj.pk == obj.pk):
                stamp(mr, ctx, reason).delete()
        stamp(obj, ctx, reason).delete()
        if t2 is not None:
            stamp(t2, ctx, reason).save()
        refresh(t.pk, ctx)


# --- the formal trajectory's steps ------------------------------------------------------------------------

FORMAL_STEPS = (  # from last to first: what "remove the last step" clears
    ("antwoord", ("antwoord_op", "antwoord")),
    ("plan_ontvangen", ("plan_ontvangen_op",)),
    ("plan", ("plan_op", "plan_soort")),
    ("beoordeling_ontvangen", ("beoordeling_ontvangen_op",)),
    ("beoordeling", ("beoordeling_op", "beoordeling")),
)


def save_formal_steps(ctx: ActionContext, traject_pk: int, data: dict, reason: str = "") -> bool:
    """Register or correct the steps of a formal trajectory. Changing a step already registered asks a
    reason (``Refused`` on the field ``reden`` without one). False when nothing changed."""
    with transaction.atomic():
        t = lock(traject_pk)
        claim(ctx, t)
        d = _dossier(t)
        check_allowed(a.FORMEEL_STAPPEN, state_of(d, ctx.today))
        old = d.formeel
        new = copied(old) if old is not None else m.FormeelVerloop(traject=t)
        for name, value in data.items():
            setattr(new, name, value)
        validate(d, replace(d, formeel=new), ctx.today, Targets().add(new, data))
        if old is not None and not _changed(old, new, data):
            return False
        corrected = old is not None and any(
            getattr(old, n) not in (None, "") and getattr(old, n) != getattr(new, n) for n in data
        )
        if corrected and not reason.strip():
            raise Refused(
                fields={"reden": _("Geef de reden van de wijziging van een stap die al geregistreerd was.")}
            )
        stamp(new, ctx, reason.strip() if corrected else None).save()
        refresh(t.pk, ctx)
        return True


def remove_formal_step(ctx: ActionContext, traject_pk: int, reason: str) -> str:
    """Remove the last registered step of the formal trajectory; returns the step's code."""
    with transaction.atomic():
        t = lock(traject_pk)
        claim(ctx, t)
        d = _dossier(t)
        check_allowed(a.VERWIJDEREN, state_of(d, ctx.today))
        if d.formeel is None:
            raise Http404
        new = copied(d.formeel)
        step = next(((c, names) for c, names in FORMAL_STEPS if getattr(new, names[0]) is not None), None)
        if step is None:
            raise Refused(
                [
                    _(
                        "De aanvraag zelf kan niet verwijderd worden: sluit het traject af als het formele "
                        "traject niet doorgaat, of wijzig de aanvraag."
                    )
                ]
            )
        code, names = step
        for name in names:
            setattr(new, name, None if name.endswith("_op") else "")
        validate(d, replace(d, formeel=new), ctx.today, Targets())
        stamp(new, ctx, reason).save()
        refresh(t.pk, ctx)
        return code


# --- the dossier itself -----------------------------------------------------------------------------------

CORE_TRAJECT_FIELDS = (
    "d0",
    "definitieve_ongeschiktheid_op",
    "coach",
    "leidinggevende",
    "gezondheidstoezicht",
)
CORE_PERSON_FIELDS = ("voornaam", "achternaam", "statuut", "functie")


def correct_core(ctx: ActionContext, traject_pk: int, data: dict, reason: str) -> bool:
    """Correct the core data: D0, definitive-incapacity date, coach, leidinggevende, the staff member's
    name, statute and function. False when nothing changed."""
    with transaction.atomic():
        t = lock(traject_pk)
        claim(ctx, t)
        d = _dossier(t)
        check_allowed(a.GEGEVENS, state_of(d, ctx.today))
        t2 = copied(t)
        for name in CORE_TRAJECT_FIELDS:
            if name in data:
                setattr(t2, name, data[name])
        coach = data.get("coach")
        if coach is not None and coach.entiteit_id != t.entiteit_id:
            raise Refused(fields={"coach": _("Kies een terugkeercoach van de entiteit van het traject.")})
        validate(d, replace(d, traject=t2), ctx.today, Targets().add(t2, data))
        lid = t.personeelslid
        lid2 = copied(lid)
        for name in CORE_PERSON_FIELDS:
            if name in data:
                setattr(lid2, name, data[name])
        changed = False
        if _changed(t, t2, [n for n in CORE_TRAJECT_FIELDS if n in data]):
            stamp(t2, ctx, reason).save()
            changed = True
        if _changed(lid, lid2, [n for n in CORE_PERSON_FIELDS if n in data]):
            stamp(lid2, ctx, reason).save()
            changed = True
        if changed:
            refresh(t.pk, ctx)
        return changed


def close(ctx: ActionContext, traject_pk: int, data: dict, dry_run: bool = False) -> m.Traject:
    """Close with an outcome that fits the kind. ``dry_run``: check only (the form's confirmation step)."""
    with transaction.atomic():
        t = lock(traject_pk)
        if not dry_run:
            claim(ctx, t)
        d = _dossier(t)
        check_allowed(a.AFSLUITEN, state_of(d, ctx.today))
        if data.get("uitkomst") not in a.OUTCOMES[t.soort]:
            raise Refused(fields={"uitkomst": _("Deze uitkomst past niet bij dit soort traject.")})
        t2 = copied(t)
        t2.afgesloten_op, t2.uitkomst = data["afgesloten_op"], data["uitkomst"]
        t2.uitkomst_reden = data.get("uitkomst_reden", "").strip()
        t2.status = m.Traject.Status.AFGESLOTEN
        validate(d, replace(d, traject=t2), ctx.today, Targets().add(t2, data))
        if dry_run:
            return t2
        stamp(t2, ctx).save()
        refresh(t.pk, ctx)
        return t2


def reopen(ctx: ActionContext, traject_pk: int, reason: str) -> m.Traject:
    """Reopen a closed dossier: outcome and closing date are cleared, the deadlines come back."""
    with transaction.atomic():
        t = lock(traject_pk)
        claim(ctx, t)
        d = _dossier(t)
        continued = m.Traject.objects.filter(voortgezet_van=t).exists()
        other_open = (
            m.Traject.objects.filter(personeelslid_id=t.personeelslid_id)
            .exclude(pk=t.pk)
            .exclude(status=m.Traject.Status.AFGESLOTEN)
            .exists()
        )
        check_allowed(a.HEROPENEN, state_of(d, ctx.today, continued=continued, other_open=other_open))
        t2 = copied(t)
        t2.afgesloten_op, t2.uitkomst, t2.uitkomst_reden = None, "", ""
        t2.status = m.Traject.Status.OPVOLGING if t.werkhervatting_op else m.Traject.Status.LOPEND
        validate(d, replace(d, traject=t2), ctx.today, Targets())
        stamp(t2, ctx, reason).save()
        refresh(t.pk, ctx)
        return t2


def _continue_as(
    ctx: ActionContext, d: Dossier, soort: str, d0: date | None, outcome: str, close_on: date
) -> m.Traject:
    """Close the trajectory (never before its last registered fact) and open its successor, linked."""
    t = d.traject
    latest = latest_fact(d)
    t2 = copied(t)
    t2.status = m.Traject.Status.AFGESLOTEN
    t2.afgesloten_op = max(close_on, latest) if latest else close_on
    t2.uitkomst = outcome
    t2.uitkomst_reden = ""
    stamp(t2, ctx).save()  # first: at most one open trajectory per staff member
    new = m.Traject(
        soort=soort,
        personeelslid_id=t.personeelslid_id,
        entiteit_id=t.entiteit_id,
        doel_entiteit_id=t.doel_entiteit_id,
        d0=d0,
        coach_id=t.coach_id,
        leidinggevende=t.leidinggevende,
        gezondheidstoezicht=t.gezondheidstoezicht,
        definitieve_ongeschiktheid_op=t.definitieve_ongeschiktheid_op,
        voortgezet_van=t,
    )
    stamp(new, ctx).save()
    return new


def convert_to_formal(ctx: ActionContext, traject_pk: int, data: dict) -> m.Traject:
    """An informal trajectory continues as a formal one: it is closed ("omgezet") and linked to it."""
    with transaction.atomic():
        t = lock(traject_pk)
        claim(ctx, t)
        d = _dossier(t)
        check_allowed(a.OMZETTEN_FORMEEL, state_of(d, ctx.today))
        verloop = m.FormeelVerloop(
            aanvrager=data["aanvrager"], aanvraag_ontvangen_op=data["aanvraag_ontvangen_op"]
        )
        # The request is judged on the informal dossier's facts (3 months uninterrupted, relapses, ...).
        validate(d, replace(d, formeel=verloop), ctx.today, Targets().add(verloop, data))
        new = _continue_as(
            ctx,
            d,
            m.Traject.Soort.FORMEEL,
            t.d0,
            m.Traject.Uitkomst.OMGEZET_FORMEEL,
            data["aanvraag_ontvangen_op"],
        )
        verloop.traject = new
        stamp(verloop, ctx).save()
        refresh(t.pk, ctx)
        refresh(new.pk, ctx)
        return new


def convert_to_informal(ctx: ActionContext, traject_pk: int, data: dict) -> m.Traject:
    """A preventive trajectory whose staff member dropped out after all continues as an informal one."""
    with transaction.atomic():
        t = lock(traject_pk)
        claim(ctx, t)
        d = _dossier(t)
        check_allowed(a.OMZETTEN_INFORMEEL, state_of(d, ctx.today))
        probe = copied(t)
        probe.soort, probe.d0 = m.Traject.Soort.INFORMEEL, data["d0"]
        validate(None, Dossier(probe), ctx.today, Targets().add(probe, data))
        new = _continue_as(
            ctx, d, m.Traject.Soort.INFORMEEL, data["d0"], m.Traject.Uitkomst.OMGEZET_INFORMEEL, data["d0"]
        )
        refresh(t.pk, ctx)
        refresh(new.pk, ctx)
        return new
