"""The report's tables, with anonymity applied: what the PDF, the CSV/XLSX and the dashboards show."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from entiteiten.models import Entiteit
from trajecten.models import Betrokkenheid, Maatregel, Traject

from . import disclosure as dc
from . import figures as fg
from .charts import EMPTY
from .figures import Figures, Report

TYPE_LABELS = {
    "informeel": _("Informeel"),
    "formeel": _("Formeel"),
    "preventief": _("Preventief"),
    "entiteitsoverschrijdend": _("Entiteitsoverschrijdend"),
    "totaal": _("Totaal"),
}


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    note: str = ""
    chart: list[tuple[str, int | None]] = field(default_factory=list)  # (label, value or None if hidden)
    subtotal_rows: set[int] = field(default_factory=set)
    # What the chart's bars measure, and the unit after each value: the chart's text alternative
    # (charts.BarChart.alt) is made of these and the bars, so a table with a chart must say them.
    chart_subject: str = ""
    chart_unit: str = ""
    text_columns: int = 0  # cells after the row label that hold text (left-aligned), e.g. a code
    step_chart: object = None  # a charts.StepChart drawn instead of bars (rapportering.survival)
    source: str = ""  # where the figures come from, printed under the title (rapportering.survival)


def marks_note(note: str, rows: list[tuple[str, list[str]]]) -> str:
    """The table's note, with what "×" means when the table shows one."""
    if any(c == dc.SECONDARY for _label, cells in rows for c in cells):
        extra = _("× verborgen om een kleine groep (minder dan %(n)s personen) te beschermen.") % {
            "n": dc.threshold()
        }
        return f"{note} {extra}".strip()
    return note


def _counted(
    prot: dc.Protection, items: list[tuple[str, tuple]], total: tuple | None = None
) -> tuple[list[tuple[str, list[str]]], list]:
    rows = [(label, [prot.text(k)]) for label, k in items]
    chart = [(label, prot.value(k)) for label, k in items]
    if total is not None:
        rows.append((_("Totaal"), [prot.text(total)]))
    return rows, chart


COUNT_COLS = ["informeel", "formeel", "preventief", "totaal", "entiteitsoverschrijdend"]
KINDS = ("started", "ongoing", "closed", "active")


def _count_labels():
    return [
        ("started", _("Gestart in de periode")),
        ("ongoing", _("Lopend op het einde van de periode")),
        ("closed", _("Afgesloten in de periode")),
        ("active", _("Actief in de periode")),
    ]


TIMELINESS = ("gesprek_6w", "gesprek_2m", "positive", "stappenplan_2m", "verplicht", "waarschuwing")
# (whole, part): a reader can subtract the part from its whole, so the rest is a (derivable) cell too
TIMELINESS_SUBSETS = [
    *(("eligible", n) for n in ("gesprek_6w", "gesprek_2m", "positive", "verplicht", "waarschuwing")),
    ("positive", "stappenplan_2m"),
    ("gesprek_2m", "gesprek_6w"),
]
RELAPSE_SUBSETS = [("returns", "within_12m"), ("returns", "within_3m"), ("within_12m", "within_3m")]


def _durations(f: Figures):
    return [
        f.duration,
        f.duration_early,
        f.duration_late,
        f.duration_with_measures,
        f.duration_without_measures,
    ]


