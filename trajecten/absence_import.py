"""Sickness-absence periods from the personnel system (a CSV export, e.g. from Vlimpers): format and checks.

Pure: the file's text, the known entity codes, the entity codes this user may load and today go in; the
periods and the refused lines come out. No database, no clock. The service (trajecten.services.afwezigheden)
applies a file only when no line is refused: all or nothing.

The format (README, "Absence data from the personnel system"; example: docs/afwezigheden-voorbeeld.csv):

    personeelsnummer;entiteit;eerste_dag;laatste_dag
    P001234;OMG;2026-09-01;
    P004321;AWV;02/03/2026;15/04/2026

- exactly these four columns, in any order, separated by ";" or ","; UTF-8 (a BOM is fine);
- ``laatste_dag`` empty while the absence is ongoing;
- dates as JJJJ-MM-DD or dd/mm/jjjj; no medical data (no other column is accepted).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from .deadlines import add_months

COLUMNS = ("personeelsnummer", "entiteit", "eerste_dag", "laatste_dag")
EARLIEST = date(2000, 1, 1)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


@dataclass(frozen=True)
class Periode:
    regel: int
    personeelsnummer: str
    entiteit: str
    eerste_dag: date
    laatste_dag: date | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.entiteit, self.personeelsnummer)


@dataclass(frozen=True)
class Fout:
    regel: int  # line number in the file, the header being line 1
    veld: str
    reden: str


@dataclass
class Resultaat:
    periodes: list[Periode] = field(default_factory=list)
    fouten: list[Fout] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.fouten


def _date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _reader(text: str):
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def parse(text: str, known: set[str], allowed: set[str] | None, today: date) -> Resultaat:
    """Read and check every line. ``known``: entity codes that exist; ``allowed``: the codes this user may
    load (None: all, for AgO); codes are compared without case."""
    result = Resultaat()
    text = text.lstrip("\ufeff")
    rows = _reader(text)
    header = next(rows, None)
    if header is None:
        result.fouten.append(Fout(1, "bestand", "Het bestand is leeg."))
        return result
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    extra = [h for h in names if h and h not in COLUMNS]
    if missing or extra or len(names) != len(set(names)):
        reden = (
            "De eerste regel moet de kolommen personeelsnummer, entiteit, eerste_dag en laatste_dag noemen"
        )
        if extra:
            reden += f"; onverwachte kolom(men): {', '.join(extra)} (het bestand mag geen andere, zeker geen medische, gegevens bevatten)"
        if missing:
            reden += f"; ontbrekend: {', '.join(missing)}"
        result.fouten.append(Fout(1, "kolommen", reden + "."))
        return result
    col = {c: names.index(c) for c in COLUMNS}
    known_upper = {k.upper() for k in known}
    allowed_upper = {a.upper() for a in allowed} if allowed is not None else None
    last_day_limit = add_months(today, 24)
    seen: dict[tuple[str, str], list[Periode]] = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            result.fouten.append(Fout(number, "regel", f"{len(row)} velden in plaats van {len(names)}."))
            continue
        value = {c: row[i].strip() for c, i in col.items()}
        errors: list[Fout] = []
        nummer = value["personeelsnummer"].upper()
        if not nummer:
            errors.append(Fout(number, "personeelsnummer", "Leeg."))
        elif len(nummer) > 20:
            errors.append(Fout(number, "personeelsnummer", "Langer dan 20 tekens."))
        code = value["entiteit"].upper()
        if code not in known_upper:
            errors.append(Fout(number, "entiteit", f"Onbekende entiteitscode '{value['entiteit']}'."))
        elif allowed_upper is not None and code not in allowed_upper:
            errors.append(Fout(number, "entiteit", "U kan enkel afwezigheden van uw eigen entiteit opladen."))
        eerste = _date(value["eerste_dag"])
        if eerste is None:
            errors.append(Fout(number, "eerste_dag", "Geen datum: gebruik JJJJ-MM-DD of dd/mm/jjjj."))
        elif not EARLIEST <= eerste <= today:
            errors.append(Fout(number, "eerste_dag", "Niet tussen 01/01/2000 en vandaag."))
        laatste = None
        if value["laatste_dag"]:
            laatste = _date(value["laatste_dag"])
            if laatste is None:
                errors.append(
                    Fout(number, "laatste_dag", "Geen datum: gebruik JJJJ-MM-DD of dd/mm/jjjj, of laat leeg.")
                )
            elif eerste is not None and laatste < eerste:
                errors.append(Fout(number, "laatste_dag", "Ligt vóór de eerste dag."))
            elif laatste > last_day_limit:
                errors.append(Fout(number, "laatste_dag", "Meer dan twee jaar in de toekomst."))
        if errors:
            result.fouten += errors
            continue
        periode = Periode(number, nummer, code, eerste, laatste)
        for other in seen.get(periode.key, []):
            if _overlap(other, periode):
                result.fouten.append(
                    Fout(
                        number,
                        "eerste_dag",
                        f"Overlapt met regel {other.regel} voor hetzelfde personeelslid.",
                    )
                )
                break
        else:
            seen.setdefault(periode.key, []).append(periode)
            result.periodes.append(periode)
    if not result.periodes and not result.fouten:
        result.fouten.append(Fout(2, "bestand", "Er staan geen afwezigheden in het bestand."))
    return result


def _overlap(a, b) -> bool:
    """Two periods overlap (an open end runs on forever). Works on anything with eerste_dag/laatste_dag."""
    a_end, b_end = a.laatste_dag or date.max, b.laatste_dag or date.max
    return a.eerste_dag <= b_end and b.eerste_dag <= a_end


def overlaps(a, b) -> bool:
    return _overlap(a, b)
