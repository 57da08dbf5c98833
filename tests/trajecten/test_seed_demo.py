"""seed_demo: deterministic demo data in every state and at every milestone."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from trajecten import deadlines as dl
from trajecten import models as m

pytestmark = pytest.mark.django_db

REF = "2026-11-24"


def fingerprint():
    return sorted(
        m.Traject.objects.values_list(
            "soort",
            "status",
            "d0",
            "personeelslid__personeelsnummer",
            "entiteit__code",
            "uitkomst",
            "werkhervatting_op",
        )
    )


def test_seed_is_deterministic_idempotent_and_covers_every_milestone():
    out = StringIO()
    call_command("seed_demo", "--reference-date", REF, stdout=out)
    assert "demo-wachtwoord-2024" in out.getvalue() and "coach.omg" in out.getvalue()
    first = fingerprint()
    assert len(first) >= 250
    assert {s for s, *_ in first} == {"informeel", "formeel", "preventief"}
    assert {st for _, st, *_ in first} == {"lopend", "opvolging", "afgesloten"}

    call_command("seed_demo", "--reference-date", REF, stdout=StringIO())  # no --reset: nothing added
    assert fingerprint() == first
    call_command("seed_demo", "--reference-date", REF, "--reset", stdout=StringIO())
    assert fingerprint() == first

    out = StringIO()
    call_command("evaluate_deadlines", "--as-of", REF, "--json", stdout=out)
    items = json.loads(out.getvalue())
    states = {}
    for item in items:
        for ms in item["milestones"]:
            states.setdefault(ms["code"], set()).add(ms["state"])
    assert set(states) == set(dl.MILESTONE_CODES)
    assert states[dl.ONDERZOEK_WERKHERVATTING] >= {dl.MET, dl.MISSED}
    for code in (dl.GESPREK_2_MAANDEN, dl.STAPPENPLAN):
        assert states[code] == {dl.NOT_YET_DUE, dl.DUE, dl.MET, dl.MISSED}
    assert any(i["formal_possible_entity"] for i in items)
    assert any("formeel_verplicht_nog_niet_van_kracht" in i["warnings"] for i in items)
    assert any(i["entiteit"] and m.Traject.objects.get(pk=i["traject"]).doel_entiteit_id for i in items)
    # the worklist summaries and signals are there without waiting for the nightly job
    assert m.Traject.objects.exclude(status="afgesloten").filter(eerstvolgende_termijn__isnull=False).exists()
    assert m.Signaal.objects.filter(soort="te_laat").exists()


def test_demo_dossiers_are_consistent():
    """Every demo dossier passes the rules a coach's changes must pass (trajecten.consistency)."""
    from datetime import date

    from trajecten.consistency import problems
    from trajecten.facts import Dossier
    from trajecten.views import dossier_queryset

    call_command("seed_demo", "--reference-date", REF, stdout=StringIO())
    found = {}
    for t in dossier_queryset():
        for p in problems(Dossier.of(t), date.fromisoformat(REF)):
            found.setdefault(p.rule, []).append((t.pk, p.kind, p.field))
    assert found == {}