def declare_figures(prot: dc.Protection, f: Figures, sc) -> None:
    """Every count the report's tables print for one group (``sc``: the key's scope), with the sums
    between them: in the counts table each row (informeel + formeel + preventief = totaal) and each
    column (active = ongoing + closed); the totals of measures and outcomes; the duration groups (early +
    late = all, with + without measures = all); the counts of timeliness and relapse with their wholes;
    and the same figure in two tables (the informal trajectories started = timeliness' whole, the returns
    of the duration table = the relapse table's, the outcomes' total = the closed trajectories)."""
    for kind in KINDS:
        counter = getattr(f, kind)
        for c in COUNT_COLS:
            prot.cell((sc, kind, c), counter[c], total=c == "totaal" or kind == "active")
        prot.equation((sc, kind, "totaal"), [(sc, kind, c) for c in COUNT_COLS[:3]])
    for c in COUNT_COLS:
        prot.equation((sc, "active", c), [(sc, "ongoing", c), (sc, "closed", c)])

    t = f.timeliness
    prot.cell((sc, "tijdig", "eligible"), t["eligible"], total=True)
    for name in TIMELINESS:
        prot.cell((sc, "tijdig", name), t[name])
    for whole, part in TIMELINESS_SUBSETS:
        prot.subset((sc, "tijdig", whole), (sc, "tijdig", part), (sc, "tijdig-rest", whole, part))
    prot.equation((sc, "tijdig", "eligible"), [(sc, "started", "informeel")])

    measures = [(sc, "maatregel", k) for k in Maatregel.Soort.values]
    for k in Maatregel.Soort.values:
        prot.cell((sc, "maatregel", k), f.measures[k])
    prot.cell((sc, "maatregel", "totaal"), sum(f.measures[k] for k in Maatregel.Soort.values), total=True)
    prot.equation((sc, "maatregel", "totaal"), measures)
    prot.cell((sc, "met_maatregel"), f.trajecten_met_maatregel)

    for k in Traject.Uitkomst.values:
        prot.cell((sc, "uitkomst", k), f.outcomes[k])
    prot.cell((sc, "uitkomst", "totaal"), sum(f.outcomes[k] for k in Traject.Uitkomst.values), total=True)
    prot.equation((sc, "uitkomst", "totaal"), [(sc, "uitkomst", k) for k in Traject.Uitkomst.values])
    prot.equation((sc, "uitkomst", "totaal"), [(sc, "closed", "totaal")])

    for i, d in enumerate(_durations(f)):
        prot.cell((sc, "duur", i), d.n, total=i == 0)
    prot.equation((sc, "duur", 0), [(sc, "duur", 1), (sc, "duur", 2)])
    prot.equation((sc, "duur", 0), [(sc, "duur", 3), (sc, "duur", 4)])

    r = f.relapse
    prot.cell((sc, "herval", "returns"), r["returns"], total=True)
    for name in ("within_3m", "within_12m"):
        prot.cell((sc, "herval", name), r[name])
    for whole, part in RELAPSE_SUBSETS:
        prot.subset((sc, "herval", whole), (sc, "herval", part), (sc, "herval-rest", whole, part))
    prot.equation((sc, "herval", "returns"), [(sc, "duur", 0)])

    for k in Betrokkenheid.Actor.values:
        prot.cell((sc, "actor", k), f.actors[k])


EOC = "eoc"
VO = "vo"

# How a table joins the protection: the function that builds it reads its counts from the report's
# Protection (``prot.text(key)``, ``prot.value(key)``, ``prot.share(part, whole)``), and a function that
# declares those keys and their sums is added here. Declared once, they are solved with every other table of
# the report, so a figure it shares with another table (the same key) is shown or hidden alike.
# fn(prot, figures, scope): for every report (EOC: scope EOC; HOC: report.total with scope VO).
FIGURES_DECLARATIONS: list = []
# fn(prot, report): VO-wide only (the HOC, the template, the extract).
VO_DECLARATIONS: list = []


def protection_of(f: Figures) -> tuple[dc.Protection, str]:
    """The protection that covers a group's figures, with the scope of their keys: the VO-wide one for a
    report's total once ``vo_protection`` made it, else the group's own (an entity's EOC report), solved
    once per Figures object."""
    memo = f.__dict__.get("_protection")
    if memo is None:
        prot = dc.Protection()
        for declare in FIGURES_DECLARATIONS:
            declare(prot, f, EOC)
        memo = f.__dict__["_protection"] = (prot.solve(), EOC)
    return memo


def figures_protection(f: Figures) -> dc.Protection:
    return protection_of(f)[0]


def _ps(f: Figures, prot: dc.Protection | None, sc) -> tuple[dc.Protection, str]:
    return (prot, sc or EOC) if prot is not None else protection_of(f)


def counts_table(f: Figures, prot: dc.Protection | None = None, sc=None) -> Table:
    prot, sc = _ps(f, prot, sc)
    rows = [(label, [prot.text((sc, key, c)) for c in COUNT_COLS]) for key, label in _count_labels()]
    chart = [(TYPE_LABELS[c], prot.value((sc, "active", c))) for c in COUNT_COLS if c != "totaal"]
    return Table(
        "aantallen",
        _("Trajecten per soort"),
        [_("Indicator")] + [TYPE_LABELS[c] for c in COUNT_COLS],
        rows,
        marks_note(
            _("Entiteitsoverschrijdende trajecten tellen mee bij hun soort en worden apart getoond."), rows
        ),
        chart,
        chart_subject=_("Aantal actieve trajecten in de periode, per soort"),
    )


