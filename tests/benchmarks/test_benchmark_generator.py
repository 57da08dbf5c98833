"""The VO-scale benchmark data generator (benchmarks/generate.py), on a small scale.

Every database constraint is checked by PostgreSQL on insert (check constraints at once, the deferred
foreign keys by ``connection.check_constraints()``), so a successful load proves the data valid.
"""

from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django.db.models import Count, DateField, F, Max, Q
from django.utils import timezone

from benchmarks.generate import BELEIDSDOMEINEN, PLANNED_DATE_FIELDS, generate, wipe
from entiteiten.models import Entiteit, Gebruiker
from trajecten import models as m
from trajecten.evaluation import SUMMARY_FIELDS, apply_summary, with_rule_data

REF = date(2026, 3, 31)
N = 300
SEED = 11
STAFF = 2000

PARTS = (
    m.Gesprek,
    m.Inschatting,
    m.Stappenplan,
    m.Maatregel,
    m.Betrokkenheid,
    m.Verlenging,
    m.Herval,
    m.Evaluatie,
    m.FormeelVerloop,
    m.Onderzoek,
    m.Aanmelding,
    m.Afwezigheid,  # the personnel system's periods
)
EVENTS = {  # registered facts on or after D0: model -> date field
    m.Gesprek: "datum",
    m.Inschatting: "datum",
    m.Stappenplan: "datum",
    m.Betrokkenheid: "vanaf",
    m.Verlenging: "toegekend_op",
    m.Herval: "hervat_op",
    m.Evaluatie: "datum",
    m.FormeelVerloop: "aanvraag_ontvangen_op",
}


def load(seed=SEED):
    return generate(N, seed=seed, reference_date=REF, n_personeelsleden=STAFF, analyze=False)


def snapshot() -> dict:
    rows = list(
        m.Traject.objects.order_by("pk").values_list(
            "soort", "status", "d0", "afgesloten_op", "entiteit__code", "personeelslid__personeelsnummer"
        )
    )
    return {
        "per_soort_status": Counter((soort, status) for soort, status, *_ in rows),
        "d0": [r[2] for r in rows],
        "rows": rows,
        "parts": {model.__name__: model.objects.count() for model in PARTS},
        "absences": list(
            m.Afwezigheid.objects.order_by("entiteit__code", "personeelsnummer", "eerste_dag").values_list(
                "entiteit__code", "personeelsnummer", "eerste_dag", "laatste_dag"
            )
        ),
    }


@pytest.fixture
def loaded(db):
    return load()


def test_same_seed_gives_the_same_data_and_another_seed_other_data(loaded):
    first = snapshot()
    wipe()
    assert not m.Traject.objects.exists()
    again = load()
    assert snapshot() == first
    assert again["per_soort"] == loaded["per_soort"] and again["per_status"] == loaded["per_status"]
    wipe()
    load(seed=SEED + 1)
    assert snapshot()["d0"] != first["d0"]


def test_all_constraints_hold(loaded):
    connection.check_constraints()  # the deferred foreign keys; the check constraints held on insert


def test_mix_of_trajectories(loaded):
    qs = m.Traject.objects
    assert qs.count() == N == loaded["trajecten"]
    soort = Counter(dict(qs.values_list("soort").annotate(n=Count("id")).order_by()))
    crossing = qs.filter(doel_entiteit__isnull=False)
    assert soort["formeel"] == round(N * 0.04)
    assert soort["preventief"] == round(N * 0.06)
    assert crossing.count() == round(N * 0.05)
    assert soort["informeel"] == N - soort["formeel"] - soort["preventief"]  # 85 % + 5 % crossing
    assert not crossing.exclude(soort="informeel").exists()
    assert not qs.filter(doel_entiteit=F("entiteit")).exists()
    # Some formal trajectories continue an informal one, closed as "omgezet naar formeel".
    continued = qs.filter(soort="formeel", voortgezet_van__isnull=False)
    assert continued.exists()
    assert not continued.exclude(voortgezet_van__uitkomst="omgezet_formeel").exists()

    # About 9 % open; nearly everything older than a year is closed.
    open_qs = qs.exclude(status="afgesloten")
    assert 0.04 <= open_qs.count() / N <= 0.16
    assert set(open_qs.values_list("status", flat=True)) == {"lopend", "opvolging"}
    assert loaded["open_share_older_than_1_year"] < 0.1
    assert not qs.filter(soort="preventief", d0__isnull=False).exists()

    # Skewed entity sizes: the largest entity carries far more than an average one (1/120).
    per_entity = Counter(dict(qs.values_list("entiteit__code").annotate(n=Count("id")).order_by()))
    top = per_entity.most_common(10)
    assert top[0][1] >= 0.05 * N
    assert sum(n for _, n in top) >= 0.25 * N


