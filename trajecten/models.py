"""The dossier: a re-integration trajectory and everything registered in it.

No medical data is ever stored: no diagnosis, treatment or certificates. Free-text fields carry the
help text MEDISCH_WAARSCHUWING, which forms show next to the field.
"""

from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from entiteiten.models import Entiteit

from . import deadlines as dl
from .audit import historiek

MEDISCH_WAARSCHUWING = _(
    "Geen medische gegevens: noteer geen diagnose, behandeling of attest. Beschrijf het functioneren."
)


# Every stored date lies in this range (database constraints): no value can break a page, the deadline
# job or a report. The services apply the narrower, day-dependent plausibility rules (trajecten.consistency).
EERSTE_DATUM = date(2000, 1, 1)
LAATSTE_DATUM = date(2100, 12, 31)


def vrije_tekst(label, **kwargs):
    return models.TextField(label, blank=True, help_text=MEDISCH_WAARSCHUWING, **kwargs)


def datumbereik(prefix: str, *fields: str) -> list[models.CheckConstraint]:
    """One constraint per date field: empty, or between EERSTE_DATUM and LAATSTE_DATUM."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__isnull": True})
            | Q(**{f"{name}__gte": EERSTE_DATUM, f"{name}__lte": LAATSTE_DATUM}),
            name=f"{prefix}_{name}_aannemelijk",
        )
        for name in fields
    ]


# Open trajectories (the predicate of the worklist's partial indexes: querysets must say exactly this, as
# ``exclude(status=AFGESLOTEN)`` does, or imply it, as ``status='lopend'`` does) and the worklist's order.
OPEN = ~Q(status="afgesloten")
WERKLIJST_VOLGORDE = (F("eerstvolgende_termijn").asc(nulls_last=True), F("d0").asc(), F("id").asc())
WERKLIJST_INCLUDE = ("entiteit", "doel_entiteit", "formeel_verplicht_vanaf")


class Personeelslid(models.Model):
    """Minimal identification of the staff member."""

    class Statuut(models.TextChoices):
        STATUTAIR = "statutair", _("Statutair")
        CONTRACTUEEL = "contractueel", _("Contractueel")

    # Unique within the entity, not across: an entity only ever sees its own staff records, so registering
    # cannot reveal whether a number has a record (or a dossier) elsewhere. Moves between entities go
    # through AgO.
    personeelsnummer = models.CharField(_("personeelsnummer"), max_length=20)
    voornaam = models.CharField(_("voornaam"), max_length=100)
    achternaam = models.CharField(_("achternaam"), max_length=100)
    statuut = models.CharField(_("statuut"), max_length=20, choices=Statuut.choices)
    entiteit = models.ForeignKey(
        Entiteit, verbose_name=_("entiteit"), on_delete=models.PROTECT, related_name="personeelsleden"
    )
    functie = models.CharField(_("functie"), max_length=200, blank=True)
    history = historiek()

    class Meta:
        verbose_name = _("personeelslid")
        verbose_name_plural = _("personeelsleden")
        ordering = ["achternaam", "voornaam"]
        indexes = [
            models.Index(fields=["achternaam", "voornaam"]),
            # The worklist's search (trajecten.filters.zoek_q): ``icontains`` is UPPER(..) LIKE UPPER('%..%'),
            # which a trigram index on the same expression serves; the personnel number is ``iexact``.
            # PostgreSQL only (pg_trgm): the migration skips them elsewhere (SQLite in development).
            GinIndex(OpClass(Upper("achternaam"), name="gin_trgm_ops"), name="personeelslid_achternaam_trgm"),
            GinIndex(OpClass(Upper("voornaam"), name="gin_trgm_ops"), name="personeelslid_voornaam_trgm"),
            models.Index(Upper("personeelsnummer"), name="personeelslid_nummer_upper"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(personeelsnummer=""), name="personeelsnummer_niet_leeg"),
            models.UniqueConstraint(
                fields=["entiteit", "personeelsnummer"], name="personeelsnummer_per_entiteit"
            ),
        ]

    def __str__(self):
        return f"{self.voornaam} {self.achternaam} ({self.personeelsnummer})"


class Traject(models.Model):
    class Soort(models.TextChoices):
        INFORMEEL = dl.INFORMEEL, _("Informeel re-integratietraject")
        FORMEEL = dl.FORMEEL, _("Formeel re-integratietraject")
        PREVENTIEF = dl.PREVENTIEF, _("Preventief traject (dreigt uit te vallen)")

    class Status(models.TextChoices):
        LOPEND = "lopend", _("Lopend")
        OPVOLGING = "opvolging", _("Werk hervat – opvolging")
        AFGESLOTEN = "afgesloten", _("Afgesloten")

    class Uitkomst(models.TextChoices):
        ZELFDE_FUNCTIE = "zelfde_functie", _("Terugkeer in dezelfde functie")
        ANDERE_FUNCTIE = "andere_functie", _("Terugkeer in een andere functie")
        ANDERE_ENTITEIT = "andere_entiteit", _("Terugkeer in een andere entiteit")
        GEEN_TERUGKEER = "geen_terugkeer", _("Geen terugkeer")
        OMGEZET_FORMEEL = "omgezet_formeel", _("Omgezet naar een formeel traject")
        # Preventive trajectories: the staff member was still at work.
        BLIJFT_WERKEN = "blijft_werken", _("Blijft aan het werk")
        OMGEZET_INFORMEEL = "omgezet_informeel", _("Toch uitgevallen – omgezet naar een informeel traject")

    class HervattingVorm(models.TextChoices):
        VOLLEDIG = "volledig", _("Volledige werkhervatting")
        PROGRESSIEF = "progressief", _("Progressieve hervatting (deeltijdse prestaties wegens ziekte)")
        AANGEPAST = "aangepast", _("Aangepast werk")
        ANDERE_FUNCTIE = "andere_functie", _("Andere functie")
        ANDERE_ENTITEIT = "andere_entiteit", _("Andere entiteit")

    soort = models.CharField(_("soort traject"), max_length=20, choices=Soort.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.LOPEND)
    personeelslid = models.ForeignKey(
        Personeelslid, verbose_name=_("personeelslid"), on_delete=models.PROTECT, related_name="trajecten"
    )
    entiteit = models.ForeignKey(
        Entiteit, verbose_name=_("entiteit"), on_delete=models.PROTECT, related_name="trajecten"
    )
    doel_entiteit = models.ForeignKey(
        Entiteit,
        verbose_name=_("doelentiteit (entiteitsoverschrijdend)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inkomende_trajecten",
        help_text=_("Alleen voor een entiteitsoverschrijdend traject, aangemeld bij AgO."),
    )
    d0 = models.DateField(
        _("start arbeidsongeschiktheid (D0)"),
        null=True,
        blank=True,
        help_text=_("Eerste dag van de arbeidsongeschiktheid. Leeg bij een preventief traject."),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("terugkeercoach"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajecten",
    )
    leidinggevende = models.CharField(_("leidinggevende"), max_length=200, blank=True)
    gezondheidstoezicht = models.BooleanField(
        _("valt onder verplicht gezondheidstoezicht"),
        default=False,
        help_text=_(
            "Bv. een veiligheidsfunctie: na een afwezigheid van minstens 4 weken is een onderzoek bij "
            "werkhervatting door de preventieadviseur-arbeidsarts verplicht."
        ),
    )
    voortgezet_van = models.OneToOneField(
        "self",
        verbose_name=_("voortgezet van"),
        help_text=_("Het preventieve of informele traject waaruit dit traject voortkomt."),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voortgezet_als",
    )
    definitieve_ongeschiktheid_op = models.DateField(
        _("attest definitieve ongeschiktheid bekend op"),
        null=True,
        blank=True,
        help_text=_("Alleen de datum; het attest zelf hoort niet in deze tool."),
    )
    werkhervatting_op = models.DateField(_("werkhervatting op"), null=True, blank=True)
    werkhervatting_vorm = models.CharField(
        _("vorm van werkhervatting"), max_length=20, choices=HervattingVorm.choices, blank=True
    )
    afgesloten_op = models.DateField(_("afgesloten op"), null=True, blank=True)
    uitkomst = models.CharField(_("uitkomst"), max_length=20, choices=Uitkomst.choices, blank=True)
    uitkomst_reden = vrije_tekst(_("reden / toelichting bij de uitkomst"))
    # Deadline summary, refreshed after every change to the dossier and by the nightly job
    # (trajecten.evaluation.refresh_summaries). Dates only: valid whatever day it is read.
    eerstvolgende_termijn = models.DateField(
        _("eerstvolgende termijn"), null=True, blank=True, editable=False
    )
    eerstvolgende_mijlpaal = models.CharField(
        _("eerstvolgende mijlpaal"), max_length=40, blank=True, editable=False
    )
    formeel_verplicht_vanaf = models.DateField(
        _("formeel traject verplicht vanaf"), null=True, blank=True, editable=False
    )
    formeel_waarschuwing_vanaf = models.DateField(
        _("waarschuwing formeel traject vanaf"), null=True, blank=True, editable=False
    )
    coach_nodig = models.BooleanField(_("een coach moet coördineren"), default=False, editable=False)
    # The staff member's first name, surname and personnel number, kept by the database itself (triggers of
    # migration 0012, on every insert or update of a trajectory and every change of a staff member's name or
    # number, whoever writes it): what Django writes here is replaced. The name search on open trajectories
    # reads it through a trigram index, within the open work instead of every staff member VO-wide.
    zoeknaam = models.CharField(_("zoeknaam"), max_length=250, blank=True, default="", editable=False)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    history = historiek(
        excluded_fields=[
            "eerstvolgende_termijn",
            "eerstvolgende_mijlpaal",
            "formeel_verplicht_vanaf",
            "formeel_waarschuwing_vanaf",
            "coach_nodig",
            "zoeknaam",
            "gewijzigd_op",
        ]
    )

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["-d0", "-id"]
        indexes = [
            models.Index(fields=["entiteit", "status"]),
            models.Index(fields=["doel_entiteit", "status"]),
            models.Index(fields=["coach", "status"]),
            models.Index(fields=["status", "soort"]),
            models.Index(fields=["d0"]),
            models.Index(fields=["status", "eerstvolgende_termijn"]),
            # The worklists read only open trajectories, in the worklist's order: partial indexes keep
            # them independent of the closed history, which grows every year (README, "Performance").
            # Each also carries the columns of the access rule (entity or target entity) and of "Alleen met
            # overschreden termijn" (PostgreSQL: INCLUDE), so that a count or a filtered page is read from
            # the index alone and in its order, stopping after the rows it needs. Measured at 1,000,000: the
            # coach's own count 3.0 -> 0.2 ms, the entity's overdue page 11 -> 0.1 ms.
            *[
                models.Index(
                    *prefix,
                    *WERKLIJST_VOLGORDE,
                    name=name,
                    condition=OPEN,
                    include=[c for c in WERKLIJST_INCLUDE if c != key],
                )
                for name, key in (
                    ("traject_open_werklijst", None),
                    ("traject_open_entiteit", "entiteit"),
                    ("traject_open_doel_entiteit", "doel_entiteit"),
                    ("traject_open_coach", "coach"),
                )
                for prefix in [(F(f"{key}_id"),) if key else ()]
            ],
            # "Alleen met overschreden termijn": eerstvolgende_termijn < today (the index above) OR this.
            models.Index(fields=["formeel_verplicht_vanaf"], name="traject_open_formeel", condition=OPEN),
            # The entity's list filtered on a rare kind (formal 4 %, preventive 6 %): its rows at once, instead
            # of walking the entity's list in order past every other kind (6.5 -> 1.8 ms at 1,000,000).
            models.Index(fields=["entiteit", "soort"], name="traject_open_entiteit_soort", condition=OPEN),
            # The name search among open trajectories (trajecten.filters.zoek_q): the open trajectories whose
            # staff member's name holds the word, without probing every staff member of that name VO-wide
            # (most of whom have only closed trajectories). PostgreSQL only (pg_trgm), as the ones above.
            GinIndex(
                OpClass(Upper("zoeknaam"), name="gin_trgm_ops"),
                name="traject_open_zoeknaam_trgm",
                condition=OPEN,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(soort=dl.PREVENTIEF, d0__isnull=True)
                | (~Q(soort=dl.PREVENTIEF) & Q(d0__isnull=False)),
                name="d0_verplicht_behalve_preventief",
            ),
            models.CheckConstraint(
                condition=Q(werkhervatting_op__isnull=True) | Q(werkhervatting_op__gte=F("d0")),
                name="werkhervatting_niet_voor_d0",
            ),
            models.CheckConstraint(
                condition=Q(werkhervatting_op__isnull=True) | ~Q(werkhervatting_vorm=""),
                name="werkhervatting_heeft_vorm",
            ),
            models.CheckConstraint(
                condition=Q(afgesloten_op__isnull=True) | Q(d0__isnull=True) | Q(afgesloten_op__gte=F("d0")),
                name="afsluiting_niet_voor_d0",
            ),
            models.CheckConstraint(
                condition=(Q(status="afgesloten") & Q(afgesloten_op__isnull=False) & ~Q(uitkomst=""))
                | (~Q(status="afgesloten") & Q(afgesloten_op__isnull=True) & Q(uitkomst="")),
                name="afgesloten_traject_heeft_uitkomst",
            ),
            models.CheckConstraint(
                condition=~Q(uitkomst="geen_terugkeer") | ~Q(uitkomst_reden=""),
                name="geen_terugkeer_heeft_reden",
            ),
            models.CheckConstraint(
                condition=Q(doel_entiteit__isnull=True) | ~Q(doel_entiteit=F("entiteit")),
                name="doelentiteit_is_andere_entiteit",
            ),
            # At most one open trajectory per staff member (a conversion closes the old one first).
            models.UniqueConstraint(
                fields=["personeelslid"],
                condition=~Q(status="afgesloten"),
                name="een_open_traject_per_personeelslid",
            ),
            *datumbereik(
                "traject", "d0", "definitieve_ongeschiktheid_op", "werkhervatting_op", "afgesloten_op"
            ),
        ]

    def __str__(self):
        return f"{self.get_soort_display()} – {self.personeelslid}"

    @property
    def entiteitsoverschrijdend(self) -> bool:
        return self.doel_entiteit_id is not None


class TrajectOnderdeel(models.Model):
    """Common base of everything registered in a dossier."""

    traject = models.ForeignKey(Traject, verbose_name=_("traject"), on_delete=models.CASCADE)
    geregistreerd_op = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        day = (
            getattr(self, "datum", None)
            or getattr(self, "vanaf", None)
            or getattr(self, "toegekend_op", None)
        )
        return f"{self._meta.verbose_name} {day:%d/%m/%Y}" if day else str(self._meta.verbose_name)


class Gesprek(TrajectOnderdeel):
    """A contact or conversation with the staff member (date, who, form, outcome)."""

    class Soort(models.TextChoices):
        CONTACT = "contact", _("Contact houden")
        GESPREK = "gesprek", _("Re-integratiegesprek (zijn stappen naar werk mogelijk?)")
        INFO_ARBEIDSARTS = (
            "info_arbeidsarts",
            _("Info door preventieadviseur-arbeidsarts over wettelijke mogelijkheden"),
        )

    class Vorm(models.TextChoices):
        TELEFOON = "telefoon", _("Telefoon")
        MAIL = "mail", _("E-mail")
        SMS_KAART = "sms_kaart", _("SMS of kaartje")
        VIDEO = "video", _("Videogesprek")
        BEZOEK = "bezoek", _("Bezoek")
        OP_HET_WERK = "op_het_werk", _("Gesprek op het werk")
        ANDERE = "andere", _("Andere")

    class Door(models.TextChoices):
        COACH = "coach", _("Terugkeercoach")
        LEIDINGGEVENDE = "leidinggevende", _("Leidinggevende")
        NEUTRAAL = "neutraal", _("Neutrale persoon")
        HR = "hr", _("HR")
        ARBEIDSARTS = "arbeidsarts", _("Preventieadviseur-arbeidsarts")
        AGO = "ago", _("AgO-trajectbegeleider")
        ANDERE = "andere", _("Andere")

    datum = models.DateField(_("datum"))
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices, default=Soort.GESPREK)
    vorm = models.CharField(_("vorm"), max_length=20, choices=Vorm.choices)
    gevoerd_door = models.CharField(_("gevoerd door"), max_length=20, choices=Door.choices)
    uitkomst = vrije_tekst(_("uitkomst"))
    history = historiek()

    class Meta:
        verbose_name = _("contact of gesprek")
        verbose_name_plural = _("contacten en gesprekken")
        ordering = ["datum", "id"]
        indexes = [models.Index(fields=["traject", "datum"])]
        constraints = datumbereik("gesprek", "datum")


class Inschatting(TrajectOnderdeel):
    """The assessment whether steps to work are possible (and when not yet, the next conversation)."""

    class Uitkomst(models.TextChoices):
        MOGELIJK = dl.STAPPEN_MOGELIJK, _("Stappen naar werk zijn mogelijk en opportuun")
        NOG_NIET = dl.NOG_NIET_MOGELIJK, _("Stappen naar werk zijn nog niet mogelijk")

    datum = models.DateField(_("datum"))
    uitkomst = models.CharField(_("uitkomst"), max_length=20, choices=Uitkomst.choices)
    volgend_gesprek_op = models.DateField(_("volgend gesprek gepland op"), null=True, blank=True)
    specifieke_begeleiding = models.BooleanField(_("specifieke begeleiding wenselijk"), default=False)
    toelichting = vrije_tekst(_("toelichting"))
    history = historiek()

    class Meta:
        verbose_name = _("inschatting")
        verbose_name_plural = _("inschattingen")
        ordering = ["datum", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(uitkomst=dl.NOG_NIET_MOGELIJK)
                    & Q(volgend_gesprek_op__isnull=False)
                    & Q(volgend_gesprek_op__gt=F("datum"))
                )
                | (Q(uitkomst=dl.STAPPEN_MOGELIJK) & Q(volgend_gesprek_op__isnull=True)),
                name="nog_niet_mogelijk_plant_volgend_gesprek",
            ),
            *datumbereik("inschatting", "datum", "volgend_gesprek_op"),
        ]


class Stappenplan(TrajectOnderdeel):
    """Concrete agreements for the return to work, after an assessment that found steps possible."""

    inschatting = models.ForeignKey(
        Inschatting, verbose_name=_("inschatting"), on_delete=models.PROTECT, related_name="stappenplannen"
    )
    datum = models.DateField(_("datum van het stappenplan"))
    beoogde_hervatting_op = models.DateField(_("beoogde werkhervatting op"), null=True, blank=True)
    afspraken = vrije_tekst(_("afspraken"))
    history = historiek()

    class Meta:
        verbose_name = _("stappenplan")
        verbose_name_plural = _("stappenplannen")
        ordering = ["datum", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(beoogde_hervatting_op__isnull=True) | Q(beoogde_hervatting_op__gte=F("datum")),
                name="stappenplan_hervatting_na_datum",
            ),
            *datumbereik("stappenplan", "datum", "beoogde_hervatting_op"),
        ]


class Maatregel(models.Model):
    """A typed measure of a stappenplan."""

    class Soort(models.TextChoices):
        AANGEPASTE_TAKEN = "aangepaste_taken", _("Aangepaste taken")
        AANGEPASTE_UREN = "aangepaste_uren", _("Aangepaste uren")
        PROGRESSIEF = "progressief", _("Progressieve hervatting (deeltijdse prestaties wegens ziekte)")
        WERKPLEK = "werkplek", _("Aanpassing van de werkplek")
        ANDERE_FUNCTIE = "andere_functie", _("Andere functie")
        ANDERE_ENTITEIT = "andere_entiteit", _("Andere entiteit")
        VERLOFVORM = "verlofvorm", _("Verlofvorm")
        REDELIJKE_AANPASSING = "redelijke_aanpassing", _("Redelijke aanpassing")
        ANDERE = "andere", _("Andere")

    stappenplan = models.ForeignKey(
        Stappenplan, verbose_name=_("stappenplan"), on_delete=models.CASCADE, related_name="maatregelen"
    )
    soort = models.CharField(_("soort maatregel"), max_length=30, choices=Soort.choices)
    omschrijving = vrije_tekst(_("omschrijving"))
    vanaf = models.DateField(_("vanaf"), null=True, blank=True)
    tot = models.DateField(_("tot"), null=True, blank=True)
    history = historiek()

    class Meta:
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vanaf__isnull=True) | Q(tot__isnull=True) | Q(tot__gte=F("vanaf")),
                name="maatregel_tot_na_vanaf",
            ),
            *datumbereik("maatregel", "vanaf", "tot"),
        ]

    def __str__(self):
        return self.get_soort_display()


class Betrokkenheid(TrajectOnderdeel):
    """A welzijnsactor involved in the trajectory."""

    class Actor(models.TextChoices):
        HR = "hr", _("HR")
        VERTROUWENSPERSOON = "vertrouwenspersoon", _("Vertrouwenspersoon")
        ARBEIDSARTS = "arbeidsarts", _("Preventieadviseur-arbeidsarts")
        PSYCHOSOCIAAL = "psychosociaal", _("Preventieadviseur psychosociale aspecten")
        ERGONOMIE = "ergonomie", _("Preventieadviseur ergonomie")
        DIVERSITEIT = "diversiteit", _("Dienst Diversiteitsbeleid")
        SOCIALE_DIENST = "sociale_dienst", _("vzw Sociale Dienst")
        VEERKRACHTCOACH = "veerkrachtcoach", _("Veerkrachtcoach")
        AGO = "ago", _("AgO-trajectbegeleider")
        SMT = "smt", _("Sociaal Medisch Team (SMT)")

    actor = models.CharField(_("welzijnsactor"), max_length=30, choices=Actor.choices)
    vanaf = models.DateField(_("betrokken vanaf"))
    # The circular involves HR and the welzijnsactoren "met toestemming van het personeelslid". A consent
    # to HR's involvement gives the entity's HR access to this dossier until it is withdrawn.
    toestemming_op = models.DateField(_("toestemming van het personeelslid op"), null=True, blank=True)
    toestemming_ingetrokken_op = models.DateField(_("toestemming ingetrokken op"), null=True, blank=True)
    toelichting = vrije_tekst(_("toelichting"))
    history = historiek()

    class Meta:
        verbose_name = _("betrokken welzijnsactor")
        verbose_name_plural = _("betrokken welzijnsactoren")
        ordering = ["vanaf", "id"]
        constraints = [
            models.UniqueConstraint(fields=["traject", "actor", "vanaf"], name="betrokkenheid_uniek"),
            models.CheckConstraint(
                condition=Q(toestemming_ingetrokken_op__isnull=True)
                | Q(toestemming_op__isnull=False, toestemming_ingetrokken_op__gte=F("toestemming_op")),
                name="toestemming_ingetrokken_na_gegeven",
            ),
            *datumbereik("betrokkenheid", "vanaf", "toestemming_op", "toestemming_ingetrokken_op"),
        ]


class Verlenging(TrajectOnderdeel):
    """Extension of the 2-month term for the stappenplan, in a complex dossier that is moving."""

    toegekend_op = models.DateField(_("toegekend op"))
    nieuwe_datum = models.DateField(_("nieuwe uiterste datum"))
    reden = models.TextField(_("reden"), help_text=MEDISCH_WAARSCHUWING)
    history = historiek()

    class Meta:
        verbose_name = _("verlenging")
        verbose_name_plural = _("verlengingen")
        ordering = ["toegekend_op", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reden=""), name="verlenging_heeft_reden"),
            models.CheckConstraint(
                condition=Q(nieuwe_datum__gt=F("toegekend_op")), name="verlenging_in_toekomst"
            ),
            *datumbereik("verlenging", "toegekend_op", "nieuwe_datum"),
        ]


class Herval(TrajectOnderdeel):
    """Relapse: after resuming work on ``hervat_op`` the staff member became unable again on ``datum``."""

    hervat_op = models.DateField(_("werk hervat op"))
    hervatting_vorm = models.CharField(
        _("vorm van die werkhervatting"), max_length=20, choices=Traject.HervattingVorm.choices, blank=True
    )
    datum = models.DateField(_("opnieuw arbeidsongeschikt op"))
    toelichting = vrije_tekst(_("toelichting"))
    history = historiek()

    class Meta:
        verbose_name = _("herval")
        verbose_name_plural = _("hervallen")
        ordering = ["datum", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(datum__gt=F("hervat_op")), name="herval_na_hervatting"),
            *datumbereik("herval", "hervat_op", "datum"),
        ]


class Onderzoek(TrajectOnderdeel):
    """An examination by the preventieadviseur-arbeidsarts around the return: only that and when it
    happened, never its content (no medical data)."""

    class Soort(models.TextChoices):
        ONDERZOEK_BIJ_WERKHERVATTING = (
            dl.ONDERZOEK_BIJ_WERKHERVATTING,
            _("Onderzoek bij werkhervatting (verplicht gezondheidstoezicht)"),
        )
        BEZOEK_VOOR_WERKHERVATTING = (
            dl.BEZOEK_VOOR_WERKHERVATTING,
            _("Bezoek voorafgaand aan de werkhervatting"),
        )

    soort = models.CharField(_("soort onderzoek"), max_length=40, choices=Soort.choices)
    datum = models.DateField(_("datum"))
    history = historiek()

    class Meta:
        verbose_name = _("onderzoek door de arbeidsarts")
        verbose_name_plural = _("onderzoeken door de arbeidsarts")
        ordering = ["datum", "id"]
        constraints = datumbereik("onderzoek", "datum")


class Evaluatie(TrajectOnderdeel):
    """Follow-up evaluation of the agreements after the return."""

    datum = models.DateField(_("datum"))
    gevoerd_door = models.CharField(_("gevoerd door"), max_length=20, choices=Gesprek.Door.choices)
    bijgestuurd = models.BooleanField(_("afspraken bijgestuurd"), default=False)
    verslag = vrije_tekst(_("verslag"))
    history = historiek()

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["datum", "id"]
        constraints = datumbereik("evaluatie", "datum")


class FormeelVerloop(models.Model):
    """The steps of a formal trajectory (Codex welzijn op het werk, KB 11 September 2022)."""

    class Aanvrager(models.TextChoices):
        PERSONEELSLID = "personeelslid", _("Personeelslid")
        BEHANDELEND_ARTS = "behandelend_arts", _("Behandelend arts (met toestemming)")
        ENTITEIT = "entiteit", _("Entiteit (werkgever)")

    class Beoordeling(models.TextChoices):
        TIJDELIJK = (
            dl.BEOORDELING_TIJDELIJK,
            _("Tijdelijk ongeschikt voor het overeengekomen werk, kan ander werk"),
        )
        DEFINITIEF = (
            dl.BEOORDELING_DEFINITIEF,
            _("Definitief ongeschikt voor het overeengekomen werk, kan ander werk"),
        )
        ANDERE = "andere", _("Andere uitkomst (termijn niet berekend)")

    class PlanSoort(models.TextChoices):
        PLAN = dl.PLAN, _("Re-integratieplan")
        VERSLAG = dl.GEMOTIVEERD_VERSLAG, _("Gemotiveerd verslag (geen plan mogelijk)")

    class Antwoord(models.TextChoices):
        AKKOORD = "akkoord", _("Akkoord")
        WEIGERING = "weigering", _("Weigering")

    traject = models.OneToOneField(Traject, on_delete=models.CASCADE, related_name="formeel_verloop")

    aanvrager = models.CharField(_("aangevraagd door"), max_length=20, choices=Aanvrager.choices)
    aanvraag_ontvangen_op = models.DateField(_("aanvraag ontvangen door arbeidsarts op"))
    beoordeling_op = models.DateField(_("re-integratiebeoordeling op"), null=True, blank=True)
    beoordeling_ontvangen_op = models.DateField(
        _("beoordeling ontvangen door entiteit op"), null=True, blank=True
    )
    beoordeling = models.CharField(
        _("uitkomst beoordeling"), max_length=30, choices=Beoordeling.choices, blank=True
    )
    plan_op = models.DateField(_("plan of verslag bezorgd op"), null=True, blank=True)
    plan_soort = models.CharField(_("plan of verslag"), max_length=30, choices=PlanSoort.choices, blank=True)
    plan_ontvangen_op = models.DateField(_("plan ontvangen door personeelslid op"), null=True, blank=True)
    antwoord_op = models.DateField(_("antwoord personeelslid op"), null=True, blank=True)
    antwoord = models.CharField(_("antwoord"), max_length=20, choices=Antwoord.choices, blank=True)
    history = historiek()

    class Meta:
        verbose_name = _("formeel verloop")
        verbose_name_plural = _("formele verlopen")
        constraints = [
            models.CheckConstraint(
                condition=Q(beoordeling_op__isnull=True) | Q(beoordeling_op__gte=F("aanvraag_ontvangen_op")),
                name="beoordeling_na_aanvraag",
            ),
            models.CheckConstraint(
                condition=Q(beoordeling_op__isnull=True) | ~Q(beoordeling=""),
                name="beoordeling_heeft_uitkomst",
            ),
            models.CheckConstraint(
                condition=Q(plan_op__isnull=True)
                | (Q(beoordeling_op__isnull=False) & Q(plan_op__gte=F("beoordeling_op"))),
                name="plan_na_beoordeling",
            ),
            models.CheckConstraint(
                condition=Q(plan_op__isnull=True) | ~Q(plan_soort=""), name="plan_heeft_soort"
            ),
            models.CheckConstraint(
                condition=Q(antwoord_op__isnull=True)
                | (Q(plan_op__isnull=False) & Q(antwoord_op__gte=F("plan_op")) & ~Q(antwoord="")),
                name="antwoord_na_plan",
            ),
            *datumbereik(
                "formeel",
                "aanvraag_ontvangen_op",
                "beoordeling_op",
                "beoordeling_ontvangen_op",
                "plan_op",
                "plan_ontvangen_op",
                "antwoord_op",
            ),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} – {self.traject_id}"


class Signaal(models.Model):
    """A signal of the deadline job: a missed step or a mandatory formal trajectory. Resolves itself."""

    class Soort(models.TextChoices):
        TE_LAAT = "te_laat", _("Termijn overschreden")
        BINNENKORT = "binnenkort", _("Termijn verstrijkt binnen 7 dagen")
        FORMEEL_VERPLICHT = "formeel_verplicht", _("Formeel traject verplicht")
        FORMEEL_WAARSCHUWING = (
            "formeel_waarschuwing",
            _("Formeel traject zou verplicht zijn (nog niet van kracht)"),
        )

    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="signalen")

    soort = models.CharField(_("soort"), max_length=30, choices=Soort.choices)
    mijlpaal = models.CharField(_("mijlpaal"), max_length=40, blank=True)
    vervaldatum = models.DateField(_("vervaldatum"))
    opgemerkt_op = models.DateField(_("opgemerkt op"))
    opgelost_op = models.DateField(_("opgelost op"), null=True, blank=True)

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        indexes = [models.Index(fields=["traject", "opgelost_op"])]
        constraints = [
            models.UniqueConstraint(
                fields=["traject", "soort", "mijlpaal", "vervaldatum"],
                condition=Q(opgelost_op__isnull=True),
                name="een_open_signaal_per_mijlpaal",
            )
        ]

    def __str__(self):
        return f"{self.get_soort_display()} {self.mijlpaal} {self.vervaldatum:%d/%m/%Y}"


class Notificatie(models.Model):
    """An e-mail to send once: a coach's daily digest, or HR's message that a formal trajectory is mandatory.

    The unique key (soort, ontvanger, sleutel) makes recording idempotent; ``verzonden_op`` is set in the
    same transaction as the send, and a failed send stays unsent (with its error) for the next attempt.
    """

    class Soort(models.TextChoices):
        DIGEST = "digest", _("Dagelijks overzicht voor de coach")
        FORMEEL_VERPLICHT = "formeel_verplicht", _("Formeel traject verplicht (HR)")
        AFWEZIG = "afwezig", _("Afwezig zonder traject (personeelssysteem)")

    soort = models.CharField(_("soort"), max_length=30, choices=Soort.choices)
    ontvanger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notificaties"
    )
    sleutel = models.CharField(_("sleutel"), max_length=60)
    onderwerp = models.CharField(_("onderwerp"), max_length=200)
    inhoud = models.TextField(_("inhoud"))
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    verzonden_op = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    pogingen = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    laatste_fout = models.TextField(_("laatste fout"), blank=True)

    class Meta:
        verbose_name = _("notificatie")
        verbose_name_plural = _("notificaties")
        indexes = [models.Index(fields=["verzonden_op"])]
        constraints = [
            models.UniqueConstraint(fields=["soort", "ontvanger", "sleutel"], name="notificatie_een_keer")
        ]

    def __str__(self):
        return self.onderwerp


class Aanmelding(models.Model):
    """A request to AgO for an entity-crossing trajectory (circular 4.4: "centraal aangemeld bij de adviseurs
    van AgO"). The own entity asks; AgO accepts (with an AgO trajectbegeleider) or refuses; once a target
    entity is found AgO records it, and only from then on does the target entity take part.
    Only AgO's services set the trajectory's target entity (Traject.doel_entiteit)."""

    class Status(models.TextChoices):
        AANGEMELD = "aangemeld", _("Aangemeld bij AgO")
        AANVAARD = "aanvaard", _("Aanvaard door AgO")
        DOELENTITEIT_GEVONDEN = "doelentiteit_gevonden", _("Doelentiteit gevonden")
        GEWEIGERD = "geweigerd", _("Geweigerd door AgO")

    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, related_name="aanmeldingen")
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.AANGEMELD)
    aangemeld_op = models.DateField(_("aangemeld op"))
    aangemeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("aangemeld door"), on_delete=models.PROTECT, related_name="+"
    )
    motivatie = models.TextField(_("motivatie"), help_text=MEDISCH_WAARSCHUWING)
    beslist_op = models.DateField(_("beslist op"), null=True, blank=True)
    trajectbegeleider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("AgO-trajectbegeleider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="begeleide_aanmeldingen",
    )
    weigerreden = vrije_tekst(_("reden van de weigering"))
    doelentiteit = models.ForeignKey(
        Entiteit,
        verbose_name=_("doelentiteit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    doelentiteit_op = models.DateField(_("doelentiteit vastgelegd op"), null=True, blank=True)
    history = historiek()

    class Meta:
        verbose_name = _("aanmelding bij AgO")
        verbose_name_plural = _("aanmeldingen bij AgO")
        ordering = ["-aangemeld_op", "-id"]
        indexes = [models.Index(fields=["status", "aangemeld_op"])]
        constraints = [
            # One request at a time: a refused one may be followed by a new one.
            models.UniqueConstraint(
                fields=["traject"],
                condition=~Q(status="geweigerd"),
                name="een_lopende_aanmelding_per_traject",
            ),
            models.CheckConstraint(condition=~Q(motivatie=""), name="aanmelding_heeft_motivatie"),
            models.CheckConstraint(
                condition=~Q(status__in=["aanvaard", "doelentiteit_gevonden"])
                | Q(trajectbegeleider__isnull=False),
                name="aanvaarde_aanmelding_heeft_begeleider",
            ),
            models.CheckConstraint(
                condition=~Q(status="geweigerd") | ~Q(weigerreden=""), name="weigering_heeft_reden"
            ),
            models.CheckConstraint(
                condition=~Q(status="doelentiteit_gevonden") | Q(doelentiteit__isnull=False),
                name="gevonden_doelentiteit_is_ingevuld",
            ),
            *datumbereik("aanmelding", "aangemeld_op", "beslist_op", "doelentiteit_op"),
        ]

    def __str__(self):
        return f"{self.get_status_display()} {self.aangemeld_op:%d/%m/%Y}"


class FormSubmission(models.Model):
    """A form token claimed once: a double-clicked or repeated submit does not save twice.

    Each form carries a random token; the service that saves it claims the token in the same transaction.
    A second submit with the same token finds it claimed and saves nothing. Old tokens are purged daily.
    """

    token = models.UUIDField(unique=True)
    gebruiker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True)
    traject = models.ForeignKey(Traject, on_delete=models.CASCADE, null=True, blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("verzonden formulier")
        verbose_name_plural = _("verzonden formulieren")

    def __str__(self):
        return str(self.token)


class AfwezigheidImport(models.Model):
    """One upload of absence periods from the personnel system: applied whole or not at all."""

    class Status(models.TextChoices):
        WACHTRIJ = "wachtrij", _("In de wachtrij")
        BEZIG = "bezig", _("Bezig")
        KLAAR = "klaar", _("Ingelezen")
        GEWEIGERD = "geweigerd", _("Geweigerd: niets ingelezen")
        MISLUKT = "mislukt", _("Mislukt: niets ingelezen")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WACHTRIJ)
    bestandsnaam = models.CharField(_("bestand"), max_length=200)
    # The file's text until it is read; emptied afterwards (the periods are then in the database).
    inhoud = models.TextField(_("inhoud"), blank=True)
    aangevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opgeladen door"), on_delete=models.PROTECT, null=True
    )
    alleen_entiteit = models.ForeignKey(
        Entiteit,
        verbose_name=_("enkel voor entiteit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("HR laadt enkel de eigen entiteit op; leeg: alle entiteiten (AgO)."),
    )
    totaal = models.PositiveIntegerField(_("regels"), default=0)
    verwerkt = models.PositiveIntegerField(_("verwerkt"), default=0)
    nieuw = models.PositiveIntegerField(_("nieuw"), default=0)
    vervangen = models.PositiveIntegerField(_("vervangen"), default=0)
    ongewijzigd = models.PositiveIntegerField(_("ongewijzigd"), default=0)
    fouten = models.JSONField(_("geweigerde regels"), default=list, blank=True)
    aangemaakt_op = models.DateTimeField(_("opgeladen op"), auto_now_add=True)
    klaar_op = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("import van afwezigheden")
        verbose_name_plural = _("imports van afwezigheden")
        ordering = ["-aangemaakt_op", "-id"]

    def __str__(self):
        return f"{self.bestandsnaam} ({self.get_status_display()})"


class Afwezigheid(models.Model):
    """A period of sickness absence as the personnel system records it: who (personnel number within the
    entity), from when, until when (empty while ongoing). Nothing medical."""

    entiteit = models.ForeignKey(
        Entiteit, verbose_name=_("entiteit"), on_delete=models.PROTECT, related_name="+"
    )
    personeelsnummer = models.CharField(_("personeelsnummer"), max_length=20)
    eerste_dag = models.DateField(_("eerste dag"))
    laatste_dag = models.DateField(_("laatste dag"), null=True, blank=True)
    bron = models.ForeignKey(
        AfwezigheidImport, verbose_name=_("import"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The daily job's signal "absent 4 weeks or more without a trajectory": raised once, resolved when a
    # trajectory is registered or the absence ends.
    gesignaleerd_op = models.DateField(_("gesignaleerd op"), null=True, blank=True)
    signaal_opgelost_op = models.DateField(_("signaal opgelost op"), null=True, blank=True)

    class Meta:
        verbose_name = _("afwezigheid")
        verbose_name_plural = _("afwezigheden")
        ordering = ["entiteit", "personeelsnummer", "eerste_dag"]
        indexes = [
            models.Index(fields=["entiteit", "personeelsnummer"]),
            models.Index(
                fields=["entiteit", "eerste_dag"],
                condition=Q(laatste_dag__isnull=True),
                name="afwezigheid_lopend",
            ),
            # absences by first day within an entity (trajecten.absences.zonder_traject: those that reached
            # four weeks since the deadline job last judged them)
            models.Index(fields=["entiteit", "eerste_dag"], name="afwezigheid_eerste_dag"),
            # the daily job's signals still open: a handful of rows, so the planner neither scans every
            # absence nor (its estimate then running to millions) spends 100 ms compiling the query (JIT)
            models.Index(
                fields=["entiteit"],
                condition=Q(gesignaleerd_op__isnull=False, signaal_opgelost_op__isnull=True),
                name="afwezigheid_signaal_open",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["entiteit", "personeelsnummer", "eerste_dag"], name="afwezigheid_uniek"
            ),
            models.CheckConstraint(
                condition=Q(laatste_dag__isnull=True) | Q(laatste_dag__gte=F("eerste_dag")),
                name="afwezigheid_einde_na_begin",
            ),
            *datumbereik(
                "afwezigheid", "eerste_dag", "laatste_dag", "gesignaleerd_op", "signaal_opgelost_op"
            ),
        ]

    def __str__(self):
        return f"{self.personeelsnummer} {self.eerste_dag:%d/%m/%Y}"