def timeliness_table(f: Figures, prot: dc.Protection | None = None, sc=None) -> Table:
    prot, sc = _ps(f, prot, sc)

    def k(name):
        return (sc, "tijdig", name)

    def part(name, whole="eligible"):
        return [prot.text(k(name)), prot.share(k(name), k(whole))]

    rows = [
        (_("Informele trajecten gestart in de periode"), [prot.text(k("eligible")), ""]),
        (_("Eerste gesprek binnen 6 weken"), part("gesprek_6w")),
        (_("Eerste gesprek binnen 2 maanden"), part("gesprek_2m")),
        (_("Met een positieve inschatting"), part("positive")),
        (_("Stappenplan binnen 2 maanden na positieve inschatting"), part("stappenplan_2m", "positive")),
        (_("Formeel traject werd verplicht"), part("verplicht")),
        (
            _("Formeel traject zou verplicht zijn (verplichting nog niet van kracht)"),
            part("waarschuwing"),
        ),
    ]
    chart = [
        (_("Gesprek ≤ 6 weken"), prot.value(k("gesprek_6w"))),
        (_("Gesprek ≤ 2 maanden"), prot.value(k("gesprek_2m"))),
        (_("Stappenplan ≤ 2 maanden"), prot.value(k("stappenplan_2m"))),
    ]
    return Table(
        "tijdigheid",
        _("Tijdigheid"),
        [_("Indicator"), _("Aantal"), _("Aandeel")],
        rows,
        marks_note(
            _(
                "Het stappenplan wordt gemeten tegenover de trajecten met een positieve inschatting, zonder "
                "rekening te houden met verlengingen; de andere aandelen tegenover de informele trajecten die "
                "in de periode startten. Onderzoek aangehaald in de "
                "omzendbrief raadt een eerste gesprek in week 4 tot 6 aan."
            ),
            rows,
        ),
        chart,
        chart_subject=_(
            "Van de informele trajecten die in de periode startten: het aantal met een eerste gesprek binnen "
            "6 weken en binnen 2 maanden na D0, en met een stappenplan binnen 2 maanden na een positieve "
            "inschatting"
        ),
    )


def measures_table(f: Figures, prot: dc.Protection | None = None, sc=None) -> Table:
    prot, sc = _ps(f, prot, sc)
    labels = dict(Maatregel.Soort.choices)
    rows, chart = _counted(
        prot, [(str(labels[k]), (sc, "maatregel", k)) for k in labels], (sc, "maatregel", "totaal")
    )
    rows.insert(0, (_("Trajecten met minstens één maatregel"), [prot.text((sc, "met_maatregel"))]))
    return Table(
        "maatregelen",
        _("Maatregelen van aangepast werk"),
        [_("Soort maatregel"), _("Aantal")],
        rows,
        marks_note(_("Maatregelen uit stappenplannen die in de periode werden opgemaakt."), rows),
        chart,
        chart_subject=_("Aantal maatregelen van aangepast werk, per soort"),
    )


def outcomes_table(f: Figures, prot: dc.Protection | None = None, sc=None) -> Table:
    prot, sc = _ps(f, prot, sc)
    labels = dict(Traject.Uitkomst.choices)
    rows, chart = _counted(
        prot, [(str(labels[k]), (sc, "uitkomst", k)) for k in labels], (sc, "uitkomst", "totaal")
    )
    return Table(
        "uitkomsten",
        _("Uitkomsten van afgesloten trajecten"),
        [_("Uitkomst"), _("Aantal")],
        rows,
        marks_note("", rows),
        chart,
        chart_subject=_("Aantal afgesloten trajecten, per uitkomst"),
    )


