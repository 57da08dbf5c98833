"""The read log: which user read which dossier, when, and what (``ReadLogEntry``).

Logged by URL name after a successful GET (``privacy.middleware.ReadLogMiddleware``), so the views need no
change: ``LOGGED_VIEWS`` maps the project's URL names to what they show and whose ``pk`` they take, and
every admin page of a model in the dossier graph (change, history, delete confirmation) is logged too.
A test requires every URL with a ``pk`` to be either in ``LOGGED_VIEWS`` or in ``NOT_LOGGED``.
"""

from __future__ import annotations

import logging
import re

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.db import models, transaction

from trajecten.models import Aanmelding, Personeelslid, Traject

from .dossier import owner_paths
from .models import ReadLogEntry

log = logging.getLogger(__name__)
S = ReadLogEntry.Soort

# URL name -> (what, the model of the dossier graph its ``pk`` points to)
LOGGED_VIEWS: dict[str, tuple[str, type[models.Model]]] = {
    "aanmelding": (S.FORMULIER, Aanmelding),  # AgO's intake of an entity-crossing trajectory
    "dossier": (S.DOSSIER, Traject),
    "historiek": (S.HISTORIEK, Traject),
    "actie": (S.FORMULIER, Traject),
    "wijzigen": (S.FORMULIER, Traject),
    "verwijderen": (S.FORMULIER, Traject),
    "inzageverzoek": (S.INZAGEVERZOEK, Personeelslid),
}
# URL names with a pk that show no named dossier data.
NOT_LOGGED = {
    "rapport_download",  # aggregated figures only
    "raadplegingen",  # the read log itself (ids, no name)
    "afwezigheden_import",  # an upload of absence periods: not a dossier (its refused lines carry numbers)
}
ADMIN_VIEW = re.compile(
    r"^(?P<app>[a-z0-9_]+?)_(?P<model>[a-z0-9]+)_(?:change|history|simple_history|delete)$"
)


def _owner(model, pk) -> tuple[int | None, int | None] | None:
    """(traject id, personeelslid id) of a row of the dossier graph, or None when it is not one (or gone)."""
    if model not in owner_paths():
        return None
    owner, path = owner_paths()[model]
    owner_id = (
        int(pk) if path == "pk" else model._default_manager.filter(pk=pk).values_list(path, flat=True).first()
    )
    if owner_id is None:
        return None
    return (owner_id, None) if owner is Traject else (None, owner_id)


def target(match) -> tuple[str, int | None, int | None] | None:
    """(what, traject id, personeelslid id) for a resolved URL, or None when it is not logged."""
    if match is None:
        return None
    if match.namespace == "admin":
        found = ADMIN_VIEW.match(match.url_name or "")
        if not found or "object_id" not in match.kwargs:
            return None
        try:
            model = apps.get_model(found["app"], found["model"])
        except LookupError:
            return None
        soort, pk = S.BEHEER, unquote(match.kwargs["object_id"])
    elif match.url_name in LOGGED_VIEWS:
        (soort, model), pk = LOGGED_VIEWS[match.url_name], match.kwargs["pk"]
    else:
        return None
    owner = _owner(model, pk)
    return (soort, *owner) if owner is not None else None


def record(request) -> None:
    found = target(getattr(request, "resolver_match", None))
    user = getattr(request, "user", None)
    if found is None or user is None or not user.is_authenticated:
        return
    soort, traject_id, personeelslid_id = found
    with transaction.atomic():  # a savepoint when the caller is in a transaction: a failure stays here
        ReadLogEntry.objects.create(
            gebruiker=user,
            soort=soort,
            traject_id=traject_id,
            personeelslid_id=personeelslid_id,
            view=(f"{request.resolver_match.namespace}:" if request.resolver_match.namespace else "")
            + request.resolver_match.url_name,
            request_id=getattr(request, "request_id", "")[:64],
        )
