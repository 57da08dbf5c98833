"""The history of one dossier: who changed what, when; from django-simple-history, set-based.

One query per history table (with the user joined); differences between consecutive versions of the
same record are computed in Python, not with one query per record.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from . import models as m

TYPES = {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}
SKIP = {"id", "traject", "geregistreerd_op", "aangemaakt_op", "gewijzigd_op", "history_id"}


@dataclass
class Entry:
    when: datetime
    who: str
    what: str
    change: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)


def _display(record, f) -> str:
    value = getattr(record, f.attname)
    if value in (None, ""):
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return str(value)


def _entries(model, records) -> list[Entry]:
    tracked = [
        f
        for f in model._meta.fields
        if f.name not in SKIP and f.name in {x.name for x in records.model._meta.fields}
    ]
    out, previous = [], {}
    for r in records:
        before = previous.get(r.id)
        changes = []
        for f in tracked:
            new = _display(r, f)
            old = _display(before, f) if before is not None else "—"
            if r.history_type == "+" and new != "—" or r.history_type == "~" and new != old:
                changes.append((str(f.verbose_name), old, new))
        previous[r.id] = r
        if r.history_type == "~" and not changes:
            continue
        who = str(r.history_user) if r.history_user_id else _("systeem")
        out.append(Entry(r.history_date, who, str(model._meta.verbose_name), TYPES[r.history_type], changes))
    return out


def dossier_history(traject: m.Traject) -> list[Entry]:
    def hist(model, **flt):
        return (
            model.history.filter(**flt).select_related("history_user").order_by("history_date", "history_id")
        )

    plan_ids = list(
        m.Stappenplan.history.filter(traject_id=traject.pk).values_list("id", flat=True).distinct()
    )
    sources = [
        (m.Traject, hist(m.Traject, id=traject.pk)),
        (m.Personeelslid, hist(m.Personeelslid, id=traject.personeelslid_id)),
        (m.FormeelVerloop, hist(m.FormeelVerloop, traject_id=traject.pk)),
        (m.Maatregel, hist(m.Maatregel, stappenplan_id__in=plan_ids)),
    ] + [
        (model, hist(model, traject_id=traject.pk))
        for model in (
            m.Gesprek,
            m.Inschatting,
            m.Stappenplan,
            m.Betrokkenheid,
            m.Verlenging,
            m.Herval,
            m.Evaluatie,
        )
    ]
    entries = [e for model, records in sources for e in _entries(model, records)]
    return sorted(entries, key=lambda e: e.when, reverse=True)
