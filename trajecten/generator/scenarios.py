"""Trajectories from fixed scenarios, chosen round-robin (and within a scenario its variants round-robin
too), so that every state of every deadline rule in ``trajecten.deadlines`` appears: the demo's recipe.

Registered events (conversations, assessments, plans, returns, ...) lie between D0 and the reference date;
only planned dates (next conversation, extended term, target return, end of a measure) may lie after it.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from .. import deadlines as dl
from .. import factories as f
from ..models import Betrokkenheid, FormeelVerloop, Gesprek, Maatregel, Traject
from .bouwer import _AUTO, dagen
from .gegevens import OMGEZET_REDEN

CHUNK = 5000

# One round of the round-robin; "entiteitsoverschrijdend" joins every third round (about 5 % of the
# informal trajectories, together with the closed ones that ended in another entity).
SCENARIOS = (
    "vers",
    "info_arbeidsarts",
    "eerste_gesprek",
    "gesprek_2_maanden",
    "nog_niet_mogelijk",
    "stappenplan",
    "stappenplan_gemist",
    "verlenging",
    "niets_na_4_maanden",
    "werkhervatting",
    "herval",
    "afgesloten",
    "formeel",
    "preventief",
    "afgesloten",
    "formeel",
)
OVERSCHRIJDEND_ELKE = 3

FORMEEL_VARIANTEN = (
    "aanvraag",
    "tijdelijk",
    "plan_wacht",
    "akkoord",
    "definitief",
    "weigering",
    "verslag",
    "afgesloten",
    "andere",
)


def scenario_volgorde(n_rondes: int):
    for ronde in range(n_rondes):
        yield from SCENARIOS
        if ronde % OVERSCHRIJDEND_ELKE == 0:
            yield "entiteitsoverschrijdend"


class Scenarios:
    """Mixin of ``Bouwer``: the scenarios."""

    def datum_met_termijn(self, maanden: int, lo: int, hi: int) -> date:
        """A start date X such that X + ``maanden`` calendar months ends ``lo``..``hi`` days after the reference."""
        offsets = list(range(lo, hi + 1))
        self.rng.shuffle(offsets)
        for off in offsets:
            einde = self.ref + dagen(off)
            start = dl.add_months(einde, -maanden)
            if dl.add_months(start, maanden) == einde:
                return start
        raise AssertionError(f"geen startdatum met termijn {maanden} maanden in {lo}..{hi} dagen")

    def variant(self, naam: str, aantal: int) -> int:
        v = self.teller[naam] % aantal
        self.teller[naam] += 1
        return v

    def scenario_trajecten(self, n: int, schrijf) -> None:
        """``n`` trajectories from the scenarios, round-robin; ``schrijf()`` is called after every chunk."""
        volgorde = scenario_volgorde(n + 1)
        gemaakt = 0
        while gemaakt < n:
            self.scenario = next(volgorde)
            code = self.kies(self.rng)
            voor = len(self.trajecten)
            getattr(self, "s_" + self.scenario)(code, ruimte=n - gemaakt)
            nieuw = len(self.trajecten) - voor
            self.per_scenario[self.scenario] += nieuw
            gemaakt += nieuw
            if len(self.trajecten) >= CHUNK:
                schrijf()

    def s_vers(self, code, ruimte):
        """Just registered, nothing happened yet: every term still runs."""
        v = self.variant("vers", 3)
        t = self.traject(code)
        t.d0 = self.geleden(0, 20)
        if v >= 1:
            self.contacten(t, t.d0 + dagen(1), self.ref, 1, door=Gesprek.Door.LEIDINGGEVENDE)
        if v == 2:
            self.betrokken(t, self.tussen(t.d0, self.ref))

    def s_info_arbeidsarts(self, code, ruimte):
        """Around D0 + 4 weeks: the arbeidsarts's information due soon, missed, met or met late."""
        v = self.variant("info", 4)
        t = self.traject(code)
        if v == 0:
            t.d0 = self.geleden(22, 27)  # due within 7 days
        elif v == 1:
            t.d0 = self.geleden(29, 35)  # missed
        elif v == 2:
            leeftijd = self.r(24, 35)
            t.d0 = self.ref - dagen(leeftijd)
            self.info(t, 14, min(27, leeftijd))
        else:
            leeftijd = self.r(31, 35)
            t.d0 = self.ref - dagen(leeftijd)
            self.info(t, 29, leeftijd)  # late
        if self.rng.random() < 0.5:
            self.contacten(t, t.d0 + dagen(3), self.ref, 1)

    def s_eerste_gesprek(self, code, ruimte):
        """First conversation in the recommended window of 4 to 6 weeks."""
        v = self.variant("eerste_gesprek", 3)
        t = self.traject(code)
        dag = self.r(30, 40)
        t.d0 = self.ref - dagen(dag + self.r(0, 20))
        if v != 2:
            self.info(t)
        self.contacten(t, t.d0 + dagen(3), t.d0 + dagen(dag - 1), self.r(0, 2))
        self.gesprek(t, t.d0 + dagen(dag))

    def s_gesprek_2_maanden(self, code, ruimte):
        """The conversation of D0 + 2 months due soon or missed; or the assessment of D0 + 4 months due soon."""
        v = self.variant("gesprek_2_maanden", 3)
        t = self.traject(code)
        if v == 0:
            t.d0 = self.datum_met_termijn(2, 0, 6)
            self.info(t)
            self.contacten(t, t.d0 + dagen(7), self.ref, self.r(0, 2))
        elif v == 1:
            t.d0 = self.geleden(63, 110)
            if self.rng.random() < 0.6:
                self.info(t)
            self.contacten(t, t.d0 + dagen(7), self.ref, self.r(1, 3))
        else:
            t.d0 = self.datum_met_termijn(4, 0, 6)
            self.info(t)
            self.gesprek(t, t.d0 + dagen(self.r(35, 55)))
            self.contacten(t, t.d0 + dagen(60), self.ref, self.r(0, 2))

    def s_nog_niet_mogelijk(self, code, ruimte):
        """Steps not yet possible: the next conversation planned (not yet due, due soon), missed, or held."""
        v = self.variant("nog_niet_mogelijk", 4)
        t = self.traject(code)
        if v == 0:
            a, volgend = self.geleden(3, 30), self.ref + dagen(self.r(10, 40))
        elif v == 1:
            a, volgend = self.geleden(7, 35), self.ref + dagen(self.r(0, 6))
        elif v == 2:
            volgend = self.geleden(3, 25)
            a = volgend - dagen(self.r(14, 35))
        else:
            a = self.geleden(40, 70)
            volgend = a + dagen(self.r(14, 28))
        t.d0 = a - dagen(self.r(35, 60))
        self.info(t)
        self.contacten(t, t.d0 + dagen(5), a - dagen(1), self.r(0, 2))
        self.inschatting(t, a, False, volgend)
        if v == 3:  # the planned conversation took place; steps still not possible, next one planned
            tweede = volgend - dagen(self.r(0, 5))
            self.inschatting(t, tweede, False, self.ref + dagen(self.r(10, 35)))
        elif v != 2:
            self.contacten(t, a + dagen(1), self.ref, self.r(0, 1))
        if self.rng.random() < 0.5:
            self.betrokken(t, self.tussen(a, self.ref))

    def s_stappenplan(self, code, ruimte):
        """Steps possible: a stappenplan within 2 months, or still to be made (not yet due, due soon)."""
        v = self.variant("stappenplan", 3)
        t = self.traject(code)
        if v == 0:
            s = self.geleden(0, 60)
            a = s - dagen(self.r(7, 50))
        elif v == 1:
            a = self.geleden(5, 45)
        else:
            a = self.datum_met_termijn(2, 0, 6)
        t.d0 = a - dagen(self.r(30, 70))
        self.info(t)
        self.contacten(t, t.d0 + dagen(5), a - dagen(1), self.r(0, 2))
        i = self.inschatting(t, a, True)
        self.betrokken(t, self.tussen(a, self.ref))
        if v == 0:
            self.stappenplan(t, i, s)
        else:
            self.contacten(t, a + dagen(1), self.ref, self.r(0, 1), door=Gesprek.Door.COACH)

    def s_stappenplan_gemist(self, code, ruimte):
        """Steps possible more than 2 months ago and no stappenplan: the formal trajectory becomes mandatory."""
        t = self.traject(code)
        a = self.geleden(65, 130)
        t.d0 = a - dagen(self.r(30, 70))
        self.info(t)
        self.inschatting(t, a, True)
        self.contacten(t, a + dagen(7), self.ref, self.r(1, 3))
        if self.rng.random() < 0.4:
            self.betrokken(t, self.tussen(a, self.ref))

    def s_verlenging(self, code, ruimte):
        """As above, but the stappenplan term was extended (advice of SMT and ergonomist)."""
        v = self.variant("verlenging", 3)
        t = self.traject(code)
        if v in (0, 1):
            a = self.geleden(62, 110)
            toegekend = a + dagen(self.r(35, 55))
            nieuw = self.ref + dagen(self.r(10, 60) if v == 0 else self.r(0, 6))
        else:
            a = self.geleden(100, 140)
            toegekend = a + dagen(self.r(40, 55))
            nieuw = toegekend + dagen(self.r(40, 60))
        t.d0 = a - dagen(self.r(30, 70))
        self.info(t)
        i = self.inschatting(t, a, True)
        self.betrokken(t, a + dagen(self.r(5, 30)), Betrokkenheid.Actor.SMT)
        self.betrokken(t, a + dagen(self.r(5, 30)), Betrokkenheid.Actor.ERGONOMIE)
        self.verlenging(t, i, toegekend, nieuw)
        if v == 2:  # the plan came within the extended term
            plan = min(nieuw, self.ref) - dagen(self.r(0, 5))
            self.stappenplan(t, i, plan, soorten=[Maatregel.Soort.WERKPLEK])
        else:
            self.contacten(t, toegekend + dagen(1), self.ref, self.r(0, 2))

    def s_niets_na_4_maanden(self, code, ruimte):
        """Four months and more without an assessment (at most some contacts)."""
        v = self.variant("niets", 3)
        t = self.traject(code)
        t.d0 = self.geleden(125, 200)
        if v == 1:
            self.info(t)
        if v != 2:
            self.contacten(t, t.d0 + dagen(7), self.ref, self.r(1, 3), door=Gesprek.Door.LEIDINGGEVENDE)

    def s_werkhervatting(self, code, ruimte):
        """Back at work: status opvolging, with evaluations of the agreements."""
        v = self.variant("werkhervatting", 4)
        vorm, soorten = (
            (Traject.HervattingVorm.VOLLEDIG, [Maatregel.Soort.AANGEPASTE_TAKEN]),
            (Traject.HervattingVorm.PROGRESSIEF, [Maatregel.Soort.PROGRESSIEF]),
            (Traject.HervattingVorm.AANGEPAST, [Maatregel.Soort.WERKPLEK, Maatregel.Soort.AANGEPASTE_UREN]),
            (Traject.HervattingVorm.ANDERE_FUNCTIE, [Maatregel.Soort.ANDERE_FUNCTIE]),
        )[v]
        t = self.traject(code)
        w = self.geleden(14, 200)
        s = w - dagen(self.r(3, 40))
        a = s - dagen(self.r(7, 40))
        t.d0 = a - dagen(self.r(30, 70))
        self.info(t)
        self.contacten(t, t.d0 + dagen(5), a - dagen(1), self.r(0, 2))
        i = self.inschatting(t, a, True)
        if vorm == Traject.HervattingVorm.PROGRESSIEF:
            self.betrokken(t, a, Betrokkenheid.Actor.ARBEIDSARTS)
        else:
            self.betrokken(t, self.tussen(a, s))
        self.stappenplan(t, i, s, soorten=soorten, hervatting=w)
        self.hervat(t, w, vorm)

    def s_herval(self, code, ruimte):
        """Relapse after a return: within 14 days (not interrupting) or later (interrupting the 3 months)."""
        v = self.variant("herval", 2)
        t = self.traject(code)
        h = self.geleden(5, 90)
        hervat = h - dagen(self.r(5, 13) if v == 0 else self.r(20, 60))
        s = hervat - dagen(self.r(3, 30))
        a = s - dagen(self.r(7, 40))
        t.d0 = a - dagen(self.r(30, 70))
        self.info(t)
        i = self.inschatting(t, a, True)
        self.stappenplan(t, i, s, hervatting=hervat)
        self.herval(t, hervat, h)
        self.contacten(t, h + dagen(1), self.ref, 1, door=Gesprek.Door.COACH)
        if self.rng.random() < 0.5:
            self.betrokken(t, self.tussen(h, self.ref))

    def s_afgesloten(self, code, ruimte):
        """Closed, each of the four outcomes; closing dates spread over the last three years."""
        v = self.variant("afgesloten", 4)
        uitkomst = (
            Traject.Uitkomst.ZELFDE_FUNCTIE,
            Traject.Uitkomst.ANDERE_FUNCTIE,
            Traject.Uitkomst.ANDERE_ENTITEIT,
            Traject.Uitkomst.GEEN_TERUGKEER,
        )[v]
        t = self.traject(code)
        c = self.geleden(0, 1095)
        if uitkomst == Traject.Uitkomst.GEEN_TERUGKEER:
            a = c - dagen(self.r(20, 120))
            t.d0 = a - dagen(self.r(30, 70))
            self.info(t)
            self.contacten(t, t.d0 + dagen(5), a - dagen(1), self.r(1, 2))
            self.inschatting(t, a, False, a + dagen(self.r(14, 30)))
            self.contacten(t, a + dagen(1), c, self.r(0, 2))
            self.betrokken(t, self.tussen(a, c))
            self.sluit(t, c, uitkomst)
            return
        vorm, soorten = {
            Traject.Uitkomst.ZELFDE_FUNCTIE: (
                self.rng.choice([Traject.HervattingVorm.VOLLEDIG, Traject.HervattingVorm.PROGRESSIEF]),
                [],
            ),
            Traject.Uitkomst.ANDERE_FUNCTIE: (
                Traject.HervattingVorm.ANDERE_FUNCTIE,
                [Maatregel.Soort.ANDERE_FUNCTIE],
            ),
            Traject.Uitkomst.ANDERE_ENTITEIT: (
                Traject.HervattingVorm.ANDERE_ENTITEIT,
                [Maatregel.Soort.ANDERE_ENTITEIT],
            ),
        }[uitkomst]
        w = c - dagen(self.r(30, 150))
        s = w - dagen(self.r(3, 30))
        a = s - dagen(self.r(7, 40))
        t.d0 = a - dagen(self.r(30, 70))
        self.info(t)
        self.contacten(t, t.d0 + dagen(5), a - dagen(1), self.r(0, 2))
        i = self.inschatting(t, a, True)
        if uitkomst == Traject.Uitkomst.ANDERE_ENTITEIT:
            self.naar_ago(t, code, a)
            self.betrokken(t, a, Betrokkenheid.Actor.AGO)
        else:
            self.betrokken(t, self.tussen(a, s))
        self.stappenplan(t, i, s, soorten=soorten, hervatting=w)
        self.hervat(t, w, vorm, tot=c)
        self.sluit(t, c, uitkomst)

    def s_preventief(self, code, ruimte):
        """Still at work but at risk of dropping out: no D0, no clock; contacts and sometimes a plan."""
        v = self.variant("preventief", 3)
        t = self.traject(code, soort=dl.PREVENTIEF)
        if v == 2:
            start = self.geleden(60, 700)
        else:
            start = self.geleden(5, 200)
        t.aangemaakt_op = self.stempel(start, 9)
        self.gesprek(t, start, Gesprek.Soort.CONTACT, door=Gesprek.Door.LEIDINGGEVENDE)
        self.contacten(t, start + dagen(1), start + dagen(25 if v == 2 else 120), self.r(0, 2))
        if v >= 1:
            g = self.tussen(start, start + dagen(30))
            i = self.inschatting(t, g, True)
            self.betrokken(
                t,
                g,
                self.rng.choice(
                    [Betrokkenheid.Actor.VEERKRACHTCOACH, Betrokkenheid.Actor.VERTROUWENSPERSOON]
                ),
            )
            soort = self.rng.choice(
                [Maatregel.Soort.AANGEPASTE_UREN, Maatregel.Soort.AANGEPASTE_TAKEN, Maatregel.Soort.WERKPLEK]
            )
            s = self.tussen(g, g + dagen(30))
            self.stappenplan(t, i, s, soorten=[soort], n=1, hervatting=None)
            if v == 2:
                einde = min(s + dagen(self.r(30, 120)), self.ref)
                self.gesprek(
                    t, self.tussen(s, einde), Gesprek.Soort.CONTACT, door=Gesprek.Door.LEIDINGGEVENDE
                )
                self.sluit(
                    t,
                    einde,
                    Traject.Uitkomst.BLIJFT_WERKEN,
                    "Personeelslid blijft aan het werk met aangepaste afspraken",
                )

    def s_formeel(self, code, ruimte):
        """Formal trajectory at each stage of the KB procedure; some continue a closed informal one."""
        v = FORMEEL_VARIANTEN[self.variant("formeel", len(FORMEEL_VARIANTEN))]
        omzetten = ruimte >= 2 and self.teller["formeel"] % 2 == 1
        vr = SimpleNamespace(  # the formal course's fields; built with the factory at the end
            aanvrager=self.rng.choice(list(FormeelVerloop.Aanvrager)),
            beoordeling="",
            plan_soort="",
            plan_ontvangen_op=None,
            antwoord="",
        )
        tijdelijk_of_definitief = self.rng.choice([dl.BEOORDELING_TIJDELIJK, dl.BEOORDELING_DEFINITIEF])
        c = plan = antwoord = b = b_ontvangen = plan_ontvangen = None
        # the running term of the stage: 0 not yet due, 1 due within 7 days, 2 missed
        fase = self.variant("formeel_" + v, 3) if v in ("aanvraag", "tijdelijk", "plan_wacht") else 0
        if v == "aanvraag":  # assessment due 49 days after the request
            aanvraag = self.ref - dagen((self.r(0, 40), self.r(43, 49), self.r(50, 80))[fase])
        elif v in ("tijdelijk", "definitief", "andere"):
            if v == "tijdelijk":  # plan due 63 days after the assessment was received
                b_ontvangen = self.ref - dagen((self.r(0, 55), self.r(57, 63), self.r(64, 100))[fase])
            else:
                b_ontvangen = self.geleden(0, 120 if v == "definitief" else 75)
            b = b_ontvangen - dagen(self.r(0, 5))
            aanvraag = b - dagen(self.r(10, 49))
            vr.beoordeling = {
                "tijdelijk": dl.BEOORDELING_TIJDELIJK,
                "definitief": dl.BEOORDELING_DEFINITIEF,
            }.get(v, FormeelVerloop.Beoordeling.ANDERE)
        elif v in ("plan_wacht", "akkoord", "weigering", "verslag"):
            if v == "plan_wacht":  # answer due 14 days after the plan was received
                plan_ontvangen = self.ref - dagen((self.r(0, 6), self.r(7, 14), self.r(15, 30))[fase])
                plan = plan_ontvangen - dagen(self.r(0, 3))
            else:
                plan = self.geleden(16, 150)
            b = plan - dagen(self.r(20, 60))
            aanvraag = b - dagen(self.r(10, 45))
            vr.beoordeling = tijdelijk_of_definitief
        else:  # afgesloten
            c = self.geleden(30, 900)
            antwoord = c - dagen(self.r(10, 60))
            plan = antwoord - dagen(self.r(4, 16))
            b = plan - dagen(self.r(20, 60))
            aanvraag = b - dagen(self.r(10, 45))
            vr.beoordeling = tijdelijk_of_definitief

        persoon = self.persoon(code)
        voorganger = None
        if omzetten:
            voorganger = self.traject(code, persoon=persoon)
        t = self.traject(code, soort=dl.FORMEEL, persoon=persoon)
        if omzetten or vr.aanvrager == FormeelVerloop.Aanvrager.ENTITEIT:
            t.d0 = aanvraag - dagen(self.r(100, 240))  # the entity may ask after 3 months
        else:
            t.d0 = aanvraag - dagen(self.r(20, 240))
        if voorganger is not None:
            voorganger.d0 = t.d0
            voorganger.coach = t.coach
            voorganger.leidinggevende = t.leidinggevende
            self.scenario = "formeel (voorganger)"
            self.info(voorganger)
            a = t.d0 + dagen(self.r(30, 50))
            self.inschatting(voorganger, a, self.rng.random() < 0.5)
            self.contacten(voorganger, a + dagen(1), aanvraag, self.r(0, 2))
            # as the conversion in the app does it: closed on the day the request was received
            self.sluit(voorganger, aanvraag, Traject.Uitkomst.OMGEZET_FORMEEL, OMGEZET_REDEN)
            t.voortgezet_van = voorganger
            self.scenario = "formeel"

        vr.traject = t
        vr.aanvraag_ontvangen_op = self._op(t, aanvraag)
        self.betrokken(t, aanvraag, Betrokkenheid.Actor.ARBEIDSARTS)
        if v != "aanvraag":
            vr.beoordeling_op = self._op(t, b)
            vr.beoordeling_ontvangen_op = b_ontvangen or min(
                b + dagen(self.r(0, 5)), plan or self.ref, self.ref
            )
            if vr.beoordeling == dl.BEOORDELING_DEFINITIEF:
                t.definitieve_ongeschiktheid_op = b
        if plan is not None:
            vr.plan_op = self._op(t, plan)
            vr.plan_soort = dl.GEMOTIVEERD_VERSLAG if v == "verslag" else dl.PLAN
            self.betrokken(t, self.tussen(b, plan), Betrokkenheid.Actor.HR)
            if vr.plan_soort == dl.PLAN:
                vr.plan_ontvangen_op = plan_ontvangen or min(plan + dagen(self.r(0, 3)), self.ref)
        if v in ("akkoord", "weigering", "afgesloten"):
            antwoord = antwoord or min(vr.plan_ontvangen_op + dagen(self.r(1, 14)), self.ref)
            vr.antwoord_op = self._op(t, antwoord)
            vr.antwoord = (
                FormeelVerloop.Antwoord.WEIGERING if v == "weigering" else FormeelVerloop.Antwoord.AKKOORD
            )
            if v == "afgesloten" and self.rng.random() < 0.3:
                vr.antwoord = FormeelVerloop.Antwoord.WEIGERING
        self.bouw(f.FormeelVerloopFactory, self.formeel, **vars(vr))
        self.contacten(t, aanvraag - dagen(30), self.ref if c is None else c, self.r(0, 2))

        if v == "akkoord" and self.teller["formeel_akkoord"] % 2 == 0:
            w = antwoord + dagen(self.r(7, 30))
            if w <= self.ref:
                self.hervat(
                    t,
                    w,
                    self.rng.choice(
                        [Traject.HervattingVorm.AANGEPAST, Traject.HervattingVorm.ANDERE_FUNCTIE]
                    ),
                )
        if v == "akkoord":
            self.teller["formeel_akkoord"] += 1
        if v == "afgesloten":
            if vr.antwoord == FormeelVerloop.Antwoord.AKKOORD:
                w = self.tussen(antwoord, antwoord + dagen(10))
                self.hervat(t, w, Traject.HervattingVorm.ANDERE_FUNCTIE, tot=c)
                self.sluit(t, c, Traject.Uitkomst.ANDERE_FUNCTIE)
            else:
                self.sluit(
                    t, c, Traject.Uitkomst.GEEN_TERUGKEER, "Re-integratieplan geweigerd; einde traject"
                )

    def s_entiteitsoverschrijdend(self, code, ruimte):
        """Re-integration in another entity, followed by an AgO adviser."""
        v = self.variant("entiteitsoverschrijdend", 2)
        t = self.traject(code)
        if v == 0:
            a = self.geleden(20, 100)
            s = self.tussen(a + dagen(7), a + dagen(50))
            w = None
        else:
            w = self.geleden(14, 150)
            s = w - dagen(self.r(7, 40))
            a = s - dagen(self.r(7, 40))
        t.d0 = a - dagen(self.r(30, 70))
        self.naar_ago(t, code, a)
        self.info(t)
        i = self.inschatting(t, a, True)
        self.betrokken(t, a, Betrokkenheid.Actor.AGO)
        self.betrokken(t, a, Betrokkenheid.Actor.HR)
        self.stappenplan(t, i, s, soorten=[Maatregel.Soort.ANDERE_ENTITEIT], hervatting=w or _AUTO)
        self.gesprek(
            t,
            self.tussen(a, s),
            door=Gesprek.Door.AGO,
            vorm=Gesprek.Vorm.VIDEO,
            tekst="Kennismaking met de doelentiteit voorbereid",
        )
        if w is not None:
            self.hervat(t, w, Traject.HervattingVorm.ANDERE_ENTITEIT)
