"""Consistency of one dossier across its parts: plausible dates, in a possible order.

Pure: a ``Dossier`` (trajecten.facts; objects with attributes, saved or not) and today's date go in, the
problems come out. No ORM, no clock. A service judges a change by comparing the problems of the dossier
before and after it: a change may not add a problem (``new_problems``), so a correction is never blocked by
an older, unrelated inconsistency, and nothing contradictory is ever saved.

The rules (README, "Correcting a dossier"):

- D0 lies between 01/01/2000 and today; every registered fact (conversation, assessment, stappenplan,
  welzijnsactor, extension, return, relapse, evaluation, formal step, closing) between D0 and today.
- Planned dates (next conversation, extended term, target return, a measure's dates) lie at most two years
  ahead, and after the fact they belong to.
- A stappenplan rests on a positive assessment of the same dossier dated on or before it. An extension is
  granted while the stappenplan term runs (after a positive assessment, before a stappenplan) and moves it
  later. A relapse follows its return; returns and relapses alternate; the current return follows the last
  relapse. An evaluation follows a return. The formal steps follow each other; an entity's request for a
  formal trajectory needs 3 months of uninterrupted incapacity (or a certificate of definitive incapacity).
- A closing date is not before any registered fact; a closed dossier has an outcome, "geen terugkeer" with
  a reason.

Each problem names the object and field it concerns. A rule between two dates yields a problem on both
sides, each worded from its own side, so the message lands on whichever field the user changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from . import deadlines as dl
from .dates import fmt
from .facts import Dossier, facts_from

EERSTE_DATUM = date(2000, 1, 1)
HORIZON_MONTHS = 24
MAX_MAATREGELEN = 20


def horizon(today: date) -> date:
    """The last plausible planned date: two years ahead."""
    return dl.add_months(today, HORIZON_MONTHS)


@dataclass(frozen=True)
class Problem:
    kind: str  # "traject", "formeel", "maatregel" or a part kind ("gesprek", ...)
    pk: int | None  # None: not saved yet
    field: str
    rule: str
    message: str
    other: tuple[str, int | None] | None = None  # the other side of a rule between two objects
    obj: Any = field(default=None, compare=False, hash=False, repr=False)

    @property
    def key(self) -> tuple:
        """Identity of a problem across two versions of a dossier (dates and wording may differ)."""
        return (self.kind, self.pk, self.field, self.rule, self.other)


@dataclass(frozen=True)
class Point:
    """A date in the dossier: where it is (kind, object, field), its value and how to name it."""

    kind: str
    obj: Any
    field: str
    value: date
    label: str


def _problem(p: Point, rule: str, message: str, other: Point | None = None) -> Problem:
    other_ref = (other.kind, getattr(other.obj, "pk", None)) if other is not None else None
    return Problem(p.kind, getattr(p.obj, "pk", None), p.field, rule, message, other_ref, p.obj)


def _order(a: Point, b: Point, rule: str, strict: bool = False) -> Iterator[Problem]:
    """``a`` must lie before ``b`` (strict) or not after it: on failure a problem on each side."""
    if a.value < b.value or (not strict and a.value == b.value):
        return
    if strict:
        on_a = _("Deze datum moet vóór %(other)s liggen.") % {"other": b.label}
        on_b = _("Deze datum moet na %(other)s liggen.") % {"other": a.label}
    else:
        on_a = _("Deze datum mag niet na %(other)s liggen.") % {"other": b.label}
        on_b = _("Deze datum mag niet vóór %(other)s liggen.") % {"other": a.label}
    if a.obj is not None:
        yield _problem(a, rule, on_a, b)
    if b.obj is not None:
        yield _problem(b, rule, on_b, a)


def _label(template: str, day: date) -> str:
    return template % {"d": fmt(day)}


class _Checker:
    def __init__(self, d: Dossier, today: date):
        self.d, self.t, self.today = d, d.traject, today
        self.horizon = horizon(today)
        self.d0 = self.t.d0
        self.out: list[Problem] = []

    # -- points ---------------------------------------------------------------------------------------

    def point(self, kind, obj, name, label) -> Point | None:
        value = getattr(obj, name, None)
        return Point(kind, obj, name, value, _label(label, value)) if value is not None else None

    def d0_point(self) -> Point | None:
        if self.d0 is None:
            return None
        return Point(
            "traject",
            self.t,
            "d0",
            self.d0,
            _("de start van de arbeidsongeschiktheid (D0, %(d)s)") % {"d": fmt(self.d0)},
        )

    # -- ranges -----------------------------------------------------------------------------------------

    def happened(self, p: Point, future: str | None = None) -> bool:
        """Between 01/01/2000 and today; False (with the problem) when before 2000."""
        if p.value > self.today:
            message = future or _("Deze datum ligt in de toekomst; registreer alleen wat al gebeurd is.")
            self.out.append(_problem(p, "toekomst", message))
        return self.since_2000(p)

    def since_2000(self, p: Point) -> bool:
        if p.value < EERSTE_DATUM:
            self.out.append(
                _problem(p, "te_vroeg", _("Deze datum ligt vóór 01/01/2000: geen aannemelijke datum."))
            )
            return False
        return True

    def fact(self, p: Point | None) -> None:
        """A registered fact: on or after D0 (01/01/2000 without D0), not in the future."""
        if p is None:
            return
        if self.happened(p) and self.d0 is not None and p.field != "d0":
            self.out.extend(_order(self.d0_point(), p, "voor_d0"))

    def planned(self, p: Point | None, after: Point | None = None, strict: bool = True) -> None:
        """A planned date: after ``after`` and at most two years ahead."""
        if p is None:
            return
        if p.value > self.horizon:
            self.out.append(
                _problem(
                    p,
                    "te_ver",
                    _("Deze datum ligt meer dan twee jaar in de toekomst (na %(d)s).")
                    % {"d": fmt(self.horizon)},
                )
            )
        if self.since_2000(p) and after is not None:
            self.out.extend(_order(after, p, "na_feit", strict=strict))

    def required(self, kind, obj, name, message) -> None:
        if not getattr(obj, name, None):
            self.out.append(Problem(kind, obj.pk, name, "verplicht", message, None, obj))

    # -- the dossier ------------------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        self.traject()
        self.gesprekken()
        self.inschattingen()
        self.stappenplannen()
        self.betrokkenheden()
        self.verlengingen()
        self.returns()
        self.evaluaties()
        for o in self.d.onderzoeken:
            self.fact(self.point("onderzoek", o, "datum", _("het onderzoek van %(d)s")))
        self.formeel()
        self.closing()
        return self.out

    def traject(self):
        t = self.t
        if t.soort == dl.PREVENTIEF:
            if t.d0 is not None:
                self.out.append(
                    Problem(
                        "traject",
                        t.pk,
                        "d0",
                        "d0_preventief",
                        _("Een preventief traject heeft geen startdatum van arbeidsongeschiktheid."),
                        None,
                        t,
                    )
                )
        elif t.d0 is None:
            self.required("traject", t, "d0", _("Geef de eerste dag van de arbeidsongeschiktheid (D0) in."))
        if t.d0 is not None:
            self.happened(
                self.d0_point(), _("De startdatum van de arbeidsongeschiktheid ligt in de toekomst.")
            )
        self.fact(
            self.point(
                "traject",
                t,
                "definitieve_ongeschiktheid_op",
                _("het attest van definitieve ongeschiktheid (%(d)s)"),
            )
        )

    def gesprekken(self):
        for g in self.d.gesprekken:
            self.fact(self.point("gesprek", g, "datum", _("het contact of gesprek van %(d)s")))

    def inschattingen(self):
        for i in self.d.inschattingen:
            p = self.point("inschatting", i, "datum", _("de inschatting van %(d)s"))
            self.fact(p)
            if i.uitkomst == dl.NOG_NIET_MOGELIJK:
                if i.volgend_gesprek_op is None:
                    self.required(
                        "inschatting",
                        i,
                        "volgend_gesprek_op",
                        _("Plan in samenspraak met het personeelslid een volgend gesprek in."),
                    )
                else:
                    self.planned(
                        self.point("inschatting", i, "volgend_gesprek_op", _("het volgende gesprek (%(d)s)")),
                        p,
                    )
            elif i.volgend_gesprek_op is not None:
                self.out.append(
                    Problem(
                        "inschatting",
                        i.pk,
                        "volgend_gesprek_op",
                        "volgend_gesprek_bij_positief",
                        _("Laat dit veld leeg: stappen zijn mogelijk, werk nu een stappenplan uit."),
                        None,
                        i,
                    )
                )

    def stappenplannen(self):
        by_pk = {i.pk: i for i in self.d.inschattingen if i.pk is not None}
        for plan in self.d.stappenplannen:
            s = plan.obj
            p = self.point("stappenplan", s, "datum", _("het stappenplan van %(d)s"))
            self.fact(p)
            self.planned(
                self.point("stappenplan", s, "beoogde_hervatting_op", _("de beoogde werkhervatting (%(d)s)")),
                p,
                strict=False,
            )
            ins = by_pk.get(s.inschatting_id)
            if ins is None:
                self.out.append(
                    Problem(
                        "stappenplan",
                        s.pk,
                        "inschatting",
                        "stappenplan_zonder_inschatting",
                        _(
                            "Registreer eerst een inschatting waaruit blijkt dat stappen naar werk mogelijk zijn."
                        ),
                        ("inschatting", s.inschatting_id),
                        s,
                    )
                )
                continue
            if ins.uitkomst != dl.STAPPEN_MOGELIJK:
                ref = {"d": fmt(s.datum)} if s.datum else {"d": "—"}
                self.out.append(
                    Problem(
                        "stappenplan",
                        s.pk,
                        "inschatting",
                        "stappenplan_negatieve_inschatting",
                        _(
                            "Een stappenplan steunt op een inschatting waaruit blijkt dat stappen mogelijk zijn."
                        ),
                        ("inschatting", ins.pk),
                        s,
                    )
                )
                self.out.append(
                    Problem(
                        "inschatting",
                        ins.pk,
                        "uitkomst",
                        "stappenplan_negatieve_inschatting",
                        _(
                            "Het stappenplan van %(d)s steunt op deze inschatting: die moet vaststellen dat stappen "
                            "mogelijk zijn. Pas eerst het stappenplan aan."
                        )
                        % ref,
                        ("stappenplan", s.pk),
                        ins,
                    )
                )
            ip = self.point("inschatting", ins, "datum", _("de inschatting van %(d)s"))
            if ip and p:
                self.out.extend(_order(ip, p, "stappenplan_voor_inschatting"))
            if len(plan.maatregelen) > MAX_MAATREGELEN:
                self.out.append(
                    Problem(
                        "stappenplan",
                        s.pk,
                        "maatregelen",
                        "te_veel_maatregelen",
                        _("Een stappenplan heeft hoogstens %(n)d maatregelen.") % {"n": MAX_MAATREGELEN},
                        None,
                        s,
                    )
                )
            for mr in plan.maatregelen:
                vanaf = self.point("maatregel", mr, "vanaf", _("de begindatum (%(d)s)"))
                tot = self.point("maatregel", mr, "tot", _("de einddatum (%(d)s)"))
                self.planned(vanaf, self.d0_point(), strict=False)
                self.planned(tot, vanaf or self.d0_point(), strict=False)

    def betrokkenheden(self):
        seen: dict[tuple, Any] = {}
        for b in self.d.betrokkenheden:
            vanaf = self.point("betrokkenheid", b, "vanaf", _("de betrokkenheid van %(d)s"))
            self.fact(vanaf)
            # Consent: given on or before the involvement (no D0 bound: it may precede the incapacity),
            # withdrawn after it was given, both not in the future.
            given = self.point("betrokkenheid", b, "toestemming_op", _("de toestemming (%(d)s)"))
            withdrawn = self.point(
                "betrokkenheid", b, "toestemming_ingetrokken_op", _("de intrekking (%(d)s)")
            )
            for p in (given, withdrawn):
                if p is not None:
                    self.happened(p)
            if given and vanaf:
                self.out.extend(_order(given, vanaf, "toestemming_na_betrokkenheid"))
            if withdrawn:
                if given is None:
                    self.out.append(
                        _problem(
                            withdrawn,
                            "intrekking_zonder_toestemming",
                            _("Er is geen toestemming om in te trekken."),
                        )
                    )
                else:
                    self.out.extend(_order(given, withdrawn, "intrekking_voor_toestemming"))
            key = (b.actor, b.vanaf)
            if key in seen:
                self.out.append(
                    Problem(
                        "betrokkenheid",
                        b.pk,
                        "vanaf",
                        "betrokkenheid_dubbel",
                        _("Deze welzijnsactor is al geregistreerd vanaf deze datum."),
                        ("betrokkenheid", seen[key].pk),
                        b,
                    )
                )
            seen[key] = b

    def verlengingen(self):
        """Each extension judged against the stappenplan term as it stood when it was granted."""
        ordered = sorted(self.d.verlengingen, key=lambda v: (v.toegekend_op, v.pk or 0))
        for n, v in enumerate(ordered):
            granted = self.point("verlenging", v, "toegekend_op", _("de verlenging van %(d)s"))
            self.fact(granted)
            self.planned(
                self.point("verlenging", v, "nieuwe_datum", _("de nieuwe uiterste datum (%(d)s)")), granted
            )
            if granted is None or self.d0 is None:
                continue
            before = replace(self.d, verlengingen=ordered[:n], traject=_Open(self.t))
            try:
                ev = dl.evaluate(facts_from(before), v.toegekend_op)
            except (ValueError, OverflowError):
                continue  # an impossible date elsewhere is reported on its own field
            term = ev.current(dl.STAPPENPLAN)  # the term of the current period of incapacity
            if term is None:
                msg = _(
                    "Een verlenging geldt voor de termijn van het stappenplan: op %(d)s was er geen positieve "
                    "inschatting waarvan die termijn liep."
                ) % {"d": fmt(v.toegekend_op)}
                self.out.append(_problem(granted, "verlenging_zonder_termijn", msg))
            elif term.state == dl.MET:
                msg = _("Op %(d)s was er al een stappenplan: de termijn hoeft niet verlengd te worden.") % {
                    "d": fmt(v.toegekend_op)
                }
                self.out.append(_problem(granted, "verlenging_na_stappenplan", msg))
            elif v.toegekend_op > term.due:
                msg = _(
                    "De termijn voor het stappenplan was verstreken op %(d)s; een verlenging kan niet meer."
                ) % {"d": fmt(term.due)}
                self.out.append(_problem(granted, "verlenging_na_termijn", msg))
            elif v.nieuwe_datum is not None and v.nieuwe_datum <= term.due:
                msg = _("De nieuwe datum moet na de huidige uiterste datum (%(d)s) liggen.") % {
                    "d": fmt(term.due)
                }
                self.out.append(
                    Problem("verlenging", v.pk, "nieuwe_datum", "verlenging_niet_later", msg, None, v)
                )

    def returns(self):
        """Returns and relapses alternate: return < relapse < next return < ... < current return."""
        previous: Point | None = None
        for h in sorted(self.d.hervallen, key=lambda h: (h.hervat_op, h.pk or 0)):
            back = self.point("herval", h, "hervat_op", _("de werkhervatting van %(d)s"))
            again = self.point("herval", h, "datum", _("het herval van %(d)s"))
            self.fact(back)
            self.fact(again)
            if back and again:
                self.out.extend(_order(back, again, "herval_voor_hervatting", strict=True))
            if previous and back:
                self.out.extend(_order(previous, back, "hervallen_volgorde", strict=True))
            previous = again
        current = self.point("traject", self.t, "werkhervatting_op", _("de werkhervatting van %(d)s"))
        self.fact(current)
        if current and previous:
            self.out.extend(_order(previous, current, "hervatting_voor_herval", strict=True))
        if current and not self.t.werkhervatting_vorm:
            self.required("traject", self.t, "werkhervatting_vorm", _("Kies de vorm van de werkhervatting."))

    def evaluaties(self):
        returns = [h.hervat_op for h in self.d.hervallen if h.hervat_op] + (
            [self.t.werkhervatting_op] if self.t.werkhervatting_op else []
        )
        first = min(returns, default=None)
        for e in self.d.evaluaties:
            p = self.point("evaluatie", e, "datum", _("de evaluatie van %(d)s"))
            self.fact(p)
            if p is None:
                continue
            if first is None:
                self.out.append(
                    _problem(
                        p,
                        "evaluatie_zonder_hervatting",
                        _("Een evaluatie volgt op een werkhervatting: registreer die eerst."),
                    )
                )
            elif p.value < first:
                self.out.append(
                    _problem(
                        p,
                        "evaluatie_voor_hervatting",
                        _("De evaluatie ligt vóór de (eerste) werkhervatting (%(d)s).") % {"d": fmt(first)},
                    )
                )

    def formeel(self):
        f = self.d.formeel
        if f is None:
            return
        steps = [
            ("aanvraag_ontvangen_op", _("de aanvraag (%(d)s)")),
            ("beoordeling_op", _("de re-integratiebeoordeling (%(d)s)")),
            ("beoordeling_ontvangen_op", _("de ontvangst van de beoordeling (%(d)s)")),
            ("plan_op", _("het plan of verslag (%(d)s)")),
            ("plan_ontvangen_op", _("de ontvangst van het plan (%(d)s)")),
            ("antwoord_op", _("het antwoord (%(d)s)")),
        ]
        points = {name: self.point("formeel", f, name, label) for name, label in steps}
        for p in points.values():
            self.fact(p)
        order = [
            ("beoordeling_op", "aanvraag_ontvangen_op"),
            ("beoordeling_ontvangen_op", "beoordeling_op"),
            ("plan_op", "beoordeling_op"),
            ("plan_ontvangen_op", "plan_op"),
            ("antwoord_op", "plan_op"),
        ]
        for later, earlier in order:
            if points[later] is None:
                continue
            if points[earlier] is None:
                self.out.append(
                    _problem(points[later], "formeel_vorige_stap", _("Vul eerst de vorige stap in."))
                )
            else:
                self.out.extend(_order(points[earlier], points[later], "formeel_volgorde"))
        pairs = [
            ("beoordeling_op", "beoordeling", _("Kies de uitkomst van de beoordeling.")),
            ("plan_op", "plan_soort", _("Kies of het om een plan of een gemotiveerd verslag gaat.")),
            ("antwoord_op", "antwoord", _("Kies het antwoord van het personeelslid.")),
        ]
        for when, what, msg in pairs:
            if getattr(f, when) and not getattr(f, what):
                self.required("formeel", f, what, msg)
        self.formal_request(points["aanvraag_ontvangen_op"])

    def formal_request(self, p: Point | None):
        """Who may start a formal trajectory on the day the request was received (deadlines.formal_start:
        the staff member while unable to work, the entity after 3 months of uninterrupted incapacity)."""
        from .labels import FORMEEL_START

        f = self.d.formeel
        if p is None or self.d0 is None:
            return
        facts = replace(facts_from(self.d), kind=dl.INFORMEEL, closed_on=None, formal=None)
        try:
            start = dl.formal_start(facts, p.value, f.aanvrager)
        except (ValueError, OverflowError):
            return
        if start.allowed or start.reason == dl.R_VOOR_D0:
            return  # a request before D0 is reported on the date itself
        msg = str(FORMEEL_START[start.reason])
        if start.possible_from:
            msg = msg.rstrip(".") + " " + _("(vanaf %(d)s).") % {"d": fmt(start.possible_from)}
        rule = {
            dl.R_NOG_GEEN_3_MAANDEN: "formeel_entiteit_te_vroeg",
            dl.R_WERK_HERVAT: "formeel_niet_ongeschikt",
        }
        self.out.append(
            Problem("formeel", f.pk, "aanvrager", rule.get(start.reason, start.reason), msg, None, f)
        )

    def closing(self):
        t = self.t
        closed = self.point("traject", t, "afgesloten_op", _("de afsluiting (%(d)s)"))
        if closed is None:
            return
        self.fact(closed)
        if not t.uitkomst:
            self.required("traject", t, "uitkomst", _("Een traject afsluiten vraagt een uitkomst."))
        elif t.uitkomst == "geen_terugkeer" and not (t.uitkomst_reden or "").strip():
            self.required("traject", t, "uitkomst_reden", _("Geef de reden waarom er geen terugkeer is."))
        latest = max(event_points(self.d), key=lambda p: p.value, default=None)
        if latest is not None:
            for problem in _order(latest, closed, "afsluiting_voor_feit"):
                if problem.field == "afgesloten_op":
                    self.out.append(problem)


def event_points(d: Dossier) -> Iterator[Point]:
    """Every registered fact of the dossier (not planned dates)."""

    def point(kind, obj, name, label):
        value = getattr(obj, name, None)
        return Point(kind, obj, name, value, _label(label, value)) if value is not None else None

    for kind, objs, name, label in (
        ("gesprek", d.gesprekken, "datum", _("het contact of gesprek van %(d)s")),
        ("inschatting", d.inschattingen, "datum", _("de inschatting van %(d)s")),
        ("stappenplan", [p.obj for p in d.stappenplannen], "datum", _("het stappenplan van %(d)s")),
        ("betrokkenheid", d.betrokkenheden, "vanaf", _("de betrokkenheid van %(d)s")),
        ("verlenging", d.verlengingen, "toegekend_op", _("de verlenging van %(d)s")),
        ("herval", d.hervallen, "hervat_op", _("de werkhervatting van %(d)s")),
        ("herval", d.hervallen, "datum", _("het herval van %(d)s")),
        ("evaluatie", d.evaluaties, "datum", _("de evaluatie van %(d)s")),
        ("onderzoek", d.onderzoeken, "datum", _("het onderzoek van %(d)s")),
        ("traject", [d.traject], "werkhervatting_op", _("de werkhervatting van %(d)s")),
        *(
            ("formeel", [d.formeel], name, _("de formele stap van %(d)s"))
            for name in FORMAL_DATES
            if d.formeel is not None
        ),
    ):
        for obj in objs:
            p = point(kind, obj, name, label)
            if p is not None:
                yield p


def latest_fact(d: Dossier) -> date | None:
    """The date of the dossier's last registered fact."""
    return max((p.value for p in event_points(d)), default=None)


FORMAL_DATES = (
    "aanvraag_ontvangen_op",
    "beoordeling_op",
    "beoordeling_ontvangen_op",
    "plan_op",
    "plan_ontvangen_op",
    "antwoord_op",
)


class _Open:
    """A trajectory read as if open: the rules judge a past day, not the closing."""

    def __init__(self, traject):
        self._t = traject

    def __getattr__(self, name):
        return None if name == "afgesloten_op" else getattr(self._t, name)


def problems(d: Dossier, today: date) -> list[Problem]:
    """Every inconsistency of the dossier on ``today``."""
    return _Checker(d, today).run()


def new_problems(before: Dossier | None, after: Dossier, today: date) -> list[Problem]:
    """The problems ``after`` has that ``before`` did not: what a change would break."""
    old = {p.key for p in problems(before, today)} if before is not None else set()
    return [p for p in problems(after, today) if p.key not in old]
