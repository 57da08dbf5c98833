"""The history of one dossier: who changed what, from what to what, when, why, and from which source.

From django-simple-history, set-based: one query per history table (with the user joined) and one per
kind of related object named in it (users, entities, trajectories); differences between consecutive
versions of the same record are computed in Python. Related objects are shown by name, never by number;
parts that were removed since are named from their own history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from entiteiten.models import Entiteit, Gebruiker

from . import models as m
from .audit import Bron
from .dates import fmt

TYPES = {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}
SKIP = {"id", "traject", "geregistreerd_op", "aangemaakt_op", "gewijzigd_op", "history_id"}


@dataclass
class Entry:
    when: datetime
    who: str
    what: str
    change: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    reason: str = ""
    source: str = ""


class Labels:
    """Readable names of the objects that history rows refer to by id."""

    def __init__(self, sources):
        self.by_model: dict[type, dict[int, str]] = {}
        records = {model: list(rs) for model, rs in sources}
        # Parts of this dossier, named from their own (latest) history version: removed ones too.
        for model, template in (
            (m.Inschatting, _("inschatting van %(d)s")),
            (m.Stappenplan, _("stappenplan van %(d)s")),
        ):
            self.by_model[model] = {r.id: template % {"d": fmt(r.datum)} for r in records.get(model, [])}
        self.by_model[m.Personeelslid] = {
            r.id: f"{r.voornaam} {r.achternaam} ({r.personeelsnummer})"
            for r in records.get(m.Personeelslid, [])
        }
        wanted: dict[type, set[int]] = {Gebruiker: set(), Entiteit: set(), m.Traject: set()}
        for model, rs in records.items():
            for f in model._meta.fields:
                target = getattr(f, "related_model", None)
                if target in wanted and f.name not in SKIP:
                    wanted[target].update(v for r in rs if (v := getattr(r, f.attname, None)) is not None)
        self.by_model[Gebruiker] = {
            u.pk: str(u)
            for u in Gebruiker.objects.filter(pk__in=wanted[Gebruiker]).only(
                "username", "first_name", "last_name"
            )
        }
        self.by_model[Entiteit] = {
            e.pk: e.naam for e in Entiteit.objects.filter(pk__in=wanted[Entiteit]).only("naam")
        }
        soorten = dict(m.Traject.Soort.choices)
        self.by_model[m.Traject] = {
            t.pk: _("%(soort)s (D0 %(d)s)") % {"soort": soorten.get(t.soort, t.soort), "d": fmt(t.d0)}
            for t in m.Traject.objects.filter(pk__in=wanted[m.Traject]).only("soort", "d0")
        }
        self.records = records

    def display(self, record, f) -> str:
        value = getattr(record, f.attname)
        if value in (None, ""):
            return "—"
        target = getattr(f, "related_model", None)
        if target is not None:
            return self.by_model.get(target, {}).get(value, _("(niet meer bekend)"))
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if hasattr(value, "strftime"):
            return fmt(value)
        if isinstance(value, bool):
            return _("ja") if value else _("nee")
        return str(value)


def _who(record) -> tuple[str, str]:
    """(who, source): the user, or where a change without a user came from (demo data, import, a job)."""
    bron = getattr(record, "history_bron", "") or ""
    label = dict(Bron.choices).get(bron, "")
    if record.history_user_id:
        return str(record.history_user), "" if bron in ("", Bron.GEBRUIKER) else str(label)
    return (str(label) if label else _("systeem")), str(label)


def _entries(model, records, labels: Labels) -> list[Entry]:
    history_fields = {x.name for x in model.history.model._meta.fields}
    tracked = [
        f for f in model._meta.fields if f.name not in SKIP and f.name in history_fields and f.editable
    ]
    out, previous = [], {}
    for r in records:
        before = previous.get(r.id)
        changes = []
        for f in tracked:
            new = labels.display(r, f)
            old = labels.display(before, f) if before is not None else "—"
            # created or removed: what it held; changed: from what to what
            if (r.history_type in "+-" and new != "—") or (r.history_type == "~" and new != old):
                changes.append((str(f.verbose_name), old, new))
        previous[r.id] = r
        reason = (r.history_change_reason or "").strip()
        if r.history_type == "~" and not changes and not reason:
            continue
        who, source = _who(r)
        if source and reason == source:
            reason = ""
        out.append(
            Entry(
                r.history_date,
                who,
                str(model._meta.verbose_name),
                TYPES[r.history_type],
                changes,
                reason,
                source,
            )
        )
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
            m.Onderzoek,
            m.Aanmelding,
        )
    ]
    labels = Labels(sources)
    entries = [e for model, records in labels.records.items() for e in _entries(model, records, labels)]
    return sorted(entries, key=lambda e: e.when, reverse=True)
