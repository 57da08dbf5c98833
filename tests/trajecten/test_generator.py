"""The one data generator (trajecten.generator): the demo and the benchmark data come from the same code,
every generated dossier is consistent, and both carry the personnel system's absence periods."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from benchmarks.generate import generate
from entiteiten.models import Entiteit
from trajecten import absence_import, absences, generator
from trajecten import factories as f
from trajecten import models as m
from trajecten.consistency import problems
from trajecten.facts import Dossier
from trajecten.generator.bouwer import Bouwer
from trajecten.views import dossier_queryset

pytestmark = pytest.mark.django_db

REF = date(2026, 11, 24)


def test_demo_and_a_small_benchmark_size_come_from_the_same_code_path(monkeypatch):
    """seed_demo and benchmarks/generate.py both call generator.laad, which builds every object with the
    factories (Bouwer.bouw) and writes it with Bouwer.schrijf: only the size differs."""
    calls = []
    real_laad, real_bouw, real_schrijf = generator.laad, Bouwer.bouw, Bouwer.schrijf
    built, writes = Counter(), Counter()

    def laad(omvang, *args, **kwargs):
        calls.append(omvang)
        return real_laad(omvang, *args, **kwargs)

    def bouw(factory, lijst=None, **velden):
        built[(calls[-1].dekkend, factory)] += 1
        return real_bouw(factory, lijst, **velden)

    def schrijf(self):
        writes[calls[-1].dekkend] += 1
        return real_schrijf(self)

    monkeypatch.setattr(generator, "laad", laad)
    monkeypatch.setattr(Bouwer, "bouw", staticmethod(bouw))
    monkeypatch.setattr(Bouwer, "schrijf", schrijf)

    call_command("seed_demo", "--reference-date", REF.isoformat(), "--trajecten", "40", stdout=StringIO())
    demo_trajecten = m.Traject.objects.count()
    generate(200, seed=3, reference_date=REF, n_personeelsleden=1000, reset=True, analyze=False)

    assert [(o.dekkend, o.trajecten) for o in calls] == [(True, 40), (False, 200)]
    assert demo_trajecten >= 40 and m.Traject.objects.count() == 200
    assert writes[True] >= 1 and writes[False] >= 1
    for dekkend in (True, False):  # the same factories build both cases
        for factory in (f.EntiteitFactory, f.PersoneelslidFactory, f.TrajectFactory, f.GesprekFactory):
            assert built[(dekkend, factory)] > 0, (dekkend, factory)
        assert built[(dekkend, f.AfwezigheidFactory)] > 0


def _problems_of(trajecten) -> dict:
    found = {}
    for t in trajecten:
        for p in problems(Dossier.of(t), REF):
            found.setdefault(p.rule, []).append((t.pk, p.kind, p.field))
    return found


def test_large_case_dossiers_are_consistent_on_a_sample():
    """As test_seed_demo's check of every demo dossier, on a sample of the benchmark-style data."""
    generate(3000, seed=5, reference_date=REF, n_personeelsleden=3000, analyze=False)
    ids = list(m.Traject.objects.order_by("pk").values_list("pk", flat=True))[::10]
    sample = list(dossier_queryset().filter(pk__in=ids))
    assert len(sample) == 300
    assert {t.soort for t in sample} == {"informeel", "formeel", "preventief"}
    assert _problems_of(sample) == {}


def _check_absences(ref: date):
    imp = m.AfwezigheidImport.objects.get()
    periods = list(m.Afwezigheid.objects.select_related("entiteit"))
    assert imp.status == "klaar" and imp.nieuw == imp.totaal == imp.verwerkt == len(periods) > 0
    assert {a.bron_id for a in periods} == {imp.pk}
    assert imp.aangevraagd_door.rol == "ago"
    # As the import would accept them: no overlapping periods of one staff member, none after the reference.
    per_person = {}
    for a in periods:
        per_person.setdefault((a.entiteit_id, a.personeelsnummer), []).append(a)
        assert a.eerste_dag <= ref and (a.laatste_dag is None or a.eerste_dag <= a.laatste_dag <= ref)
    for rows in per_person.values():
        for i, a in enumerate(rows):
            assert not any(absence_import.overlaps(a, b) for b in rows[i + 1 :])
    # Most dossiers with D0 have their absence; a few start on another day (the dossier notes it).
    with_d0 = m.Traject.objects.filter(d0__isnull=False).exclude(uitkomst="omgezet_formeel")
    matched = same = 0
    for t in with_d0.select_related("personeelslid"):
        a = absences.voor_dossier(t, ref)
        if a is not None:
            matched += 1
            same += a.eerste_dag == t.d0
    assert matched >= 0.75 * with_d0.count()
    assert 0 < matched - same < 0.1 * matched


def test_demo_absences(db):
    call_command("seed_demo", "--reference-date", REF.isoformat(), stdout=StringIO())
    _check_absences(REF)
    # Every demo entity shows someone in "Afwezig zonder traject", absent four weeks or more.
    absent = list(absences.zonder_traject(Entiteit.objects.all(), REF))
    assert {a.entiteit.code for a in absent} == set(Entiteit.objects.values_list("code", flat=True))
    assert all((REF - a.eerste_dag).days >= 28 and a.voornaam for a in absent)
    # the daily job's signal is raised for them, as the nightly job would have
    assert m.Afwezigheid.objects.filter(gesignaleerd_op=REF).count() == len(absent)
    # and a shorter absence without a trajectory is there too, not (yet) in the list
    short = m.Afwezigheid.objects.filter(laatste_dag__isnull=True, eerste_dag__gt=REF - absences.FOUR_WEEKS)
    assert short.exists()


def test_benchmark_absences(db):
    result = generate(500, seed=7, reference_date=REF, n_personeelsleden=1500, analyze=False)
    _check_absences(REF)
    assert result["rows"]["Afwezigheid"] == m.Afwezigheid.objects.count()
    assert absences.zonder_traject(Entiteit.objects.all(), REF).exists()