def duration_table(f: Figures, prot: dc.Protection | None = None, sc=None) -> Table:
    prot, sc = _ps(f, prot, sc)
    groups_of = _durations(f)

    def row(label, i):
        d, key = groups_of[i], (sc, "duur", i)
        hidden = prot.hidden(key)
        return (
            label,
            [prot.text(key)] + [dc.days(d, attr, hidden) for attr in ("q1", "median", "q3")],
        )

    def median_bar(i):
        """The chart shows a median only where the table does: hidden (None) with its row; a group without
        returns has no median ("—" in the table, "geen gegevens" in the chart, never a bar of 0 days)."""
        d = groups_of[i]
        if d.n == 0:
            return EMPTY
        return None if prot.hidden((sc, "duur", i)) or d.n < dc.threshold() else round(d.median or 0)

    rows = [
        row(_("Alle werkhervattingen in de periode"), 0),
        row(_("Eerste gesprek binnen 6 weken"), 1),
        row(_("Eerste gesprek later of niet"), 2),
        row(_("Met maatregelen van aangepast werk"), 3),
        row(_("Zonder maatregelen"), 4),
    ]
    return Table(
        "duur",
        _("Duur van de afwezigheid tot de werkhervatting (dagen)"),
        [_("Groep"), _("Aantal"), _("Eerste kwartiel"), _("Mediaan"), _("Derde kwartiel")],
        rows,
        marks_note(
            _(
                "Dit is de mogelijke impact van de maatregelen op de duur van langdurige afwezigheid wegens "
                "ziekte (omzendbrief, punt 6): de mediaan per groep. Een verschil is een samenhang, geen "
                "bewezen oorzaak: de groepen verschillen ook in andere opzichten."
            ),
            rows,
        ),
        [
            (_("Gesprek ≤ 6 weken"), median_bar(1)),
            (_("Later of geen gesprek"), median_bar(2)),
            (_("Met maatregelen"), median_bar(3)),
            (_("Zonder maatregelen"), median_bar(4)),
        ],
        chart_subject=_("Mediane duur van de afwezigheid tot de werkhervatting, per groep, in dagen"),
        chart_unit=" " + _("dagen"),
    )


def relapse_table(f: Figures, prot: dc.Protection | None = None, sc=None) -> Table:
    prot, sc = _ps(f, prot, sc)

    def k(name):
        return (sc, "herval", name)

    rows = [
        (_("Werkhervattingen in de periode"), [prot.text(k("returns")), ""]),
        (_("Herval binnen 3 maanden"), [prot.text(k("within_3m")), prot.share(k("within_3m"), k("returns"))]),
        (
            _("Herval binnen 12 maanden"),
            [prot.text(k("within_12m")), prot.share(k("within_12m"), k("returns"))],
        ),
    ]
    return Table(
        "herval",
        _("Herval na werkhervatting"),
        [_("Indicator"), _("Aantal"), _("Aandeel")],
        rows,
        marks_note(
            _("Voor werkhervattingen van de laatste maanden is de termijn van 12 maanden nog niet om."), rows
        ),
    )


def actors_table(f: Figures, prot: dc.Protection | None = None, sc=None) -> Table:
    prot, sc = _ps(f, prot, sc)
    labels = dict(Betrokkenheid.Actor.choices)
    rows, chart = _counted(prot, [(str(labels[k]), (sc, "actor", k)) for k in labels])
    return Table(
        "welzijnsactoren",
        _("Betrokkenheid van welzijnsactoren en het SMT"),
        [_("Welzijnsactor"), _("Trajecten")],
        rows,
        marks_note(
            _(
                "Aantal actieve trajecten waarin de actor betrokken was (een traject kan meerdere actoren "
                "hebben)."
            ),
            rows,
        ),
        chart,
        chart_subject=_("Aantal actieve trajecten waarin de welzijnsactor betrokken was, per actor"),
    )


def report_tables(f: Figures, prot: dc.Protection | None = None, sc=None) -> list[Table]:
    prot, sc = _ps(f, prot, sc)
    return [
        table(f, prot, sc)
        for table in (
            counts_table,
            timeliness_table,
            measures_table,
            outcomes_table,
            duration_table,
            relapse_table,
            actors_table,
        )
    ]


ENTITY_COLS = COUNT_COLS


def _entity_key(e: Entiteit):
    return ("e", e.pk)


def _by_domain(report: Report) -> dict[str, list[Entiteit]]:
    by_domain: dict[str, list[Entiteit]] = {}
    for e in report.entities:
        by_domain.setdefault(e.beleidsdomein, []).append(e)
    return dict(sorted(by_domain.items()))


