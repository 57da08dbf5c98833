"""Where a change to a dossier comes from, and why: kept on every history row.

django-simple-history records who (``history_user``) and when; this module adds the source
(``history_bron``: a person in the tool, the demo data, an import or a job) and makes the change reason
(``history_change_reason``) a text field, so that the history page can say "demodata" or "import"
instead of "systeem", and shows the reason a coach gave for a correction or a removal.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class Bron(models.TextChoices):
    GEBRUIKER = "gebruiker", _("gebruiker")
    DEMO = "demo", _("demodata (seed_demo)")
    IMPORT = "import", _("import uit het personeelssysteem")
    SYSTEEM = "systeem", _("systeem")


_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("history_bron", default=None)


@contextmanager
def bron(value: str) -> Iterator[None]:
    """Every history row written inside this block gets ``value`` as its source."""
    token = _current.set(value)
    try:
        yield
    finally:
        _current.reset(token)


class HistoryBron(models.Model):
    """Abstract base of the historical models: the source of the change."""

    history_bron = models.CharField(_("bron"), max_length=20, choices=Bron.choices, default=Bron.SYSTEEM)

    class Meta:
        abstract = True


@receiver(pre_create_historical_record)
def _set_bron(sender, history_instance, history_user=None, **kwargs):
    if hasattr(history_instance, "history_bron"):
        history_instance.history_bron = _current.get() or (Bron.GEBRUIKER if history_user else Bron.SYSTEEM)


def historiek(**kwargs) -> HistoricalRecords:
    """The history of a dossier model: who, when, what, the source and a free-text reason."""
    return HistoricalRecords(
        bases=[HistoryBron], history_change_reason_field=models.TextField(null=True), **kwargs
    )
