"""Trajectories drawn from the VO-wide distribution: the benchmark's recipe.

D0 (or a preventive trajectory's start) spread evenly over ``JAREN`` years before the reference date, kinds
in the shares of ``MIX``, long-tailed durations, so that nearly everything older than a year is closed and
about 9 % is open; 2 % of the dossiers is "forgotten" and stays open. Each trajectory gets its parts: 1-4
conversations, 0-2 assessments, a stappenplan with 1-3 measures after most positive assessments,
welzijnsactoren, a rare extension, relapses, evaluations after a return and, for formal trajectories, the
formal course at every stage. Only planned dates may lie after the reference date.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from .. import deadlines as dl
from .. import factories as f
from ..models import Betrokkenheid, FormeelVerloop, Gesprek, Maatregel, Traject
from .bouwer import Keuze, dagen
from .gegevens import OMGEZET_REDEN, UITKOMST_REDENEN

JAREN = 10
CHUNK = 5000  # trajectories built in memory before they are written

# Share of the trajectories per kind. "voortgezet" formal trajectories continue an informal one, which is
# generated too and counts in "informeel" (so the informal share stays 85 %).
MIX = {"informeel": 0.85, "overschrijdend": 0.05, "formeel": 0.04, "preventief": 0.06}
VOORTGEZET_SHARE = 0.40  # of the formal trajectories
FORGOTTEN = 0.02  # dossiers that are never closed
RELAPSE = 0.09  # of the trajectories with a long enough absence (about 8 % of all)

T, F, B = Traject, FormeelVerloop, Betrokkenheid.Actor
UITKOMST_INFORMEEL = Keuze(
    [
        (T.Uitkomst.ZELFDE_FUNCTIE, 60),
        (T.Uitkomst.ANDERE_FUNCTIE, 14),
        (T.Uitkomst.ANDERE_ENTITEIT, 2),
        (T.Uitkomst.GEEN_TERUGKEER, 24),
    ]
)
UITKOMST_OVERSCHRIJDEND = Keuze(
    [
        (T.Uitkomst.ANDERE_ENTITEIT, 50),
        (T.Uitkomst.ZELFDE_FUNCTIE, 20),
        (T.Uitkomst.ANDERE_FUNCTIE, 10),
        (T.Uitkomst.GEEN_TERUGKEER, 20),
    ]
)
UITKOMST_PREVENTIEF = Keuze(
    [(T.Uitkomst.ZELFDE_FUNCTIE, 82), (T.Uitkomst.ANDERE_FUNCTIE, 13), (T.Uitkomst.GEEN_TERUGKEER, 5)]
)
VORM_ZELFDE = Keuze(
    [(T.HervattingVorm.VOLLEDIG, 45), (T.HervattingVorm.PROGRESSIEF, 40), (T.HervattingVorm.AANGEPAST, 15)]
)
AANTAL_GESPREKKEN = Keuze([(1, 25), (2, 35), (3, 25), (4, 15)])
ACTOR = Keuze(
    [
        (B.HR, 25),
        (B.ARBEIDSARTS, 25),
        (B.PSYCHOSOCIAAL, 12),
        (B.VERTROUWENSPERSOON, 8),
        (B.ERGONOMIE, 8),
        (B.VEERKRACHTCOACH, 8),
        (B.SOCIALE_DIENST, 5),
        (B.DIVERSITEIT, 3),
        (B.SMT, 4),
        (B.AGO, 2),
    ]
)
AANVRAGER = Keuze(
    [(F.Aanvrager.PERSONEELSLID, 55), (F.Aanvrager.ENTITEIT, 35), (F.Aanvrager.BEHANDELEND_ARTS, 10)]
)
BEOORDELING = Keuze(
    [(F.Beoordeling.TIJDELIJK, 50), (F.Beoordeling.DEFINITIEF, 35), (F.Beoordeling.ANDERE, 15)]
)


@dataclass(frozen=True)
class Slot:
    start: date  # D0, or the start of a preventive trajectory
    kind: str  # informeel, overschrijdend, formeel, voortgezet, preventief
    code: str
    doel: str | None


class Verdeling:
    """Mixin of ``Bouwer``: trajectories drawn from the distribution."""

    def verdeelde_trajecten(self, n: int, schrijf, say=None) -> None:
        self.bouw_slots(self.slots(n), schrijf, say)

    def bouw_slots(self, slots: list[Slot], schrijf, say=None) -> None:
        """Build the trajectories of ``slots`` in their order, writing every ``CHUNK``."""
        for i, slot in enumerate(slots, start=1):
            if slot.kind in ("informeel", "overschrijdend"):
                self.informal(slot)
            elif slot.kind == "preventief":
                self.preventive(slot)
            else:
                self.formal(slot, continued=slot.kind == "voortgezet")
            if i % CHUNK == 0 or i == len(slots):
                schrijf()
                if say and (i % (CHUNK * 4) == 0 or i == len(slots)):
                    say(f"{i:>9,} / {len(slots):,} trajectories")

    def slots(self, n: int) -> list[Slot]:
        """What to generate, in D0 order (so primary keys grow with time, as in production)."""
        rng = self.rng
        window = (self.ref - dl.add_months(self.ref, -12 * JAREN)).days
        n_formeel = round(n * MIX["formeel"])
        n_voortgezet = round(n_formeel * VOORTGEZET_SHARE)
        n_preventief = round(n * MIX["preventief"])
        n_overschrijdend = round(n * MIX["overschrijdend"])
        n_informeel = n - n_formeel - n_preventief - n_overschrijdend - n_voortgezet
        kinds = (
            ["informeel"] * n_informeel
            + ["overschrijdend"] * n_overschrijdend
            + ["formeel"] * (n_formeel - n_voortgezet)
            + ["voortgezet"] * n_voortgezet
            + ["preventief"] * n_preventief
        )
        rng.shuffle(kinds)
        out = []
        for kind in kinds:
            code = self.kies(rng)
            doel = self.andere_entiteit(code) if kind == "overschrijdend" and len(self.codes) > 1 else None
            out.append(Slot(self.ref - dagen(self.r(0, window)), kind, code, doel))
        order = sorted(range(len(out)), key=lambda i: (out[i].start, i))
        return [out[i] for i in order]

    # --- parts -----------------------------------------------------------------------------------------

    def lognormal_days(self, median: float, sigma: float, lo: int = 1) -> int:
        return max(lo, int(self.rng.lognormvariate(math.log(median), sigma)))

    def conversations(self, t, start: date, end: date, n: int, info: bool) -> None:
        """Up to ``n`` conversations between ``start`` and ``end`` (at least one)."""
        if info and (start + dagen(10)) <= end:  # one of the n, or a second one when n is 1
            self.gesprek(
                t, self.tussen(start + dagen(10), min(end, start + dagen(35))), Gesprek.Soort.INFO_ARBEIDSARTS
            )
            n = max(1, n - 1)
        x = self.r(0, 99)
        first = start + dagen(self.r(21, 45) if x < 70 else self.r(46, 62) if x < 90 else self.r(63, 120))
        if first > end:
            first = self.tussen(start, end)
        d = first
        for k in range(n):
            if d > end:
                break
            soort = Gesprek.Soort.CONTACT if self.p(0.35 if k == 0 else 0.4) else Gesprek.Soort.GESPREK
            self.gesprek(t, d, soort)
            d = d + dagen(self.r(10, 45))

    def assessments(self, t, d0: date, end: date):
        """0-2 assessments between D0 and ``end``; returns the first positive one (or None)."""
        x = self.r(0, 99)
        a = d0 + dagen(self.r(30, 110) if x < 75 else self.r(111, 125) if x < 90 else self.r(126, 220))
        if a > end or self.p(0.08):
            return None
        for k in range(2):
            positive = self.p(0.6 if k == 0 else 0.65)
            volgend = None if positive else a + dagen(self.r(14, 45))
            ins = self.inschatting(t, a, positive, volgend, gesprek=False)
            self.stats["inschatting_positief" if positive else "inschatting_nog_niet"] += 1
            if positive:
                return ins
            nxt = volgend + dagen(self.r(-3, 20))
            if nxt <= a or nxt > end:
                return None
            a = nxt
        return None

    def plan(
        self, t, inschatting, end: date, ret: date | None, crossing: bool, na: date | None = None
    ) -> None:
        """A stappenplan after the positive assessment, before the return."""
        a = inschatting.datum
        s = a + dagen(self.r(7, 55) if self.p(0.85) else self.r(62, 110))
        if na is not None:  # after an extension granted on ``na``
            s = max(s, na + dagen(self.r(1, 20)))
            if ret is not None and s > ret:
                return
        elif ret is not None and s > ret:
            s = self.tussen(a, ret)
        if s > end:
            return
        target = ret if ret is not None and ret >= s else s + dagen(self.r(0, 45))
        soorten = [Maatregel.Soort.ANDERE_ENTITEIT] if crossing else []
        self.stappenplan(t, inschatting, s, soorten=soorten, n=self.r(1, 3), hervatting=target)

    def actors(self, t, start: date, end: date, forced=()) -> None:
        """Welzijnsactoren: ``forced`` ones ((actor, from, to) each), and in a third of the dossiers 1-2 more."""
        chosen = list(forced)
        if self.p(0.35):
            for _ in range(self.r(1, 2)):
                chosen.append((ACTOR(self.rng), start, end))
        for actor, lo, hi in chosen:  # distinct actors: betrokken() skips one already involved
            self.betrokken(t, self.tussen(lo, hi), actor)

    def relapse(self, t, d0: date, end: date) -> None:
        """A relapse within the incapacity ``d0``..``end``: some within the 14 days after the resumption."""
        span = (end - d0).days
        if span < 30 or not self.p(RELAPSE):
            return
        hervat = d0 + dagen(self.r(14, span - 16))
        gap = min(self.r(1, 13) if self.p(0.4) else self.r(14, 150), (end - hervat).days - 1)
        if gap < 1:
            return
        self.herval(t, hervat, hervat + dagen(gap))
        self.stats["herval_binnen_14_dagen" if gap < 14 else "herval_later"] += 1

    def evaluations(self, t, ret: date, end: date) -> None:
        if not self.p(0.8):
            return
        d = ret + dagen(self.r(14, 45))
        for _ in range(self.r(1, 3)):
            if d > end:
                break
            self.evaluatie(t, d)
            d = d + dagen(self.r(21, 60))

    # --- trajectories ----------------------------------------------------------------------------------

    def verdeeld_traject(
        self, slot: Slot, soort: str, *, d0, closure, uitkomst, ret, vorm, reg, persoon=None, **extra
    ):
        """The Traject. ``closure`` on or before the reference date closes it; ``ret`` is the return."""
        ref = self.ref
        closed = closure is not None and closure <= ref
        returned = ret is not None and ret <= ref
        t = self.traject(
            slot.code,
            soort,
            persoon=persoon or self.persoon(slot.code, uniek=not closed),
            status=T.Status.AFGESLOTEN if closed else T.Status.OPVOLGING if returned else T.Status.LOPEND,
            doel_entiteit=self.entiteiten[slot.doel] if slot.doel is not None else None,
            d0=d0,
            werkhervatting_op=ret if returned else None,
            werkhervatting_vorm=vorm if returned else "",
            afgesloten_op=closure if closed else None,
            uitkomst=uitkomst if closed else "",
            uitkomst_reden=self.reden(uitkomst) if closed else "",
            aangemaakt_op=self.stempel(min(reg, ref), 9),
            **extra,
        )
        if returned and d0 is not None:
            self.gezondheidstoezicht(t, ret, closure if closed else ref)
        return t

    def vergeten(self, closure: date, kans: float = FORGOTTEN) -> date | None:
        """A closed dossier is now and then forgotten: never closed (None)."""
        if closure <= self.ref and self.p(kans):
            self.stats["vergeten"] += 1
            return None
        return closure

    def reden(self, uitkomst: str) -> str:
        if uitkomst == T.Uitkomst.OMGEZET_FORMEEL:
            return OMGEZET_REDEN
        if uitkomst == T.Uitkomst.GEEN_TERUGKEER:
            return self.rng.choice(UITKOMST_REDENEN[uitkomst])
        return ""

    def return_form(self, uitkomst: str) -> str:
        if uitkomst == T.Uitkomst.ANDERE_ENTITEIT:
            return T.HervattingVorm.ANDERE_ENTITEIT
        if uitkomst == T.Uitkomst.ANDERE_FUNCTIE:
            return T.HervattingVorm.ANDERE_FUNCTIE
        return VORM_ZELFDE(self.rng)

    def informal(self, slot: Slot, omgezet_op: date | None = None, persoon=None):
        """An informal trajectory; with ``omgezet_op`` the source of a formal one, closed that day."""
        rng, ref, d0 = self.rng, self.ref, slot.start
        crossing = slot.doel is not None
        ret = None
        if omgezet_op is not None:
            uitkomst, closure = T.Uitkomst.OMGEZET_FORMEEL, omgezet_op
        else:
            uitkomst = (UITKOMST_OVERSCHRIJDEND if crossing else UITKOMST_INFORMEEL)(rng)
            if uitkomst == T.Uitkomst.GEEN_TERUGKEER:
                closure = d0 + dagen(self.lognormal_days(220, 0.8, lo=14))
            else:
                ret = d0 + dagen(self.lognormal_days(90, 0.9))
                closure = ret + dagen(int(rng.triangular(14, 240, 60)))
            closure = self.vergeten(closure)
        t = self.verdeeld_traject(
            slot,
            T.Soort.INFORMEEL,
            d0=d0,
            closure=closure,
            uitkomst=uitkomst,
            ret=ret,
            vorm=self.return_form(uitkomst),
            reg=d0 + dagen(self.r(0, 14)),
            persoon=persoon,
        )
        last = t.afgesloten_op or ref
        absent_until = min(
            t.werkhervatting_op or last, last
        )  # the absence: from D0 to the return (or the end)
        self.conversations(t, d0, absent_until, AANTAL_GESPREKKEN(rng), info=self.p(0.8))
        positive = self.assessments(t, d0, absent_until)
        forced = [(B.AGO, d0, absent_until)] if crossing else []
        if crossing:
            aanmelding_op = self.tussen(d0, absent_until)
            self.naar_ago(t, slot.code, aanmelding_op)
        if positive is not None:
            granted = None  # an extension is granted while the stappenplan term runs: before the plan
            if self.p(0.05):
                granted = positive.datum + dagen(self.r(35, 55))
                if granted <= absent_until:
                    self.verlenging(
                        t, positive, granted, dl.add_months(positive.datum, 2) + dagen(self.r(21, 60))
                    )
                    forced.append((B.SMT, positive.datum, granted))  # a complex dossier: the SMT advises
                else:
                    granted = None
            if self.p(0.8):
                self.plan(t, positive, absent_until, t.werkhervatting_op, crossing, na=granted)
        self.actors(t, d0, absent_until, forced)
        self.relapse(t, d0, absent_until)
        if t.werkhervatting_op is not None:
            self.evaluations(t, t.werkhervatting_op, last)
        return t

    def preventive(self, slot: Slot) -> None:
        ref, start = self.ref, slot.start
        uitkomst = UITKOMST_PREVENTIEF(self.rng)
        closure = start + dagen(self.lognormal_days(70, 0.8, lo=7))
        closure = self.vergeten(closure)
        t = self.verdeeld_traject(
            slot,
            T.Soort.PREVENTIEF,
            d0=None,
            closure=closure,
            uitkomst=uitkomst,
            ret=None,
            vorm="",
            reg=start,
        )
        last = t.afgesloten_op or ref
        d = start
        for _ in range(AANTAL_GESPREKKEN(self.rng)):
            if d > last:
                break
            self.gesprek(t, d)
            d = d + dagen(self.r(14, 45))
        if self.p(0.25):
            a = start + dagen(self.r(7, 60))
            if a <= last:
                ins = self.inschatting(t, a, True, gesprek=False)
                if self.p(0.6):
                    self.plan(t, ins, last, None, False)
        if self.p(0.4):
            actor = self.rng.choice((B.PSYCHOSOCIAAL, B.VERTROUWENSPERSOON, B.VEERKRACHTCOACH, B.ARBEIDSARTS))
            self.betrokken(t, self.tussen(start, last), actor)

    def formal(self, slot: Slot, continued: bool) -> None:
        rng, ref, d0 = self.rng, self.ref, slot.start
        room = (ref - d0).days
        aanvrager = AANVRAGER(rng)
        three_months = (dl.add_months(d0, 3) - d0).days
        if aanvrager == F.Aanvrager.ENTITEIT:
            lag = three_months + self.r(0, 120)  # the entity: after 3 months of uninterrupted incapacity
        else:
            lag = int(rng.triangular(7, 300, 90))
        if lag > room:
            lag = self.r(0, room)
            if aanvrager == F.Aanvrager.ENTITEIT and lag < three_months:
                aanvrager = F.Aanvrager.PERSONEELSLID
        request = d0 + dagen(lag)

        # The course as it will go; only what happened by the reference date is recorded.
        b = request + dagen(self.r(10, 49) if self.p(0.85) else self.r(50, 90))
        b_rec = b + dagen(self.r(0, 7))
        beoordeling = BEOORDELING(rng)
        plan = plan_rec = answer = None
        plan_soort = antwoord = ""
        ret = None
        if beoordeling == F.Beoordeling.ANDERE:
            closure = b_rec + dagen(self.r(14, 90))
            uitkomst = T.Uitkomst.GEEN_TERUGKEER if self.p(0.6) else T.Uitkomst.ZELFDE_FUNCTIE
        else:
            if beoordeling == F.Beoordeling.TIJDELIJK:
                plan = b_rec + dagen(self.r(20, 63) if self.p(0.8) else self.r(64, 110))
                plan_soort = F.PlanSoort.PLAN if self.p(0.8) else F.PlanSoort.VERSLAG
            else:
                plan = b_rec + dagen(self.r(30, 183) if self.p(0.85) else self.r(184, 260))
                plan_soort = F.PlanSoort.PLAN if self.p(0.55) else F.PlanSoort.VERSLAG
            plan_rec = plan + dagen(self.r(0, 5))
            if plan_soort == F.PlanSoort.VERSLAG:
                closure = plan_rec + dagen(self.r(14, 90))
                uitkomst = T.Uitkomst.GEEN_TERUGKEER if self.p(0.8) else T.Uitkomst.ANDERE_FUNCTIE
            else:
                answer = plan_rec + dagen(self.r(2, 14) if self.p(0.85) else self.r(15, 30))
                antwoord = F.Antwoord.AKKOORD if self.p(0.75) else F.Antwoord.WEIGERING
                if antwoord == F.Antwoord.WEIGERING:
                    closure = answer + dagen(self.r(14, 60))
                    uitkomst = T.Uitkomst.GEEN_TERUGKEER
                else:
                    x = self.r(0, 99)
                    uitkomst = (
                        T.Uitkomst.ZELFDE_FUNCTIE
                        if x < 45
                        else T.Uitkomst.ANDERE_FUNCTIE
                        if x < 92
                        else T.Uitkomst.ANDERE_ENTITEIT
                    )
                    ret = answer + dagen(self.r(7, 45))
                    closure = ret + dagen(self.r(30, 200))
        if uitkomst != T.Uitkomst.GEEN_TERUGKEER and ret is None:
            ret = closure - dagen(self.r(1, 14))
        closure = self.vergeten(closure, FORGOTTEN * 2)

        vorm = self.return_form(uitkomst)
        if uitkomst == T.Uitkomst.ZELFDE_FUNCTIE:
            vorm = T.HervattingVorm.AANGEPAST if self.p(0.7) else T.HervattingVorm.PROGRESSIEF
        definitief = (
            b_rec if beoordeling == F.Beoordeling.DEFINITIEF and b_rec <= ref and self.p(0.5) else None
        )
        bron = None
        if continued:  # the informal trajectory of the same staff member, closed when this one started
            persoon = self.persoon(slot.code, uniek=closure is None or closure > ref)
            bron = self.informal(slot, omgezet_op=max(d0, request - dagen(self.r(0, 10))), persoon=persoon)
        t = self.verdeeld_traject(
            slot,
            T.Soort.FORMEEL,
            d0=d0,
            closure=closure,
            uitkomst=uitkomst,
            ret=ret,
            vorm=vorm,
            reg=request,
            definitieve_ongeschiktheid_op=definitief,
            persoon=bron.personeelslid if bron is not None else None,
            voortgezet_van=bron,
        )

        def happened(d):
            return d if d is not None and d <= ref else None

        beoordeling_op = happened(b)
        plan_op = happened(plan)
        antwoord_op = happened(answer)
        self.bouw(
            f.FormeelVerloopFactory,
            self.formeel,
            traject=t,
            aanvrager=aanvrager,
            aanvraag_ontvangen_op=request,
            beoordeling_op=beoordeling_op,
            beoordeling_ontvangen_op=happened(b_rec) if beoordeling_op else None,
            beoordeling=beoordeling if beoordeling_op else "",
            plan_op=plan_op,
            plan_soort=plan_soort if plan_op else "",
            plan_ontvangen_op=happened(plan_rec) if plan_op else None,
            antwoord_op=antwoord_op,
            antwoord=antwoord if antwoord_op else "",
        )
        stadium = (
            "antwoord"
            if antwoord_op
            else "plan"
            if plan_op
            else "beoordeling"
            if beoordeling_op
            else "aanvraag"
        )
        self.stats["formeel_stadium_" + stadium] += 1
        last = t.afgesloten_op or ref
        absent_until = min(t.werkhervatting_op or last, last)
        d = self.tussen(d0, min(absent_until, d0 + dagen(60)))
        for _ in range(self.r(1, 3)):
            if d > absent_until:
                break
            self.gesprek(t, d, Gesprek.Soort.CONTACT if self.p(0.6) else Gesprek.Soort.GESPREK)
            d = d + dagen(self.r(14, 60))
        self.actors(
            t, d0, absent_until, forced=[(B.ARBEIDSARTS, request, min(absent_until, request + dagen(30)))]
        )
        if t.werkhervatting_op is not None:
            self.evaluations(t, t.werkhervatting_op, last)