def declare_entities(prot: dc.Protection, report: Report) -> None:
    """HOC: active trajectories per entity, with subtotals per beleidsdomein and the VO total; the
    interim template (informeel + formeel per entity) and the extract (measures per entity).

    The sums a reader can check: each row (informeel + formeel + preventief = totaal), each column within a
    domain (entities = subtotal) and over the domains (subtotals = VO total), the entity-crossing column
    too; the template's total per entity (informeel + formeel); the extract's measures per kind over the
    entities (= the VO measures table). The VO total row is the VO counts table's active row (same keys).
    """
    domains = _by_domain(report)
    for e in report.entities:
        f, ek = report.per_entity[e.pk], _entity_key(e)
        for c in ENTITY_COLS:
            prot.cell((ek, "active", c), f.active[c], total=c == "totaal")
        prot.equation((ek, "active", "totaal"), [(ek, "active", c) for c in COUNT_COLS[:3]])
        prot.cell((ek, "sjabloon"), f.active["informeel"] + f.active["formeel"], total=True)
        prot.equation((ek, "sjabloon"), [(ek, "active", "informeel"), (ek, "active", "formeel")])
        prot.cell((ek, "met_maatregel"), f.trajecten_met_maatregel)
        for k in Maatregel.Soort.values:
            prot.cell((ek, "maatregel", k), f.measures[k])
    for domain, ents in domains.items():
        dk = ("d", domain)
        for c in ENTITY_COLS:
            sub = report.per_domain.get(domain)  # (a hand-made report may leave its domains out)
            value = sub.active[c] if sub else sum(report.per_entity[e.pk].active[c] for e in ents)
            prot.cell((dk, "active", c), value, total=True)
            prot.equation((dk, "active", c), [(_entity_key(e), "active", c) for e in ents])
        prot.equation((dk, "active", "totaal"), [(dk, "active", c) for c in COUNT_COLS[:3]])
    for c in ENTITY_COLS:
        prot.equation((VO, "active", c), [(("d", d), "active", c) for d in domains])
    for k in Maatregel.Soort.values:
        prot.equation((VO, "maatregel", k), [(_entity_key(e), "maatregel", k) for e in report.entities])
    prot.equation((VO, "met_maatregel"), [(_entity_key(e), "met_maatregel") for e in report.entities])


FIGURES_DECLARATIONS.append(declare_figures)
VO_DECLARATIONS.append(declare_entities)


def vo_protection(report: Report) -> dc.Protection:
    """The VO-wide report's protection (HOC, interim template and extract: the same figures), solved once
    per Report object."""
    prot = report.__dict__.get("_protection")
    if prot is None:
        prot = dc.Protection()
        for declare in FIGURES_DECLARATIONS:
            declare(prot, report.total, VO)
        for declare in VO_DECLARATIONS:
            declare(prot, report)
        report.__dict__["_protection"] = prot.solve()
        report.total.__dict__["_protection"] = (prot, VO)
    return prot


def _entity_rows(report: Report) -> tuple[list[str], list[tuple], list[int]]:
    labels, scopes, subtotal_rows = [], [], []
    for domain, ents in _by_domain(report).items():
        for e in ents:
            labels.append(e.naam)
            scopes.append(_entity_key(e))
        labels.append(_("Subtotaal %(d)s") % {"d": domain})
        scopes.append(("d", domain))
        subtotal_rows.append(len(labels) - 1)
    labels.append(_("Totaal Vlaamse overheid"))
    scopes.append(VO)
    return labels, scopes, subtotal_rows


def entity_table(report: Report, prot: dc.Protection | None = None) -> Table:
    prot = prot or vo_protection(report)
    labels, scopes, subtotal_rows = _entity_rows(report)
    rows = [
        (label, [prot.text((sk, "active", c)) for c in ENTITY_COLS])
        for label, sk in zip(labels, scopes, strict=True)
    ]
    return Table(
        "per_entiteit",
        _("Actieve trajecten per entiteit en beleidsdomein"),
        [_("Entiteit")] + [TYPE_LABELS[c] for c in ENTITY_COLS],
        rows,
        marks_note(_("<%(n)s: 1 tot %(m)s personen.") % {"n": dc.threshold(), "m": dc.threshold() - 1}, rows),
        subtotal_rows={*subtotal_rows, len(labels) - 1},
    )


def tables_for(report: Report, entiteit: Entiteit | None, curves: bool = True) -> list[Table]:
    """An entity's (EOC) tables, or the VO-wide (HOC) tables when ``entiteit`` is None; ``curves=False``
    leaves the return-to-work curves out (they have a protection of their own, so the other tables are the
    same without them): what the comparison with the year before reads, without fitting that year's curves."""
    from .survival import with_curves

    tables = report_tables(report.per_entity[entiteit.pk]) if entiteit else hoc_tables(report)
    return with_curves(tables, report, entiteit) if curves else tables


def hoc_tables(report: Report) -> list[Table]:
    """The HOC report's tables, with one protection for all of them (and the template and the extract):
    the VO counts table's active row is the entity table's total row, the same cells."""
    prot = vo_protection(report)
    tables = report_tables(report.total, prot, VO)
    tables.insert(1, entity_table(report, prot))
    return tables


