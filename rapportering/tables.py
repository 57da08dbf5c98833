"""The report's tables, with anonymity applied: what the PDF, the CSV/XLSX and the dashboards show."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from entiteiten.models import Entiteit
from trajecten.models import Betrokkenheid, Maatregel, Traject

from . import figures as fg
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


def _counted(
    items: list[tuple[str, int]], with_total: bool = True
) -> tuple[list[tuple[str, list[str]]], list]:
    values = [[v] for _, v in items]
    total = sum(v for _, v in items)
    hidden = fg.suppress_table(
        values + ([[total]] if with_total else []), row_totals=False, col_totals=with_total
    )
    rows = [(label, [fg.show(v, hidden[i][0])]) for i, (label, v) in enumerate(items)]
    chart = [(label, None if hidden[i][0] else v) for i, (label, v) in enumerate(items)]
    if with_total:
        rows.append((_("Totaal"), [fg.show(total, hidden[-1][0])]))
    return rows, chart


COUNT_COLS = ["informeel", "formeel", "preventief", "totaal", "entiteitsoverschrijdend"]


def _count_labels():
    return [
        ("started", _("Gestart in de periode")),
        ("ongoing", _("Lopend op het einde van de periode")),
        ("closed", _("Afgesloten in de periode")),
        ("active", _("Actief in de periode")),
    ]


def _counts_spec(f: Figures) -> tuple[list[list[int]], list[list[fg.Cell]]]:
    raw = [[getattr(f, key)[c] for c in COUNT_COLS] for key, _label in _count_labels()]
    # Sums a reader can check: informeel + formeel + preventief = totaal in every row, and in every
    # column active = ongoing + closed (rows 1, 2, 3). The entity-crossing column is a subset of the
    # others and takes part in the column sums only.
    groups = [[(r, c) for c in range(4)] for r in range(4)]
    groups += [[(1, c), (2, c), (3, c)] for c in range(5)]
    return raw, groups


def counts_table(f: Figures, hidden: list[list[bool]] | None = None) -> Table:
    raw, groups = _counts_spec(f)
    if hidden is None:
        hidden = fg.suppress_groups(raw, groups)
    rows = [
        (label, [fg.show(v, h) for v, h in zip(values, hid, strict=True)])
        for (_key, label), values, hid in zip(_count_labels(), raw, hidden, strict=True)
    ]
    chart = [
        (TYPE_LABELS[c], None if hidden[3][i] or fg.is_small(f.active[c]) else f.active[c])
        for i, c in enumerate(COUNT_COLS)
        if c != "totaal"
    ]
    return Table(
        "aantallen",
        _("Trajecten per soort"),
        [_("Indicator")] + [TYPE_LABELS[c] for c in COUNT_COLS],
        rows,
        _("Entiteitsoverschrijdende trajecten tellen mee bij hun soort en worden apart getoond."),
        chart,
        chart_subject=_("Aantal actieve trajecten in de periode, per soort"),
    )


def _part(part: int, whole: int, outer: int | None = None) -> list[str]:
    """A count and its share of a shown whole. When the rest (whole - part), or the difference with a
    shown count it is a subset of (``outer``), is 1 to threshold-1, the count would reveal it: hidden."""
    rest_small = fg.is_small(whole - part) or (outer is not None and fg.is_small(outer - part))
    if rest_small and not fg.is_small(part):
        return [fg.marker(), fg.marker()]
    return [fg.show(part), fg.share(part, whole)]


def _bar(cells: list[str], value: int) -> int | None:
    """A chart bar shows a figure only where its table shows it."""
    return None if cells[0] == fg.marker() else value


def timeliness_table(f: Figures) -> Table:
    t = f.timeliness
    n = t["eligible"]
    g6w = _part(t["gesprek_6w"], n, outer=t["gesprek_2m"])
    g2m = _part(t["gesprek_2m"], n)
    plan = _part(t["stappenplan_2m"], t["positive"])
    rows = [
        (_("Informele trajecten gestart in de periode"), [fg.show(n), ""]),
        (_("Eerste gesprek binnen 6 weken"), g6w),
        (_("Eerste gesprek binnen 2 maanden"), g2m),
        (_("Met een positieve inschatting"), _part(t["positive"], n)),
        (_("Stappenplan binnen 2 maanden na positieve inschatting"), plan),
        (_("Formeel traject werd verplicht"), _part(t["verplicht"], n)),
        (
            _("Formeel traject zou verplicht zijn (verplichting nog niet van kracht)"),
            _part(t["waarschuwing"], n),
        ),
    ]
    chart = [
        (_("Gesprek ≤ 6 weken"), _bar(g6w, t["gesprek_6w"])),
        (_("Gesprek ≤ 2 maanden"), _bar(g2m, t["gesprek_2m"])),
        (_("Stappenplan ≤ 2 maanden"), _bar(plan, t["stappenplan_2m"])),
    ]
    return Table(
        "tijdigheid",
        _("Tijdigheid"),
        [_("Indicator"), _("Aantal"), _("Aandeel")],
        rows,
        _(
            "Het stappenplan wordt gemeten tegenover de trajecten met een positieve inschatting, zonder rekening "
            "te houden met verlengingen; de andere aandelen tegenover de informele trajecten die in de periode "
            "startten. Onderzoek aangehaald in de "
            "omzendbrief raadt een eerste gesprek in week 4 tot 6 aan."
        ),
        chart,
        chart_subject=_(
            "Van de informele trajecten die in de periode startten: het aantal met een eerste gesprek binnen "
            "6 weken en binnen 2 maanden na D0, en met een stappenplan binnen 2 maanden na een positieve "
            "inschatting"
        ),
    )


def measures_table(f: Figures) -> Table:
    labels = dict(Maatregel.Soort.choices)
    rows, chart = _counted([(str(labels[k]), f.measures[k]) for k in labels])
    rows.insert(0, (_("Trajecten met minstens één maatregel"), [fg.show(f.trajecten_met_maatregel)]))
    return Table(
        "maatregelen",
        _("Maatregelen van aangepast werk"),
        [_("Soort maatregel"), _("Aantal")],
        rows,
        _("Maatregelen uit stappenplannen die in de periode werden opgemaakt."),
        chart,
        chart_subject=_("Aantal maatregelen van aangepast werk, per soort"),
    )


def outcomes_table(f: Figures) -> Table:
    labels = dict(Traject.Uitkomst.choices)
    rows, chart = _counted([(str(labels[k]), f.outcomes[k]) for k in labels])
    return Table(
        "uitkomsten",
        _("Uitkomsten van afgesloten trajecten"),
        [_("Uitkomst"), _("Aantal")],
        rows,
        "",
        chart,
        chart_subject=_("Aantal afgesloten trajecten, per uitkomst"),
    )


def duration_table(f: Figures) -> Table:
    groups_of = [
        f.duration,
        f.duration_early,
        f.duration_late,
        f.duration_with_measures,
        f.duration_without_measures,
    ]
    # early + late = all, and with + without measures = all: the counts are suppressed as groups.
    hidden = [
        h[0]
        for h in fg.suppress_groups(
            [[d.n] for d in groups_of], [[(0, 0), (1, 0), (2, 0)], [(0, 0), (3, 0), (4, 0)]]
        )
    ]

    def row(label, i):
        d = groups_of[i]
        if hidden[i] or fg.is_small(d.n):
            return (label, [fg.marker()] * 4)
        return (label, [fg.show(d.n), fg.days(d, "q1"), fg.days(d, "median"), fg.days(d, "q3")])

    def median_bar(i):
        """The chart shows a median only where the table does: hidden (None) with its row, 0 when empty."""
        d = groups_of[i]
        if d.n == 0:
            return 0
        return None if hidden[i] or fg.is_small(d.n) else round(d.median or 0)

    return Table(
        "duur",
        _("Duur van de afwezigheid tot de werkhervatting (dagen)"),
        [_("Groep"), _("Aantal"), _("Eerste kwartiel"), _("Mediaan"), _("Derde kwartiel")],
        [
            row(_("Alle werkhervattingen in de periode"), 0),
            row(_("Eerste gesprek binnen 6 weken"), 1),
            row(_("Eerste gesprek later of niet"), 2),
            row(_("Met maatregelen van aangepast werk"), 3),
            row(_("Zonder maatregelen"), 4),
        ],
        _(
            "Dit is de mogelijke impact van de maatregelen op de duur van langdurige afwezigheid wegens ziekte "
            "(omzendbrief, punt 6): de mediaan per groep. Een verschil is een samenhang, geen bewezen oorzaak: "
            "de groepen verschillen ook in andere opzichten."
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


def relapse_table(f: Figures) -> Table:
    r = f.relapse
    return Table(
        "herval",
        _("Herval na werkhervatting"),
        [_("Indicator"), _("Aantal"), _("Aandeel")],
        [
            (_("Werkhervattingen in de periode"), [fg.show(r["returns"]), ""]),
            (_("Herval binnen 3 maanden"), _part(r["within_3m"], r["returns"], outer=r["within_12m"])),
            (
                _("Herval binnen 12 maanden"),
                _part(r["within_12m"], r["returns"]),
            ),
        ],
        _("Voor werkhervattingen van de laatste maanden is de termijn van 12 maanden nog niet om."),
    )


def actors_table(f: Figures) -> Table:
    labels = dict(Betrokkenheid.Actor.choices)
    rows, chart = _counted([(str(labels[k]), f.actors[k]) for k in labels], with_total=False)
    return Table(
        "welzijnsactoren",
        _("Betrokkenheid van welzijnsactoren en het SMT"),
        [_("Welzijnsactor"), _("Trajecten")],
        rows,
        _(
            "Aantal actieve trajecten waarin de actor betrokken was (een traject kan meerdere actoren hebben)."
        ),
        chart,
        chart_subject=_("Aantal actieve trajecten waarin de welzijnsactor betrokken was, per actor"),
    )


def report_tables(f: Figures) -> list[Table]:
    return [
        counts_table(f),
        timeliness_table(f),
        measures_table(f),
        outcomes_table(f),
        duration_table(f),
        relapse_table(f),
        actors_table(f),
    ]


ENTITY_COLS = COUNT_COLS


def _entity_spec(report: Report):
    """HOC: active trajectories per entity, with subtotals per beleidsdomein and the VO total.

    One matrix (entity rows, a subtotal row after each domain, the total row last) suppressed over every
    sum a reader can check: each row (informeel + formeel + preventief = totaal), each column within a
    domain (entities = subtotal) and each column over the domains (subtotals = total); the entity-crossing
    column takes part in the column sums.
    """
    by_domain: dict[str, list[Entiteit]] = {}
    for e in report.entities:
        by_domain.setdefault(e.beleidsdomein, []).append(e)
    labels: list[str] = []
    values: list[list[int]] = []
    groups: list[list[fg.Cell]] = []
    subtotal_rows: list[int] = []
    for domain, ents in sorted(by_domain.items()):
        first = len(values)
        for e in ents:
            labels.append(e.naam)
            values.append([report.per_entity[e.pk].active[c] for c in ENTITY_COLS])
        labels.append(_("Subtotaal %(d)s") % {"d": domain})
        values.append([report.per_domain[domain].active[c] for c in ENTITY_COLS])
        subtotal_rows.append(len(values) - 1)
        groups += [[(r, c) for r in range(first, len(values))] for c in range(len(ENTITY_COLS))]
    labels.append(_("Totaal Vlaamse overheid"))
    values.append([report.total.active[c] for c in ENTITY_COLS])
    groups += [[(r, c) for r in [*subtotal_rows, len(values) - 1]] for c in range(len(ENTITY_COLS))]
    groups += [[(r, c) for c in range(4)] for r in range(len(values))]
    return labels, values, groups, subtotal_rows


def entity_table(report: Report, hidden: list[list[bool]] | None = None) -> Table:
    labels, values, groups, subtotal_rows = _entity_spec(report)
    if hidden is None:
        hidden = fg.suppress_groups(values, groups)
    rows = [
        (label, [fg.show(v, h) for v, h in zip(vals, hid, strict=True)])
        for label, vals, hid in zip(labels, values, hidden, strict=True)
    ]
    return Table(
        "per_entiteit",
        _("Actieve trajecten per entiteit en beleidsdomein"),
        [_("Entiteit")] + [TYPE_LABELS[c] for c in ENTITY_COLS],
        rows,
        _(
            "<%(n)s: minder dan %(n)s personen, of verborgen omdat een (sub)totaal anders zo'n cel zou verraden."
        )
        % {"n": fg.threshold()},
        subtotal_rows={*subtotal_rows, len(values) - 1},
    )


def tables_for(report: Report, entiteit: Entiteit | None) -> list[Table]:
    """An entity's (EOC) tables, or the VO-wide (HOC) tables when ``entiteit`` is None."""
    from .survival import with_curves

    tables = report_tables(report.per_entity[entiteit.pk]) if entiteit else hoc_tables(report)
    return with_curves(tables, report, entiteit)