def test_entities_users_and_staff(loaded):
    assert Entiteit.objects.count() == 120
    assert Entiteit.objects.filter(code="E001").exists()
    assert set(Entiteit.objects.values_list("beleidsdomein", flat=True)) == set(BELEIDSDOMEINEN)
    assert set(Entiteit.objects.values_list("soort", flat=True)) == set(Entiteit.Soort.values)
    assert Gebruiker.objects.filter(rol="hr").count() == 120
    coaches = Gebruiker.objects.filter(rol="terugkeercoach").count()
    assert 1.5 * 120 <= coaches <= 2.5 * 120
    assert Gebruiker.objects.filter(rol="ago").exists()
    user = Gebruiker.objects.get(username="coach.e001")
    assert user.check_password("bench-wachtwoord-2024")
    assert m.Personeelslid.objects.count() >= STAFF
    # Open trajectories of one entity belong to different staff members.
    open_per_person = (
        m.Traject.objects.exclude(status="afgesloten")
        .values("personeelslid")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not open_per_person.exists()


def test_parts_of_the_trajectories(loaded):
    per_traject = Counter(m.Gesprek.objects.values_list("traject_id", flat=True))
    assert len(per_traject) == N  # every trajectory has a conversation
    assert max(per_traject.values()) <= 4
    assert max(Counter(m.Inschatting.objects.values_list("traject_id", flat=True)).values()) <= 2
    per_plan = Counter(m.Maatregel.objects.values_list("stappenplan_id", flat=True))
    assert len(per_plan) == m.Stappenplan.objects.count() > 0
    assert set(per_plan.values()) <= {1, 2, 3}
    assert not m.Stappenplan.objects.exclude(inschatting__uitkomst="stappen_mogelijk").exists()
    assert not m.Stappenplan.objects.filter(datum__lt=F("inschatting__datum")).exists()
    assert m.FormeelVerloop.objects.count() == m.Traject.objects.filter(soort="formeel").count()
    assert m.Betrokkenheid.objects.exists()
    assert m.Verlenging.objects.count() <= 0.05 * N
    hervallen = m.Herval.objects.count()
    assert 0.02 * N <= hervallen <= 0.15 * N
    # Evaluations only after a return to work.
    assert not m.Evaluatie.objects.filter(traject__werkhervatting_op__isnull=True).exists()
    assert not m.Evaluatie.objects.filter(datum__lt=F("traject__werkhervatting_op")).exists()


def test_no_fact_after_the_reference_date_or_before_d0(loaded):
    for model in (m.Traject, *PARTS):
        planned = (*PLANNED_DATE_FIELDS.get(model.__name__, ()), *SUMMARY_FIELDS)  # plans and due dates
        for field in model._meta.get_fields():
            if isinstance(field, DateField) and field.concrete and field.name not in planned:
                if field.get_internal_type() != "DateField":
                    continue  # timestamps are checked below
                latest = model.objects.aggregate(x=Max(field.name))["x"]
                assert latest is None or latest <= REF, (model.__name__, field.name, latest)
    for model, field in EVENTS.items():
        early = model.objects.filter(traject__d0__isnull=False, **{f"{field}__lt": F("traject__d0")})
        assert not early.exists(), model.__name__
    assert m.Traject.objects.aggregate(x=Max("aangemaakt_op"))["x"] <= timezone.now()
    assert not m.Traject.objects.filter(werkhervatting_op__gt=F("afgesloten_op")).exists()


def test_open_trajectories_have_their_stored_summary(loaded):
    open_qs = m.Traject.objects.exclude(status="afgesloten")
    for t in with_rule_data(open_qs):
        assert not apply_summary(t, REF), f"trajectory {t.pk}: stored summary is not up to date"
    summarized = open_qs.filter(
        Q(eerstvolgende_termijn__isnull=False)
        | Q(formeel_verplicht_vanaf__isnull=False)
        | Q(formeel_waarschuwing_vanaf__isnull=False)
        | Q(coach_nodig=True)  # a dossier of an entity without a coach
    )
    assert summarized.count() == loaded["summaries_changed"] > 0
    assert open_qs.exclude(soort="preventief").filter(eerstvolgende_termijn__isnull=False).exists()
    assert not m.Traject.objects.filter(status="afgesloten", eerstvolgende_termijn__isnull=False).exists()