def template_rows(report: Report) -> list[list]:
    """The interim standard template (circular section 6): informal and formal trajectories per entity,
    entity-crossing included, with anonymity applied (the HOC's protection)."""
    prot = vo_protection(report)
    header = [
        _("Entiteit"),
        _("Code"),
        _("Beleidsdomein"),
        _("Informele trajecten"),
        _("Formele trajecten"),
        _("Waarvan entiteitsoverschrijdend"),
        _("Totaal"),
    ]
    out = [header]
    for e in report.entities:
        ek = _entity_key(e)
        out.append(
            [
                e.naam,
                e.code,
                e.beleidsdomein,
                prot.text((ek, "active", "informeel")),
                prot.text((ek, "active", "formeel")),
                prot.text((ek, "active", "entiteitsoverschrijdend")),
                prot.text((ek, "sjabloon")),
            ]
        )
    return out


def extract_rows(report: Report) -> list[list]:
    """Yearly globalised and anonymised extract of the re-integration plans for the preventieadviseur-
    arbeidsarts: per entity, the number of trajectories with measures and the measures by kind."""
    prot = vo_protection(report)
    labels = dict(Maatregel.Soort.choices)
    header = [_("Entiteit"), _("Code"), _("Trajecten met maatregelen")] + [str(v) for v in labels.values()]
    out = [header]
    for e in report.entities:
        ek = _entity_key(e)
        out.append(
            [e.naam, e.code, prot.text((ek, "met_maatregel"))]
            + [prot.text((ek, "maatregel", k)) for k in labels]
        )
    return out


def rows_table(key: str, title: str, rows: list[list], note: str, text_columns: int) -> Table:
    """Rows with the header first (the template, the extract) as a Table: the first column heads each row."""
    header, *body = rows
    table_rows = [(str(r[0]), [str(c) for c in r[1:]]) for r in body]
    return Table(
        key,
        title,
        [str(c) for c in header],
        table_rows,
        marks_note(note, table_rows),
        text_columns=text_columns,
    )


def template_table(report: Report) -> Table:
    return rows_table(
        "sjabloon",
        _("Informele en formele trajecten per entiteit"),
        template_rows(report),
        _(
            "Trajecten die actief waren in de periode. Totaal = informele + formele trajecten; "
            "entiteitsoverschrijdende trajecten tellen mee bij hun soort en worden apart getoond; preventieve "
            "trajecten tellen niet mee."
        ),
        text_columns=2,  # code, beleidsdomein
    )


def extract_table(report: Report) -> Table:
    return rows_table(
        "extract",
        _("Maatregelen van aangepast werk per entiteit"),
        extract_rows(report),
        _(
            "Maatregelen uit stappenplannen die in de periode werden opgemaakt, per soort, en het aantal "
            "trajecten met minstens één maatregel. Een traject kan maatregelen van meerdere soorten hebben."
        ),
        text_columns=1,  # code
    )


# --- issue 12: timeliness per entity, the course of formal and entity-crossing trajectories, efforts ---
# (rapportering.sections puts them in the reports and the dashboard; anonymity: the report's Protection)


ENTITY_TIMELINESS = ("eligible", "gesprek_2m", "positive", "stappenplan_2m")


def declare_entity_timeliness(prot: dc.Protection, report: Report) -> None:
    """HOC: per entity the informal trajectories started and those with a positive assessment (printed),
    and those with a first conversation / a stappenplan within 2 months (printed as a share of them, so
    as good as printed); each column adds up to the VO total."""
    for e in report.entities:
        t, ek = report.per_entity[e.pk].timeliness, _entity_key(e)
        for name in ENTITY_TIMELINESS:
            prot.cell((ek, "tijdig", name), t[name])
        prot.subset((ek, "tijdig", "eligible"), (ek, "tijdig", "gesprek_2m"), (ek, "tijdig-rest", "2m"))
        prot.subset((ek, "tijdig", "positive"), (ek, "tijdig", "stappenplan_2m"), (ek, "tijdig-rest", "plan"))
    for name in ENTITY_TIMELINESS:
        prot.equation((VO, "tijdig", name), [(_entity_key(e), "tijdig", name) for e in report.entities])


