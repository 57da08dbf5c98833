"""What the tool holds about one staff member, found generically from the models.

The *dossier graph* starts at ``Personeelslid`` and follows every relation pointing to it, recursively:
``Traject``, every part of a trajectory (``Gesprek``, ``Stappenplan`` -> ``Maatregel``, ``Signaal``, ...)
and whatever model is added later with a foreign key into it. The retention job, the access-request PDF
and the read log use it, so a new part of a dossier is covered without being listed here.

Every string field of a model in the graph is one of:
- **free text** (``FREE_TEXT``): a CharField/TextField carrying ``MEDISCH_WAARSCHUWING`` as help text (the
  project's convention for every free-text field); anonymised;
- **identification** (``IDENTITY``): the staff member's and the leidinggevende's names, the personnel
  number and the function; anonymised;
- **a code** (``NOT_PERSONAL``, or a field with choices): kept.
``unclassified_fields()`` lists what is none of these; a test keeps it empty, so a new free-text field
that misses the convention cannot escape anonymisation unnoticed. Every history table (django-simple-
history) of a model in the graph gets the same treatment, and its ``history_change_reason`` is free text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Cast, Concat

from trajecten.models import MEDISCH_WAARSCHUWING, Personeelslid

ANONIEM = "[geanonimiseerd]"
PSEUDONIEM_PREFIX = "ANON-"


def _placeholder(f: models.Field):
    return Value(ANONIEM[: f.max_length] if f.max_length else ANONIEM)


def _blank(f: models.Field):
    return Value("")


def _pseudonym(f: models.Field):
    """A unique, non-empty replacement of the personnel number: ANON-<id of the staff member>."""
    return Concat(Value(PSEUDONIEM_PREFIX), Cast("id", output_field=models.CharField()))


# label of the model -> {field name: replacement}
IDENTITY: dict[str, dict[str, Callable]] = {
    "trajecten.Personeelslid": {
        "personeelsnummer": _pseudonym,
        "voornaam": _blank,
        "achternaam": _placeholder,
        "functie": _blank,
    },
    # zoeknaam: the staff member's names and number, which the database derives from the staff member on
    # every write (migration trajecten 0012): it follows the anonymised names, whatever is written here.
    "trajecten.Traject": {"leidinggevende": _blank, "zoeknaam": _blank},
}
# String fields that hold codes computed by the tool, not text about a person.
NOT_PERSONAL: dict[str, set[str]] = {
    "trajecten.Traject": {"eerstvolgende_mijlpaal"},
    "trajecten.Signaal": {"mijlpaal"},
}
HISTORY_REASON = "history_change_reason"


@dataclass(frozen=True)
class Link:
    """``child.<fk>`` points to ``parent``."""

    fk: models.ForeignKey
    parent: type[models.Model]


@dataclass
class Node:
    model: type[models.Model]
    depth: int
    links: list[Link] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def history(self) -> type[models.Model] | None:
        manager = getattr(self.model, "history", None)
        return getattr(manager, "model", None) if manager is not None else None

    def replacements(self, on_history: bool = False) -> dict:
        """{field: expression} that anonymises a queryset of this model (or of its history model)."""
        target = self.history if on_history else self.model
        present = {f.name for f in target._meta.concrete_fields}
        out = {}
        for f in free_text_fields(self.model):
            if f.name in present:
                out[f.name] = _keep_empty(f.name, _placeholder(f))
        for name, make in IDENTITY.get(self.label, {}).items():
            if name in present:
                out[name] = make(self.model._meta.get_field(name))
        if on_history:
            reason = target._meta.get_field(HISTORY_REASON)
            out[HISTORY_REASON] = _keep_empty(HISTORY_REASON, _placeholder(reason))
        return out


def _keep_empty(name: str, replacement):
    """Empty (or NULL) stays as it is, so constraints like "a reason when there is no return" still hold."""
    return Case(
        When(Q(**{name: ""}) | Q(**{f"{name}__isnull": True}), then=F(name)),
        default=replacement,
        output_field=models.TextField(),
    )


def _string_fields(model) -> Iterable[models.Field]:
    return (
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    )


def free_text_fields(model) -> list[models.Field]:
    warning = str(MEDISCH_WAARSCHUWING)
    return [f for f in _string_fields(model) if f.help_text and str(f.help_text) == warning]


@cache
def graph() -> tuple[Node, ...]:
    """Every model holding data about a staff member, breadth-first from ``Personeelslid``."""
    nodes: dict[type[models.Model], Node] = {Personeelslid: Node(Personeelslid, 0)}
    frontier = [Personeelslid]
    depth = 0
    while frontier:
        depth += 1
        found: dict[type[models.Model], list[Link]] = {}
        for parent in frontier:
            for rel in parent._meta.related_objects:
                child = rel.related_model
                if rel.many_to_many or child is parent or not isinstance(rel.field, models.ForeignKey):
                    continue
                if child in nodes and nodes[child].depth < depth:
                    continue
                found.setdefault(child, []).append(Link(rel.field, parent))
        for child, links in found.items():
            nodes[child] = Node(child, depth, links)
        frontier = list(found)
    return tuple(nodes.values())


def unclassified_fields() -> list[str]:
    """String fields in the graph (and its history tables) that are neither free text, identification nor
    a declared code: each must be classified before the retention job can be trusted."""
    out = []
    for node in graph():
        known = (
            {f.name for f in free_text_fields(node.model)}
            | set(IDENTITY.get(node.label, {}))
            | NOT_PERSONAL.get(node.label, set())
        )
        for f in _string_fields(node.model):
            if f.name not in known and not f.choices:
                out.append(f"{node.label}.{f.name}")
        if node.history is not None:
            live = {f.name for f in node.model._meta.concrete_fields}
            for f in _string_fields(node.history):
                if f.name not in live and f.name not in known and f.name != HISTORY_REASON and not f.choices:
                    out.append(f"{node.history._meta.label}.{f.name}")
    return out


def member_ids(personeelslid_ids: Iterable[int]) -> dict[type[models.Model], set[int]]:
    """The ids of every row, live or only in a history table (deleted), that belongs to these staff members.

    Live rows belong through their live foreign keys; rows that exist only in history (deleted parts)
    through their last recorded parent. A fixed number of queries per model.
    """
    ids: dict[type[models.Model], set[int]] = {Personeelslid: set(personeelslid_ids)}
    for node in graph()[1:]:
        own: set[int] = set()
        for link in node.links:
            parent_ids = ids.get(link.parent, set())
            if not parent_ids:
                continue
            lookup = {f"{link.fk.attname}__in": parent_ids}
            own.update(node.model._default_manager.filter(**lookup).values_list("pk", flat=True))
            if node.history is not None:
                own.update(
                    node.history.objects.filter(**lookup)
                    .exclude(id__in=node.model._default_manager.values("pk"))
                    .values_list("id", flat=True)
                    .distinct()
                )
        ids[node.model] = own
    return ids


@cache
def owner_paths() -> dict[type[models.Model], tuple[type[models.Model], str]]:
    """For every model of the graph: its owner (the ``Traject`` it belongs to, or else the
    ``Personeelslid``) and the lookup from one of its rows to the owner's id."""
    out: dict[type[models.Model], tuple[type[models.Model], str]] = {Personeelslid: (Personeelslid, "pk")}
    traject = next((n.model for n in graph() if n.model._meta.label == "trajecten.Traject"), None)
    if traject is not None:
        out[traject] = (traject, "pk")
    for node in graph():
        if node.model in out:
            continue
        link = next((lk for lk in node.links if lk.parent in out), None)
        if link is not None:
            owner, path = out[link.parent]
            out[node.model] = (owner, link.fk.attname if path == "pk" else f"{link.fk.name}__{path}")
    return out
