"""The published documents (EOC, HOC, interim standard template, extract for the arbeidsarts): their
title, explanations and tables. The PDF (rapportering.pdf) and the XLSX (rapportering.exports) render the
same document, so both carry the same definitions and the same explanation of the markers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from entiteiten.models import Entiteit

from . import disclosure as dc
from .figures import Report
from .findings import Finding
from .sections import report_content
from .tables import Table, effort_table, extract_table, template_table


@dataclass
class Document:
    kind: str  # EOC, HOC, Sjabloon, Extract: the running footer's first word
    title: str
    subject: str
    report: Report
    tables: list[Table]
    explanations: list[tuple[str, str]] = field(default_factory=list)  # (term, text), in reading order
    landscape: bool = False  # wide tables (one column per kind of measure) print on landscape pages
    findings: list[Finding] = field(default_factory=list)  # key findings: the first page after the cover

    @property
    def full_title(self) -> str:
        """The metadata title, which a PDF reader shows as the window title."""
        return f"{self.title} – {self.subject} – {self.report.periode.label}"


def _active() -> tuple[str, str]:
    return (
        _("Actief traject"),
        _(
            "Een traject is actief in de periode als het startte vóór het einde ervan en niet afgesloten werd "
            "vóór het begin. De start is de eerste dag van de arbeidsongeschiktheid (D0), of de "
            "registratiedatum bij een preventief traject. Entiteitsoverschrijdende trajecten tellen bij de "
            "entiteit van herkomst."
        ),
    )


def markers(shares: bool = False, charts: bool = False) -> list[tuple[str, str]]:
    """What the anonymity and other markers in the tables (with shares and durations; charts) mean."""
    n = dc.threshold()
    out = [
        (
            _("Anonimiteit"),
            _(
                "Alleen geaggregeerde cijfers; er worden geen personen genoemd. Medische gegevens worden in de "
                "tool niet bijgehouden."
            ),
        ),
        (
            dc.marker(),
            _(
                "Minder dan %(n)s personen (1 tot %(m)s). Zo'n kleine cel wordt nooit getoond, en ook niet "
                "afgeleid: waar een totaal, subtotaal of hetzelfde cijfer in een andere tabel haar zou verraden, "
                "is een andere cel verborgen (×)."
            )
            % {"n": n, "m": n - 1},
        ),
        (
            dc.SECONDARY,
            _(
                "Verborgen om een kleine groep te beschermen: een aantal van %(n)s of meer personen dat anders "
                "een kleine cel zou verraden, of een aandeel of duur van een verborgen aantal. Er worden zo "
                "weinig mogelijk personen verborgen, en een totaal alleen als niets anders kan."
            )
            % {"n": n},
        ),
    ]
    if shares:
        out += [
            ("—", _("Niet van toepassing: er is geen groep om een aandeel of een duur over te berekenen.")),
            (
                _("Lege cel"),
                _("Geen aandeel: de rij is zelf de groep waartegen de andere rijen gemeten worden."),
            ),
        ]
    if charts:
        out.append(
            (
                _("verborgen (in een grafiek)"),
                _("Een staaf die niet getekend wordt omdat de tabel het cijfer verbergt (<%(n)s of ×).")
                % {"n": n},
            )
        )
    return out


def report_document(report: Report, entiteit: Entiteit | None, previous: Report | None = None) -> Document:
    """An entity's EOC report, or the VO-wide HOC report when ``entiteit`` is None; with ``previous`` (the
    same period a year earlier) the key findings and a table compare with it."""
    content = report_content(report, entiteit, previous)
    explanations = [
        (
            _("Doel"),
            _(
                "Dit rapport volgt punt 6 van de omzendbrief re-integratie: het geeft het verloop en de "
                "uitkomsten van de informele, formele en entiteitsoverschrijdende re-integratietrajecten, de "
                "genomen maatregelen van aangepast werk en de effectiviteit, waaronder de mogelijke impact van "
                "de maatregelen op de duur van langdurige afwezigheid wegens ziekte."
            ),
        ),
        _active(),
        *markers(shares=True, charts=True),
    ]
    if entiteit is not None:
        return Document(
            "EOC",
            _("Re-integratie: rapport voor het Entiteitsoverlegcomité"),
            entiteit.naam,
            report,
            content.tables,
            explanations,
            findings=content.findings,
        )
    return Document(
        "HOC",
        _("Re-integratie: VO-brede rapportering voor het Hoog Overlegcomité"),
        _("Alle entiteiten van de Vlaamse overheid"),
        report,
        content.tables,
        explanations,
        findings=content.findings,
    )


def template_document(report: Report) -> Document:
    """The interim standard template of circular section 6, as a document."""
    return Document(
        _("Sjabloon"),
        _("Re-integratie: standaardsjabloon aantallen per entiteit"),
        _("Alle entiteiten van de Vlaamse overheid"),
        report,
        [template_table(report), effort_table(report)],
        [
            (
                _("Doel"),
                _(
                    "In afwachting van de VO-brede tool rapporteerden de entiteiten jaarlijks aan AgO over het "
                    "aantal informele en formele re-integratietrajecten, entiteitsoverschrijdende inbegrepen, "
                    "en over hun globale inspanningen (omzendbrief, punt 6). Dit standaardsjabloon geeft die "
                    "aantallen en inspanningen per entiteit uit de tool."
                ),
            ),
            _active(),
            *markers(),
        ],
        landscape=True,
    )


def extract_document(report: Report, entiteit: Entiteit | None = None) -> Document:
    """The yearly anonymised extract of the re-integration plans for the preventieadviseur-arbeidsarts:
    VO-wide (AgO), or one entity's (requested by its HR: circular, "door de entiteit"), suppressed alike."""
    if entiteit is not None:
        report = replace(report, entities=[entiteit])
    return Document(
        _("Extract"),
        _("Re-integratie: geanonimiseerd extract van de re-integratieplannen"),
        _("Voor de preventieadviseur-arbeidsarts") + (f" – {entiteit.naam}" if entiteit is not None else ""),
        report,
        [extract_table(report)],
        [
            (
                _("Doel"),
                _(
                    "De entiteit bezorgt de preventieadviseur-arbeidsarts jaarlijks de geglobaliseerde en "
                    "geanonimiseerde informatie uit de re-integratieplannen, zodat in het "
                    "Entiteitsoverlegcomité teruggekoppeld kan worden over alle mogelijkheden tot aangepast "
                    "werk die binnen de entiteit genomen zijn (omzendbrief)."
                ),
            ),
            *markers(),
        ],
        landscape=True,
    )