def entity_timeliness_table(report: Report) -> Table:
    """HOC: per entity, the informal trajectories that started in the period, the share with a first
    conversation within 2 months, and the share with a stappenplan within 2 months of a positive
    assessment, and the VO total (the HOC's protection: the columns add up to it)."""
    prot = vo_protection(report)
    scopes = [_entity_key(e) for e in report.entities] + [VO]
    labels = [e.naam for e in report.entities] + [_("Totaal Vlaamse overheid")]
    rows = []
    for label, sk in zip(labels, scopes, strict=True):

        def k(name, sk=sk):
            return (sk, "tijdig", name)

        rows.append(
            (
                label,
                [
                    prot.text(k("eligible")),
                    prot.share(k("gesprek_2m"), k("eligible")),
                    prot.text(k("positive")),
                    prot.share(k("stappenplan_2m"), k("positive")),
                ],
            )
        )
    return Table(
        "tijdigheid_per_entiteit",
        _("Tijdigheid per entiteit"),
        [
            _("Entiteit"),
            _("Informele trajecten gestart"),
            _("Eerste gesprek binnen 2 maanden"),
            _("Met een positieve inschatting"),
            _("Stappenplan binnen 2 maanden"),
        ],
        rows,
        marks_note(
            _(
                "Aandelen zoals in de tabel Tijdigheid: het eerste gesprek tegenover de informele trajecten met "
                "een D0 die in de periode startten, het stappenplan tegenover die met een positieve inschatting."
            ),
            rows,
        ),
        subtotal_rows={len(rows) - 1},
    )


def _kb_labels():
    labels = [
        _("Re-integratiebeoordeling binnen 49 dagen na de aanvraag"),
        _("Re-integratieplan of gemotiveerd verslag binnen 63 dagen (of 6 maanden) na de beoordeling"),
        _("Antwoord van het personeelslid binnen 14 dagen na het plan"),
    ]
    return list(zip(fg.KB_TERMS, labels, strict=True))  # beoordeling, plan, antwoord


def declare_course(prot: dc.Protection, f: Figures, sc) -> None:
    """The course of formal and entity-crossing trajectories: per KB term the terms that ended and those
    met on time (a part of them); the outcomes of closed formal and entity-crossing trajectories with
    their totals (= the closed ones of that kind in the counts table); the requests to AgO by status."""
    for code in fg.KB_TERMS:
        on_time = f.formal_terms[f"{code}.{fg.ON_TIME}"]
        prot.cell((sc, "kb", code), on_time + f.formal_terms[f"{code}.{fg.LATE}"], total=True)
        prot.cell((sc, "kb-tijdig", code), on_time)
        prot.subset((sc, "kb", code), (sc, "kb-tijdig", code), (sc, "kb-rest", code))
    for name, counts, closed in (
        ("uitkomst-formeel", f.outcomes_formeel, "formeel"),
        ("uitkomst-overschrijdend", f.outcomes_crossing, "entiteitsoverschrijdend"),
    ):
        kinds = Traject.Uitkomst.values
        for k in kinds:
            prot.cell((sc, name, k), counts[k])
        prot.cell((sc, name, "totaal"), sum(counts[k] for k in kinds), total=True)
        prot.equation((sc, name, "totaal"), [(sc, name, k) for k in kinds])
        prot.equation((sc, name, "totaal"), [(sc, "closed", closed)])
    from trajecten.models import Aanmelding

    for k in Aanmelding.Status.values:
        prot.cell((sc, "aanmelding", k), f.aanmeldingen[k])
    prot.cell(
        (sc, "aanmelding", "totaal"), sum(f.aanmeldingen[k] for k in Aanmelding.Status.values), total=True
    )
    prot.equation((sc, "aanmelding", "totaal"), [(sc, "aanmelding", k) for k in Aanmelding.Status.values])


def formal_terms_table(f: Figures, prot: dc.Protection | None = None, sc=None) -> Table:
    """The KB terms of formal trajectories that ended in the period: how many were met on time."""
    prot, sc = _ps(f, prot, sc)
    rows, chart = [], []
    for code, label in _kb_labels():
        n, on_time = (sc, "kb", code), (sc, "kb-tijdig", code)
        rows.append((label, [prot.text(n), prot.text(on_time), prot.share(on_time, n)]))
        chart.append((label, prot.value(on_time)))
    return Table(
        "formeel_termijnen",
        _("Verloop van de formele trajecten: termijnen van het KB"),
        [_("Termijn"), _("Afgelopen in de periode"), _("Tijdig"), _("Aandeel tijdig")],
        rows,
        marks_note(
            _(
                "Termijnen van het formele re-integratietraject (KB van 11 september 2022) waarvan de einddatum "
                "in de periode viel: tijdig als de stap uiterlijk op die datum gezet werd. Een termijn die nog "
                "liep toen het traject afgesloten werd, telt niet mee."
            ),
            rows,
        ),
        chart,
        chart_subject=_("Aantal termijnen van het KB die tijdig gehaald werden, per termijn"),
    )


