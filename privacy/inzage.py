"""A staff member's access request (GDPR art. 15): everything the tool holds about them, as one PDF.

What is in it is found generically (``privacy.dossier``): the identification, every trajectory with every
part registered in it (whatever model a later change adds), the signals, the history of changes (who,
when, what: ``trajecten.history``), the e-mails that mentioned them and who read their dossier. Only the
lines of an e-mail that concern this staff member are shown: a coach's digest also lists others.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trajecten.history import dossier_history
from trajecten.labels import MIJLPALEN
from trajecten.models import Notificatie, Personeelslid, Traject

from .dossier import graph, member_ids, owner_paths
from .models import ReadLogEntry

CODE_LABELS = {"mijlpaal": MIJLPALEN, "eerstvolgende_mijlpaal": MIJLPALEN}


def display(obj, f: models.Field) -> str:
    value = getattr(obj, f.name)
    if value is None or value == "":
        return "—"
    if f.choices:
        return str(getattr(obj, f"get_{f.name}_display")())
    if f.name in CODE_LABELS:
        return str(CODE_LABELS[f.name].get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(f, models.JSONField):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def shown_fields(model, skip: set[str]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.name not in skip
        and (f.editable or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
    ]


@dataclass
class Record:
    title: str
    facts: list[tuple[str, str]]


@dataclass
class Part:
    title: str
    records: list[Record]


@dataclass
class TrajectSection:
    traject: Traject
    facts: list[tuple[str, str]]
    parts: list[Part] = field(default_factory=list)
    history: list = field(default_factory=list)


def record_of(obj, skip: set[str], title: str) -> Record:
    return Record(title, [(str(f.verbose_name), display(obj, f)) for f in shown_fields(type(obj), skip)])


def _parts(ids: dict, traject_ids: list[int]) -> tuple[dict[int, list[Part]], list[Part]]:
    """The parts of every trajectory ({traject id: [Part]}) and the other records about the person."""
    per_traject: dict[int, list[Part]] = {t: [] for t in traject_ids}
    other: list[Part] = []
    for node in graph():
        if node.model in (Personeelslid, Traject) or not ids.get(node.model):
            continue
        owner, path = owner_paths().get(node.model, (None, ""))
        links = {lk.fk.name for lk in node.links}
        relations = [
            f.name for f in node.model._meta.concrete_fields if f.is_relation and f.name not in links
        ]
        qs = (
            node.model._default_manager.filter(pk__in=ids[node.model])
            .select_related(*relations)
            .order_by(*node.model._meta.ordering or ["pk"], "pk")
        )
        name = str(node.model._meta.verbose_name)
        plural = str(node.model._meta.verbose_name_plural)
        if owner is Traject:
            grouped: dict[int, list] = {}
            for obj in qs.annotate(_owner=F(path)):
                grouped.setdefault(obj._owner, []).append(obj)
            for t, objs in grouped.items():
                records = [record_of(obj, links, f"{name} {i}") for i, obj in enumerate(objs, start=1)]
                per_traject.setdefault(t, []).append(Part(plural.capitalize(), records))
        else:
            other.append(Part(plural.capitalize(), [record_of(obj, links, name) for obj in qs]))
    return per_traject, other


def mails(person: Personeelslid, trajecten: list[Traject]) -> list[dict]:
    """Recorded e-mails that mention the staff member: their personnel number or a link to their dossier.
    Only those lines are shown."""
    numbers = {person.personeelsnummer} | set(
        Personeelslid.history.filter(id=person.pk).values_list("personeelsnummer", flat=True)
    )
    links = [reverse("dossier", args=[t.pk]) for t in trajecten]
    alternatives = "|".join(re.escape(n) for n in numbers if n)
    number = re.compile(rf"(?<![0-9A-Za-z])(?:{alternatives})(?![0-9A-Za-z])") if alternatives else None
    query = Q(pk__in=[])
    for needle in [*(n for n in numbers if n), *links]:
        query |= Q(inhoud__contains=needle)

    def about_them(line: str) -> bool:
        return any(link in line for link in links) or bool(number and number.search(line))

    out = []
    for note in Notificatie.objects.filter(query).select_related("ontvanger").order_by("aangemaakt_op", "pk"):
        lines = [ln.strip().removeprefix("- ") for ln in note.inhoud.splitlines() if about_them(ln)]
        if lines:
            out.append({"note": note, "lines": lines})
    return out


def collect(person: Personeelslid, user) -> dict:
    trajecten = list(
        Traject.objects.filter(personeelslid=person)
        .select_related("entiteit", "doel_entiteit", "coach", "voortgezet_van")
        .order_by(F("d0").asc(nulls_last=True), "pk")
    )
    ids = member_ids([person.pk])
    per_traject, other = _parts(ids, [t.pk for t in trajecten])
    sections = [
        TrajectSection(
            traject=t,
            facts=record_of(t, {"personeelslid"}, "").facts,
            parts=per_traject.get(t.pk, []),
            history=dossier_history(t),
        )
        for t in trajecten
    ]
    reads = (
        ReadLogEntry.objects.filter(
            Q(traject_id__in=[t.pk for t in trajecten]) | Q(personeelslid_id=person.pk)
        )
        .select_related("gebruiker")
        .order_by("tijdstip", "pk")
    )
    return {
        "person": person,
        "identification": record_of(person, set(), "").facts,
        "other": other,
        "sections": sections,
        "mails": mails(person, trajecten),
        "reads": list(reads),
        "produced_at": timezone.localtime(),
        "produced_by": user,
        "retention_years": settings.RETENTION_YEARS,
        "read_log_days": settings.READ_LOG_RETENTION_DAYS,
    }


def render_pdf(person: Personeelslid, user) -> bytes:
    from weasyprint import HTML

    html = render_to_string("privacy/inzageverzoek.html", collect(person, user))
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
