"""What every dossier service shares: who acts, the lock, the form token, the checks and the refresh."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from .. import actions
from .. import deadlines as dl
from ..consistency import Problem, new_problems
from ..dates import fmt
from ..evaluation import refresh_one
from ..facts import Dossier, facts_from
from ..models import FormSubmission, Stappenplan, Traject


@dataclass(frozen=True)
class ActionContext:
    """Who acts, on which day, with which form token (None: no double-submit protection needed)."""

    user: Any
    today: date
    token: uuid.UUID | None = None


class Refused(Exception):  # noqa: N818 - a domain outcome, not a programming error
    """The change was refused and nothing was saved. Messages are Dutch and meant for the user.

    ``fields``: message per form field; ``errors``: messages about the dossier as a whole;
    ``maatregelen``: per measure (its position in the submitted list) a message per field.
    """

    def __init__(
        self,
        errors: Iterable[str] = (),
        fields: dict[str, str] | None = None,
        maatregelen: dict[int, dict[str, str]] | None = None,
        link_pk: int | None = None,
    ):
        self.errors = list(errors)
        self.fields = dict(fields or {})
        self.maatregelen = dict(maatregelen or {})
        self.link_pk = link_pk  # a dossier the message refers to (e.g. the open one), when visible
        super().__init__("; ".join([*self.errors, *self.fields.values()]))


class NotAllowed(Refused):
    """The action is not allowed in the dossier's current state (trajecten.actions)."""


class AlreadySubmitted(Exception):  # noqa: N818
    """This form was already submitted (double click, reload): nothing was saved twice."""

    def __init__(self, traject_pk: int | None):
        self.traject_pk = traject_pk
        super().__init__(traject_pk)


DOSSIER_PREFETCHES = (
    "gesprek_set",
    "inschatting_set",
    Prefetch("stappenplan_set", queryset=Stappenplan.objects.prefetch_related("maatregelen")),
    "betrokkenheid_set",
    "verlenging_set",
    "herval_set",
    "evaluatie_set",
    "onderzoek_set",
)


def lock(pk: int) -> Traject:
    """The trajectory, locked for this transaction: writes to one dossier happen one after the other.

    The lock is taken first, on the row alone; the dossier is read after it, so that a writer that waited
    for the lock reads what the one before it committed (a joined read in the locking query would not).
    """
    if not Traject.objects.select_for_update().filter(pk=pk).exists():
        raise Http404
    return (
        Traject.objects.select_related("personeelslid", "formeel_verloop")
        .prefetch_related(*DOSSIER_PREFETCHES)
        .get(pk=pk)
    )


def claim(ctx: ActionContext, traject: Traject | None = None) -> None:
    """Claim the form's token once; a second submit of the same form raises AlreadySubmitted."""
    if ctx.token is None:
        return
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=ctx.token, gebruiker=ctx.user, traject=traject)
    except IntegrityError as exc:
        done = FormSubmission.objects.filter(token=ctx.token).values_list("traject_id", flat=True).first()
        raise AlreadySubmitted(done) from exc


def claimed_for(ctx: ActionContext, traject: Traject) -> None:
    """Link a claimed token to the trajectory it created (a repeated registration then leads to it)."""
    if ctx.token is not None:
        FormSubmission.objects.filter(token=ctx.token).update(traject=traject)


def state_of(
    d: Dossier, today: date, continued: bool = False, other_open: bool = False, intake: str = ""
) -> actions.State:
    t = d.traject
    positive = any(i.uitkomst == dl.STAPPEN_MOGELIJK for i in d.inschattingen)
    term_running = False
    if positive and t.status != actions.AFGESLOTEN and t.d0 is not None:
        try:
            ev = dl.evaluate(facts_from(d), today)
        except (ValueError, OverflowError):
            ev = None
        term = ev.current(dl.STAPPENPLAN) if ev else None
        term_running = term is not None and term.state != dl.MET
    return actions.State(
        kind=t.soort,
        status=t.status,
        positive_assessment=positive,
        stappenplan_term_running=term_running,
        continued=continued,
        other_open=other_open,
        intake=intake,
    )


def check_allowed(action: str, state: actions.State) -> None:
    reason = actions.refusal(action, state)
    if reason is not None:
        raise NotAllowed([reason])


def describe(p: Problem) -> str:
    """How to name the object of a problem in a message about the whole dossier."""
    obj = p.obj
    day = next(
        (getattr(obj, n) for n in ("datum", "vanaf", "toegekend_op", "hervat_op") if getattr(obj, n, None)),
        None,
    )
    names = {
        "traject": _("Het traject"),
        "formeel": _("Het formele verloop"),
        "gesprek": _("Het contact of gesprek van %(d)s"),
        "inschatting": _("De inschatting van %(d)s"),
        "stappenplan": _("Het stappenplan van %(d)s"),
        "maatregel": _("Een maatregel"),
        "betrokkenheid": _("De betrokkenheid van %(d)s"),
        "verlenging": _("De verlenging van %(d)s"),
        "herval": _("Het herval van %(d)s"),
        "evaluatie": _("De evaluatie van %(d)s"),
        "onderzoek": _("Het onderzoek van %(d)s"),
    }
    name = names.get(p.kind, p.kind)
    return name % {"d": fmt(day)} if "%(d)s" in name else name


@dataclass
class Targets:
    """Which changed objects the form shows, and which of their fields are form fields."""

    fields: dict[int, set[str]] = field(default_factory=dict)  # id(obj) -> form field names
    maatregelen: list[Any] = field(default_factory=list)  # new/changed measures in submitted order

    def add(self, obj, names: Iterable[str]) -> Targets:
        self.fields[id(obj)] = set(names)
        return self


def validate(before: Dossier | None, after: Dossier, today: date, targets: Targets) -> None:
    """Refuse the change when it would add a problem; messages land on the fields the user changed."""
    found = new_problems(before, after, today)
    if not found:
        return
    fields: dict[str, str] = {}
    per_measure: dict[int, dict[str, str]] = {}
    shown: set[tuple] = set()
    index = {id(mr): i for i, mr in enumerate(targets.maatregelen)}
    for p in found:
        names = targets.fields.get(id(p.obj))
        if names is not None and p.field in names:
            fields.setdefault(p.field, p.message)
        elif id(p.obj) in index:
            per_measure.setdefault(index[id(p.obj)], {}).setdefault(p.field, p.message)
        else:
            continue
        shown.add((p.rule, (p.kind, getattr(p.obj, "pk", None)), p.other))
    errors: list[str] = []
    for p in found:
        names = targets.fields.get(id(p.obj))
        if (names is not None and p.field in names) or id(p.obj) in index:
            continue
        counterpart = (p.rule, p.other, (p.kind, getattr(p.obj, "pk", None)))
        if counterpart in shown:
            continue  # the same rule is already reported on the field the user changed
        message = f"{describe(p)}: {p.message[0].lower()}{p.message[1:]}"
        if message not in errors:
            errors.append(message)
    raise Refused(errors, fields, per_measure)


def copied(obj):
    """A copy of a model instance to change in memory; the original stays as it was (for comparison)."""
    return copy.copy(obj)


def stamp(obj, ctx: ActionContext, reason: str | None = None):
    """Who made this change and why, for the history row the save or delete writes."""
    if ctx.user is not None and getattr(ctx.user, "is_authenticated", False):
        obj._history_user = ctx.user
    if reason:
        obj._change_reason = reason
    return obj


def refresh(traject_pk: int, ctx: ActionContext) -> None:
    """Deadlines, signals and the stored summary follow the change in the same transaction."""
    refresh_one(traject_pk, ctx.today)