def _outcomes_of(f, prot, sc, name: str, key: str, title: str, note: str, subject: str) -> Table:
    """Closed trajectories of one kind per outcome, with their total and a chart."""
    prot, sc = _ps(f, prot, sc)
    labels = dict(Traject.Uitkomst.choices)
    rows, chart = _counted(prot, [(str(labels[k]), (sc, name, k)) for k in labels], (sc, name, "totaal"))
    return Table(
        key, title, [_("Uitkomst"), _("Aantal")], rows, marks_note(note, rows), chart, chart_subject=subject
    )


def formal_outcomes_table(f: Figures, prot: dc.Protection | None = None, sc=None) -> Table:
    return _outcomes_of(
        f,
        prot,
        sc,
        "uitkomst-formeel",
        "formeel_uitkomsten",
        _("Uitkomsten van afgesloten formele trajecten"),
        _("Formele trajecten die in de periode afgesloten werden, per uitkomst."),
        _("Aantal afgesloten formele trajecten, per uitkomst"),
    )


def crossing_intake_table(f: Figures, prot: dc.Protection | None = None, sc=None) -> Table:
    from trajecten.models import Aanmelding

    prot, sc = _ps(f, prot, sc)
    labels = dict(Aanmelding.Status.choices)
    rows, chart = _counted(
        prot, [(str(labels[k]), (sc, "aanmelding", k)) for k in labels], (sc, "aanmelding", "totaal")
    )
    return Table(
        "entiteitsoverschrijdend_aanmeldingen",
        _("Aanmeldingen bij AgO voor entiteitsoverschrijdende trajecten"),
        [_("Stand op het einde van de periode"), _("Aanmeldingen")],
        rows,
        marks_note(
            _(
                "Aanmeldingen die in de periode bij AgO gebeurden, met hun stand op de laatste dag van de "
                "periode; ze tellen bij de entiteit van herkomst."
            ),
            rows,
        ),
        chart,
        chart_subject=_("Aantal aanmeldingen bij AgO in de periode, per stand op het einde van de periode"),
    )


def crossing_outcomes_table(f: Figures, prot: dc.Protection | None = None, sc=None) -> Table:
    return _outcomes_of(
        f,
        prot,
        sc,
        "uitkomst-overschrijdend",
        "entiteitsoverschrijdend_uitkomsten",
        _("Uitkomsten van afgesloten entiteitsoverschrijdende trajecten"),
        _("Trajecten met een doelentiteit die in de periode afgesloten werden, per uitkomst."),
        _("Aantal afgesloten entiteitsoverschrijdende trajecten, per uitkomst"),
    )


def declare_efforts(prot: dc.Protection, report: Report) -> None:
    """The template's global efforts per entity: coaches, conversations, and the measures (the sum of the
    extract's measures per kind of the same entity)."""
    for e in report.entities:
        f, ek = report.per_entity[e.pk], _entity_key(e)
        prot.cell((ek, "inspanning", "coaches"), f.coaches)
        prot.cell((ek, "inspanning", "gesprekken"), f.gesprekken)
        prot.cell((ek, "inspanning", "maatregelen"), sum(f.measures[k] for k in Maatregel.Soort.values))
        prot.equation(
            (ek, "inspanning", "maatregelen"), [(ek, "maatregel", k) for k in Maatregel.Soort.values]
        )


FIGURES_DECLARATIONS.append(declare_course)
VO_DECLARATIONS += [declare_entity_timeliness, declare_efforts]


def effort_rows(report: Report) -> list[list]:
    """The interim standard template's "globale inspanningen" per entity (circular section 6): coaches,
    conversations and measures, each count shown as the anonymity rules allow (no total is shown)."""
    header = [
        _("Entiteit"),
        _("Code"),
        _("Terugkeercoaches met een actief traject"),
        _("Gesprekken in de periode"),
        _("Maatregelen van aangepast werk"),
    ]
    prot = vo_protection(report)
    out = [header]
    for e in report.entities:
        ek = _entity_key(e)
        counts = [prot.text((ek, "inspanning", k)) for k in ("coaches", "gesprekken", "maatregelen")]
        out.append([e.naam, e.code, *counts])
    return out


def effort_table(report: Report) -> Table:
    return rows_table(
        "inspanningen",
        _("Globale inspanningen per entiteit"),
        effort_rows(report),
        _(
            "Terugkeercoaches: het aantal coaches aan wie minstens één actief traject van de entiteit was "
            "toegewezen. Gesprekken: alle geregistreerde gesprekken en contacten in de periode. Maatregelen: "
            "maatregelen uit stappenplannen die in de periode werden opgemaakt."
        ),
        text_columns=1,  # code
    )