def hoc_tables(report: Report) -> list[Table]:
    """The HOC report's tables. Its counts table and its entity table both show the VO totals of active
    trajectories, so they are suppressed together: a cell hidden in one is hidden in the other."""
    _labels, ev, eg, _subs = _entity_spec(report)
    cv, cg = _counts_spec(report.total)
    n = len(ev)
    links = [((n - 1, c), (n + 3, c)) for c in range(len(COUNT_COLS))]
    hidden = fg.suppress_groups(ev + cv, eg + [[(r + n, c) for r, c in g] for g in cg], links)
    tables = report_tables(report.total)
    tables[0] = counts_table(report.total, hidden[n:])
    tables.insert(1, entity_table(report, hidden[:n]))
    return tables


def template_rows(report: Report) -> list[list]:
    """The interim standard template (circular section 6): informal and formal trajectories per entity,
    entity-crossing included, with anonymity applied."""
    header = [
        _("Entiteit"),
        _("Code"),
        _("Beleidsdomein"),
        _("Informele trajecten"),
        _("Formele trajecten"),
        _("Waarvan entiteitsoverschrijdend"),
        _("Totaal"),
    ]
    raw = [[report.per_entity[e.pk].active[c] for c in ("informeel", "formeel")] for e in report.entities]
    sums = [a + b for a, b in raw]
    hidden = fg.suppress_table(
        [r + [s] for r, s in zip(raw, sums, strict=True)], row_totals=True, col_totals=True
    )
    out = [header]
    for e, r, s, h in zip(report.entities, raw, sums, hidden, strict=True):
        cross = report.per_entity[e.pk].active["entiteitsoverschrijdend"]
        out.append(
            [
                e.naam,
                e.code,
                e.beleidsdomein,
                fg.show(r[0], h[0]),
                fg.show(r[1], h[1]),
                fg.show(cross),
                fg.show(s, h[2]),
            ]
        )
    return out


