"""Absence periods from the personnel system: the file's checks (pure), all-or-nothing loading, idempotence,
corrections, the upload in the browser flow, the worklist, the dossier and the daily signal."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PersoneelslidFactory, TrajectFactory
from trajecten import absence_import as ai
from trajecten import models as m
from trajecten.absences import record_notifications, sync_signals

TODAY = date(2026, 11, 25)
HEADER = "personeelsnummer;entiteit;eerste_dag;laatste_dag\n"


def parse(body, allowed=None, header=HEADER):
    return ai.parse(header + body, {"AAA", "BBB"}, allowed, TODAY)


# --- the file (pure) -----------------------------------------------------------------------------------


def test_a_good_file_in_both_date_forms_and_delimiters():
    r = parse("p1;aaa;2026-09-01;\nP2;BBB;02/03/2026;15/04/2026\n")
    assert r.ok and [(p.personeelsnummer, p.entiteit, p.eerste_dag, p.laatste_dag) for p in r.periodes] == [
        ("P1", "AAA", date(2026, 9, 1), None),
        ("P2", "BBB", date(2026, 3, 2), date(2026, 4, 15)),
    ]
    r = ai.parse(
        "\ufeffentiteit,personeelsnummer,laatste_dag,eerste_dag\nAAA,P1,,2026-09-01\n", {"AAA"}, None, TODAY
    )
    assert r.ok and r.periodes[0].personeelsnummer == "P1"


@pytest.mark.parametrize(
    "header,reason",
    [
        ("personeelsnummer;entiteit;eerste_dag;laatste_dag;diagnose\n", "onverwachte kolom(men): diagnose"),
        ("personeelsnummer;entiteit;eerste_dag\n", "ontbrekend: laatste_dag"),
    ],
)
def test_only_the_four_columns_nothing_medical(header, reason):
    r = parse("P1;AAA;2026-09-01;;x\n", header=header)
    assert [(f.regel, f.veld) for f in r.fouten] == [(1, "kolommen")] and reason in r.fouten[0].reden


@pytest.mark.parametrize(
    "line,field,reason",
    [
        (";AAA;2026-09-01;", "personeelsnummer", "Leeg"),
        ("P1;ZZZ;2026-09-01;", "entiteit", "Onbekende entiteitscode"),
        ("P1;AAA;01-09-26;", "eerste_dag", "Geen datum"),
        ("P1;AAA;1999-12-31;", "eerste_dag", "Niet tussen 01/01/2000 en vandaag"),
        ("P1;AAA;2026-11-26;", "eerste_dag", "Niet tussen 01/01/2000 en vandaag"),
        ("P1;AAA;2026-09-01;2026-08-31", "laatste_dag", "vóór de eerste dag"),
        ("P1;AAA;2026-09-01;2029-01-01", "laatste_dag", "Meer dan twee jaar"),
        ("P1;AAA;2026-09-01", "regel", "3 velden in plaats van 4"),
    ],
)
def test_every_line_is_checked(line, field, reason):
    r = parse("P9;AAA;2026-01-05;2026-01-09\n" + line + "\n")
    assert not r.ok
    assert [(f.regel, f.veld) for f in r.fouten] == [(3, field)] and reason in r.fouten[0].reden


def test_boundaries_today_and_2000_accepted():
    assert parse("P1;AAA;2026-11-25;\nP2;AAA;2000-01-01;2000-01-01\n").ok


def test_overlap_within_the_file_and_hr_only_own_entity():
    r = parse("P1;AAA;2026-09-01;2026-09-30\nP1;AAA;2026-09-30;\n")
    assert [(f.regel, f.veld) for f in r.fouten] == [
        (3, "eerste_dag")
    ] and "Overlapt met regel 2" in r.fouten[0].reden
    assert parse("P1;AAA;2026-09-01;2026-09-29\nP1;AAA;2026-09-30;\n").ok
    r = parse("P1;BBB;2026-09-01;\n", allowed={"AAA"})
    assert "eigen entiteit" in r.fouten[0].reden


# --- loading (database) ------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def upload(client, text, name="afwezigheden.csv"):
    return client.post(
        reverse("afwezigheden"), {"bestand": SimpleUploadedFile(name, text.encode(), "text/csv")}
    )


@pytestmark_db
def test_hr_uploads_its_entity_all_or_nothing(client, hr_a, coach_a, entiteit_a, entiteit_b):
    client.force_login(hr_a)
    bad = HEADER + "P1;AAA;2026-09-01;\nP2;BBB;2026-09-01;\nP3;AAA;morgen;\n"
    response = upload(client, bad)
    imp = m.AfwezigheidImport.objects.get()
    assert response["Location"] == reverse("afwezigheden_import", args=[imp.pk])
    html = client.get(response["Location"]).content.decode()
    assert "Er is niets ingelezen." in html and "eigen entiteit" in html and "Geen datum" in html
    assert m.Afwezigheid.objects.count() == 0 and imp.inhoud == ""
    good = HEADER + "P1;AAA;2026-09-01;\nP2;AAA;2026-03-02;2026-04-15\n"
    upload(client, good)
    assert m.Afwezigheid.objects.count() == 2
    # the same file twice changes nothing; a corrected period replaces the earlier one
    upload(client, good)
    last = m.AfwezigheidImport.objects.first()
    assert (last.nieuw, last.vervangen, last.ongewijzigd) == (0, 0, 2)
    upload(client, HEADER + "P2;AAA;2026-03-02;2026-04-30\n")
    assert list(
        m.Afwezigheid.objects.filter(personeelsnummer="P2").values_list("laatste_dag", flat=True)
    ) == [date(2026, 4, 30)]
    # a coach does not upload
    client.force_login(coach_a)
    assert client.get(reverse("afwezigheden")).status_code == 404
    assert client.get(reverse("afwezigheden_import", args=[last.pk])).status_code == 404


@pytestmark_db
def test_management_command_and_the_example_file(entiteit_a, capsys):
    from pathlib import Path

    from tests.factories import EntiteitFactory

    EntiteitFactory(code="OMG")
    EntiteitFactory(code="AWV")
    example = Path(__file__).resolve().parents[2] / "docs" / "afwezigheden-voorbeeld.csv"
    call_command("importeer_afwezigheden", str(example))
    assert m.Afwezigheid.objects.count() == 3
    call_command("importeer_afwezigheden", str(example))
    assert m.Afwezigheid.objects.count() == 3
    assert "0 nieuw, 0 vervangen, 3 ongewijzigd" in capsys.readouterr().out


@pytestmark_db
def test_worklist_shows_absent_without_trajectory_and_prefills_registration(
    client, coach_a, entiteit_a, entiteit_b
):
    today = timezone.localdate()
    long_ago = today - timedelta(days=40)
    PersoneelslidFactory(entiteit=entiteit_a, personeelsnummer="P777", voornaam="Lies", achternaam="Maes")
    m.Afwezigheid.objects.create(entiteit=entiteit_a, personeelsnummer="P777", eerste_dag=long_ago)
    m.Afwezigheid.objects.create(
        entiteit=entiteit_a, personeelsnummer="P778", eerste_dag=today - timedelta(days=10)
    )
    m.Afwezigheid.objects.create(entiteit=entiteit_b, personeelsnummer="P779", eerste_dag=long_ago)
    m.Afwezigheid.objects.create(
        entiteit=entiteit_a,
        personeelsnummer="P780",
        eerste_dag=long_ago,
        laatste_dag=today - timedelta(days=1),
    )
    client.force_login(coach_a)
    html = client.get(reverse("worklist")).content.decode()
    assert "Afwezig zonder traject" in html and "Maes Lies" in html
    assert (
        "P778" not in html and "P779" not in html and "P780" not in html
    )  # under 4 weeks, other entity, back
    link = f"{reverse('traject_nieuw')}?personeelsnummer=P777&amp;d0={long_ago.strftime('%d/%m/%Y')}"
    assert link in html
    form = client.get(
        reverse("traject_nieuw"), {"personeelsnummer": "P777", "d0": long_ago.strftime("%d/%m/%Y")}
    ).content.decode()
    assert 'value="P777"' in form and f'value="{long_ago.strftime("%d/%m/%Y")}"' in form
    # once registered, no longer listed
    t = TrajectFactory(
        personeelslid=m.Personeelslid.objects.get(personeelsnummer="P777"),
        d0=long_ago + timedelta(days=2),
        coach=coach_a,
    )
    assert "Maes Lies" not in client.get(reverse("afwezig_zonder_traject")).content.decode()
    # the dossier points out that D0 differs from the absence data
    html = client.get(reverse("dossier", args=[t.pk])).content.decode()
    assert f"begon deze afwezigheid op {long_ago.strftime('%d/%m/%Y')}" in html


@pytestmark_db
def test_daily_signal_and_mail_for_absence_without_trajectory(coach_a, entiteit_a):
    coach_a.email = "coach.a@example.org"
    coach_a.save()
    today = timezone.localdate()
    a = m.Afwezigheid.objects.create(
        entiteit=entiteit_a, personeelsnummer="P800", eerste_dag=today - timedelta(days=28)
    )
    young = m.Afwezigheid.objects.create(
        entiteit=entiteit_a, personeelsnummer="P801", eerste_dag=today - timedelta(days=27)
    )
    assert sync_signals(today) == (1, 0)
    assert sync_signals(today) == (0, 0)  # idempotent
    a.refresh_from_db()
    young.refresh_from_db()
    assert (a.gesignaleerd_op, young.gesignaleerd_op) == (today, None)
    assert record_notifications(today) == 1
    assert record_notifications(today) == 0
    note = m.Notificatie.objects.get(soort="afwezig")
    assert note.ontvanger == coach_a and "P800" in note.inhoud and "P801" not in note.inhoud
    # a trajectory resolves it
    TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a, personeelsnummer="P800"), d0=a.eerste_dag
    )
    assert sync_signals(today + timedelta(days=1)) == (
        0 + 1,
        1,
    )  # the young one reaches 4 weeks; P800 resolved


@pytestmark_db
def test_progress_of_a_running_import_comes_from_the_cache(hr_a):
    from django.core.cache import cache

    from trajecten.services import afwezigheden

    imp = m.AfwezigheidImport.objects.create(bestandsnaam="groot.csv", status="bezig", totaal=50_000)
    assert afwezigheden.progress(imp) == (0, 50_000)
    cache.set(afwezigheden.progress_key(imp.pk), 12_000)
    assert afwezigheden.progress(imp) == (12_000, 50_000)
    cache.delete(afwezigheden.progress_key(imp.pk))


def test_ago_worklist_links_to_the_vo_wide_list_instead_of_reading_it(client, ago, entiteit_a):
    today = timezone.localdate()
    m.Afwezigheid.objects.create(
        entiteit=entiteit_a, personeelsnummer="P777", eerste_dag=today - timedelta(days=40)
    )
    client.force_login(ago)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("worklist")).content.decode()
    assert f'href="{reverse("afwezig_zonder_traject")}"' in html and "P777" not in html
    assert not [q for q in ctx.captured_queries if "trajecten_afwezigheid" in q["sql"]]
    assert "P777" in client.get(reverse("afwezig_zonder_traject")).content.decode()  # the list itself


@pytestmark_db
def test_once_the_job_judged_the_absences_the_list_checks_its_candidates_live(entiteit_a):
    """After a deadline run, only the absences it signalled, those an import brought in since and those that
    reached four weeks after its day are checked (each live); the list is the same as checking them all."""
    from entiteiten.models import Entiteit
    from tests.factories import AfwezigheidFactory, AfwezigheidImportFactory
    from trajecten import absences
    from trajecten.tasks import run_deadline_job

    today = timezone.localdate()
    yesterday = today - timedelta(days=1)

    def absent(nummer, days, **kw):
        return AfwezigheidFactory(
            entiteit=entiteit_a, personeelsnummer=nummer, eerste_dag=today - timedelta(days=days), **kw
        )

    def listed():
        return {
            a.personeelsnummer
            for a in absences.zonder_traject(Entiteit.objects.filter(pk=entiteit_a.pk), today)
        }

    absent("P900", 60)  # no trajectory: signalled by the run
    with_traject = absent("P901", 60)
    TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a, personeelsnummer="P901"),
        d0=with_traject.eerste_dag,
    )
    absent("P902", 28)  # reaches four weeks today, after the run judged yesterday
    run_deadline_job(yesterday.isoformat())
    assert absences.last_judgement()[1] == yesterday
    # read after the run: a new period from an import
    absent("P903", 40, bron=AfwezigheidImportFactory(klaar_op=timezone.now()))
    absent("P904", 40)  # created outside any import after the run: not a candidate until the next run
    assert listed() == {"P900", "P902", "P903"}
    # a trajectory registered now: gone at once (each candidate is checked live)
    TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a, personeelsnummer="P900"), d0=today)
    assert listed() == {"P902", "P903"}
    run_deadline_job(today.isoformat())  # the next run judges every absence again
    assert listed() == {"P902", "P903", "P904"}