def extract_rows(report: Report) -> list[list]:
    """Yearly globalised and anonymised extract of the re-integration plans for the preventieadviseur-
    arbeidsarts: per entity, the number of trajectories with measures and the measures by kind."""
    labels = dict(Maatregel.Soort.choices)
    header = [_("Entiteit"), _("Code"), _("Trajecten met maatregelen")] + [str(v) for v in labels.values()]
    out = [header]
    for e in report.entities:
        f = report.per_entity[e.pk]
        values = [f.measures[k] for k in labels]
        hidden = fg.suppress_table([values], row_totals=True, col_totals=False)[0]
        out.append(
            [e.naam, e.code, fg.show(f.trajecten_met_maatregel)]
            + [fg.show(v, h) for v, h in zip(values, hidden, strict=True)]
        )
    return out


def rows_table(key: str, title: str, rows: list[list], note: str, text_columns: int) -> Table:
    """Rows with the header first (the template, the extract) as a Table: the first column heads each row."""
    header, *body = rows
    return Table(
        key,
        title,
        [str(c) for c in header],
        [(str(r[0]), [str(c) for c in r[1:]]) for r in body],
        note,
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
# (rapportering.sections puts them in the reports and the dashboard; anonymity through rapportering.shown)


def entity_timeliness_table(report: Report) -> Table:
    """HOC: per entity, the informal trajectories that started in the period, the share with a first
    conversation within 2 months, and the share with a stappenplan within 2 months of a positive
    assessment. The counts add up to the VO total (last row): suppressed as a column with its total; a
    share is shown only where its row's count is."""
    from . import shown

    figs = [report.per_entity[e.pk] for e in report.entities] + [report.total]
    labels = [e.naam for e in report.entities] + [_("Totaal Vlaamse overheid")]
    values = [[f.timeliness["eligible"], f.timeliness["positive"]] for f in figs]
    rows_ = range(len(values))
    hidden = shown.hide_groups(values, [[(r, 0) for r in rows_], [(r, 1) for r in rows_]])
    rows = []
    for label, f, hid in zip(labels, figs, hidden, strict=True):
        t = f.timeliness
        talk = shown.marker() if hid[0] else shown.share(t["gesprek_2m"], t["eligible"])
        plan = shown.marker() if hid[1] else shown.share(t["stappenplan_2m"], t["positive"])
        rows.append(
            (label, [shown.count(t["eligible"], hid[0]), talk, shown.count(t["positive"], hid[1]), plan])
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
        _(
            "Aandelen zoals in de tabel Tijdigheid: het eerste gesprek tegenover de informele trajecten met een "
            "D0 die in de periode startten, het stappenplan tegenover die met een positieve inschatting."
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


def formal_terms_table(f: Figures) -> Table:
    """The KB terms of formal trajectories that ended in the period: how many were met on time."""
    rows, chart = [], []
    for code, label in _kb_labels():
        on_time = f.formal_terms[f"{code}.{fg.ON_TIME}"]
        n = on_time + f.formal_terms[f"{code}.{fg.LATE}"]
        cells = _part(on_time, n)
        rows.append((label, [fg.show(n), *cells]))
        chart.append((label, _bar(cells, on_time)))
    return Table(
        "formeel_termijnen",
        _("Verloop van de formele trajecten: termijnen van het KB"),
        [_("Termijn"), _("Afgelopen in de periode"), _("Tijdig"), _("Aandeel tijdig")],
        rows,
        _(
            "Termijnen van het formele re-integratietraject (KB van 11 september 2022) waarvan de einddatum in "
            "de periode viel: tijdig als de stap uiterlijk op die datum gezet werd. Een termijn die nog liep "
            "toen het traject afgesloten werd, telt niet mee."
        ),
        chart,
        chart_subject=_("Aantal termijnen van het KB die tijdig gehaald werden, per termijn"),
    )


def _outcomes_of(key: str, counts, title: str, note: str, subject: str) -> Table:
    """Closed trajectories of one kind per outcome, with their total and a chart."""
    labels = dict(Traject.Uitkomst.choices)
    rows, chart = _counted([(str(labels[k]), counts[k]) for k in labels])
    return Table(key, title, [_("Uitkomst"), _("Aantal")], rows, note, chart, chart_subject=subject)


def formal_outcomes_table(f: Figures) -> Table:
    return _outcomes_of(
        "formeel_uitkomsten",
        f.outcomes_formeel,
        _("Uitkomsten van afgesloten formele trajecten"),
        _("Formele trajecten die in de periode afgesloten werden, per uitkomst."),
        _("Aantal afgesloten formele trajecten, per uitkomst"),
    )


def crossing_intake_table(f: Figures) -> Table:
    from trajecten.models import Aanmelding

    labels = dict(Aanmelding.Status.choices)
    rows, chart = _counted([(str(labels[k]), f.aanmeldingen[k]) for k in labels])
    return Table(
        "entiteitsoverschrijdend_aanmeldingen",
        _("Aanmeldingen bij AgO voor entiteitsoverschrijdende trajecten"),
        [_("Stand op het einde van de periode"), _("Aanmeldingen")],
        rows,
        _(
            "Aanmeldingen die in de periode bij AgO gebeurden, met hun stand op de laatste dag van de periode; "
            "ze tellen bij de entiteit van herkomst."
        ),
        chart,
        chart_subject=_("Aantal aanmeldingen bij AgO in de periode, per stand op het einde van de periode"),
    )


def crossing_outcomes_table(f: Figures) -> Table:
    return _outcomes_of(
        "entiteitsoverschrijdend_uitkomsten",
        f.outcomes_crossing,
        _("Uitkomsten van afgesloten entiteitsoverschrijdende trajecten"),
        _("Trajecten met een doelentiteit die in de periode afgesloten werden, per uitkomst."),
        _("Aantal afgesloten entiteitsoverschrijdende trajecten, per uitkomst"),
    )


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
    from . import shown

    out = [header]
    for e in report.entities:
        f = report.per_entity[e.pk]
        counts = [f.coaches, f.gesprekken, sum(f.measures.values())]
        out.append([e.naam, e.code, *[shown.count(n) for n in counts]])
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
