"""Retention: dossiers past the retention period are anonymised everywhere, reports keep their figures.

The main test runs on generated data (seed_demo: every kind of trajectory and part, with history rows),
gives every staff member and leidinggevende a unique name, writes those names into every free text and
every history change reason (as a coach might), adds e-mails and admin log lines naming them, and then
scans every table of the database as text for the names and personnel numbers of the anonymised staff
members.
"""

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.models import CharField, DateField, TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from entiteiten.models import Gebruiker
from operations.fingerprint import fingerprint
from operations.models import JobRun
from privacy import dossier, retention
from privacy.dossier import ANONIEM, graph, unclassified_fields
from privacy.models import Anonymisation, ReadLogEntry
from privacy.tasks import apply_retention
from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory
from trajecten import models as m

pytestmark = pytest.mark.django_db
REF = "2026-11-24"
AS_OF = date(2027, 9, 1)  # with a retention of 1 year: closed before 01/09/2026


# --- helpers ------------------------------------------------------------------------------------------


WORD = re.compile(r"[^0-9A-Za-z]+")


def scan(tokens) -> dict[str, int]:
    """Full-text scan of every table: {table: number of rows whose text holds one of the tokens as a word}.

    Each row is read as PostgreSQL prints it (``row::text``: every column) and split into words."""
    tokens = set(tokens)
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT t::text FROM {connection.ops.quote_name(table)} AS t")  # noqa: S608
            n = sum(1 for (row,) in cursor.fetchall() if tokens.intersection(WORD.split(row)))
            if n:
                found[table] = n
    return found


def person_of_every_row() -> dict:
    """{model: {row id: staff member id}} for live rows and rows only in history, through the graph's links."""
    out = {m.Personeelslid: {pk: pk for pk in m.Personeelslid.objects.values_list("pk", flat=True)}}
    for node in graph()[1:]:
        link = node.links[0]
        rows = dict(node.model._default_manager.values_list("pk", link.fk.attname))
        if node.history is not None:
            for pk, parent in node.history.objects.values_list("id", link.fk.attname):
                rows.setdefault(pk, parent)
        parent_person = out[link.parent]
        out[node.model] = {pk: parent_person[p] for pk, p in rows.items() if p in parent_person}
    return out


def give_unique_names() -> None:
    """Every staff member Vnm<id>q Anm<id>q and every leidinggevende Lgv<id>q, live and in history."""
    names = {
        "voornaam": Concat(Value("Vnm"), Cast("id", CharField()), Value("q")),
        "achternaam": Concat(Value("Anm"), Cast("id", CharField()), Value("q")),
    }
    m.Personeelslid.objects.update(**names)
    m.Personeelslid.history.update(**names)
    boss = {"leidinggevende": Concat(Value("Lgv"), Cast("id", CharField()), Value("q"))}
    m.Traject.objects.update(**boss)
    m.Traject.history.update(**boss)


def tokens_of(person_ids) -> list[str]:
    numbers = set(
        m.Personeelslid.history.filter(id__in=person_ids).values_list("personeelsnummer", flat=True)
    )
    bosses = m.Traject.history.filter(personeelslid_id__in=person_ids).values_list(
        "leidinggevende", flat=True
    )
    return sorted({f"Vnm{p}q" for p in person_ids} | {f"Anm{p}q" for p in person_ids} | numbers | set(bosses))


def text_fields(model) -> list:
    """Every string field that is not a code: independent of how privacy.dossier classifies them, so a field
    the anonymisation misses keeps a name here and the scan finds it."""
    label = model._meta.label
    skip = set(dossier.IDENTITY.get(label, {})) | dossier.NOT_PERSONAL.get(label, set())
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, CharField | TextField) and not f.choices and f.name not in skip
    ]


def pollute() -> dict[int, str]:
    """Write each staff member's name and number into every free text and change reason of their rows."""
    numbers = dict(m.Personeelslid.objects.values_list("pk", "personeelsnummer"))
    person_of = person_of_every_row()
    quote = connection.ops.quote_name
    for node in graph():
        rows = person_of[node.model]
        ids = list(rows)
        texts = [f"Gesprek met Vnm{rows[i]}q Anm{rows[i]}q ({numbers[rows[i]]}) over haar werk" for i in ids]
        live = text_fields(node.model)
        targets = [(node.model, live)]
        if node.history is not None:  # every version of the row, by its original id
            names = {f.name for f in live} | {"history_change_reason"}
            targets.append((node.history, [f for f in node.history._meta.concrete_fields if f.name in names]))
        for model, fields in targets:
            if not fields or not ids:
                continue
            columns = ", ".join(
                f"{quote(f.column)} = left(d.txt, {f.max_length})"
                if f.max_length
                else f"{quote(f.column)} = d.txt"
                for f in fields
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote(model._meta.db_table)} AS t SET {columns} "  # noqa: S608 - own names
                    "FROM unnest(%s::bigint[], %s::text[]) AS d(id, txt) WHERE t.id = d.id",
                    [ids, texts],
                )
    return numbers


def close_for_coverage(cutoff: date) -> None:
    """Make sure every model of the dossier graph has rows of a staff member past retention: where the demo
    data has none (it closes few dossiers with e.g. a relapse), close every trajectory of a staff member who
    has such a row, on the latest date registered in the trajectory (so no date constraint breaks)."""
    person_of = person_of_every_row()
    eligible = eligible_by_hand(cutoff)
    dates = [
        f.name
        for f in m.Traject._meta.concrete_fields
        if type(f) is DateField and f.editable and f.name != "afgesloten_op"
    ]
    for node in graph():
        holds_text = text_fields(node.model) or node.history is not None
        if not holds_text or node.model is m.Personeelslid or set(person_of[node.model].values()) & eligible:
            continue
        for person in sorted(set(person_of[node.model].values())):
            trajecten = list(m.Traject.objects.filter(personeelslid_id=person).values("pk", *dates))
            fallback = cutoff - timedelta(days=1)
            last = {t["pk"]: max([t[d] for d in dates if t[d]] or [fallback]) for t in trajecten}
            if trajecten and max(last.values()) < cutoff:
                for pk, day in last.items():
                    m.Traject.objects.filter(pk=pk).exclude(status="afgesloten").update(
                        status="afgesloten", afgesloten_op=day, uitkomst="zelfde_functie"
                    )
                eligible.add(person)
                break
        else:
            raise AssertionError(f"the demo data (seed_demo) has no {node.label} that can be past retention")


def eligible_by_hand(cutoff: date) -> set[int]:
    per: dict[int, list] = {}
    for p, status, closed in m.Traject.objects.values_list("personeelslid_id", "status", "afgesloten_op"):
        per.setdefault(p, []).append((status, closed))
    return {
        p
        for p, rows in per.items()
        if all(s == "afgesloten" for s, _ in rows) and max(c for _, c in rows) < cutoff
    }


def snapshot() -> dict:
    """Every row of every table of the dossier graph (live and history)."""
    out = {}
    for node in graph():
        for model in filter(None, (node.model, node.history)):
            out[model._meta.label] = list(model._default_manager.order_by("pk").values_list())
    return out


def digest(coach, lines: list[tuple[str, int]]) -> m.Notificatie:
    body = "\n".join(
        f"- personeelsnummer {nr}: Gesprek over eerste stappen naar werk – termijn overschreden "
        f"(uiterlijk 31/03/2025)\n  http://127.0.0.1:8000/trajecten/{t}/"
        for nr, t in lines
    )
    return m.Notificatie.objects.create(
        soort="digest",
        ontvanger=coach,
        sleutel=f"2025-04-{len(lines):02d}",
        onderwerp="Overzicht",
        inhoud=body,
    )


# --- the full run on generated data -------------------------------------------------------------------


def test_anonymised_staff_members_leave_no_trace_and_reports_keep_their_figures(settings, monkeypatch):
    settings.RETENTION_YEARS = 1
    monkeypatch.setattr(retention, "BATCH_SIZE", 10)  # several batches
    call_command("seed_demo", "--reference-date", REF, stdout=StringIO())
    give_unique_names()
    numbers = pollute()
    cutoff = retention.years_before(AS_OF, 1)
    close_for_coverage(cutoff)
    eligible = eligible_by_hand(cutoff)
    closed_only = eligible_by_hand(date.max)
    kept = set(numbers) - eligible
    assert 20 <= len(eligible) and closed_only - eligible  # some closed dossiers are not yet due

    # real history through the ORM: a corrected name (the old one is in the change reason), a deleted part
    with_trajectory = set(m.Traject.objects.values_list("personeelslid_id", flat=True))
    gone, stays = min(eligible), min(kept & with_trajectory)
    person = m.Personeelslid.objects.get(pk=gone)
    person.voornaam, person._change_reason = f"Vnm{gone}r", f"Voornaam verbeterd, was Vnm{gone}q"
    person.save()
    deleted = m.Maatregel.objects.filter(stappenplan__traject__personeelslid_id__in=eligible).first()
    assert deleted is not None
    deleted.delete()
    # e-mails: a digest naming someone past retention and someone not, and an admin log line for each
    coach = Gebruiker.objects.filter(rol="terugkeercoach").first()
    t_gone = m.Traject.objects.filter(personeelslid_id=gone).first()
    t_stays = m.Traject.objects.filter(personeelslid_id=stays).first()
    note = digest(coach, [(numbers[gone], t_gone.pk), (numbers[stays], t_stays.pk)])
    operator = GebruikerFactory(username="beheerder.test", rol="beheerder", entiteit=None, is_staff=True)
    for obj in (person, m.Personeelslid.objects.get(pk=stays), t_gone):
        LogEntry.objects.create(
            user=operator,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            action_flag=CHANGE,
            change_message=f"Gewijzigd: {obj}",
        )
    ReadLogEntry.objects.create(gebruiker=coach, soort="dossier", traject_id=t_gone.pk, view="dossier")
    # the personnel system's absence periods, and an upload whose refused lines name both
    for p in (gone, stays):
        m.Afwezigheid.objects.create(
            entiteit=t_gone.entiteit if p == gone else t_stays.entiteit,
            personeelsnummer=numbers[p],
            eerste_dag=date(2025, 1, 6),
        )
    upload = m.AfwezigheidImport.objects.create(
        bestandsnaam="afwezigheden.csv",
        inhoud=f"personeelsnummer;eerste_dag\n{numbers[gone]};06/01/2025\n{numbers[stays]};06/01/2025\n",
        fouten=[
            {"regel": 2, "tekst": f"{numbers[gone]};xx", "reden": "datum"},
            {"regel": 3, "tekst": numbers[stays]},
        ],
    )

    gone_tokens = [*tokens_of(eligible), f"Vnm{gone}r"]
    kept_tokens = tokens_of(kept)
    before_gone, before_kept = scan(gone_tokens), scan(kept_tokens)
    for table in ("personeelslid", "historicalpersoneelslid", "traject", "historicaltraject", "gesprek"):
        assert f"trajecten_{table}" in before_gone and f"trajecten_{table}" in before_kept
    for table in (
        "historicalgesprek",
        "historicalmaatregel",
        "notificatie",
        "afwezigheid",
        "afwezigheidimport",
    ):
        assert f"trajecten_{table}" in before_gone
    assert "django_admin_log" in before_gone
    before = fingerprint()

    result = retention.run(AS_OF)

    assert result.personen == len(eligible)
    assert set(Anonymisation.objects.values_list("personeelslid_id", flat=True)) == eligible
    assert scan(gone_tokens) == {}, "names or personnel numbers of anonymised staff members remain"
    assert scan(kept_tokens) == before_kept, "data of staff members within the retention period changed"

    # the facts stay: the same rows and the same report figures for every year
    after = fingerprint()
    for fp in (before, after):
        for table in ("privacy_anonymisation", "operations_jobrun"):
            fp["tables"].pop(table)
    assert after == before
    assert len(before["figures"]) >= 3

    anonymous = m.Personeelslid.objects.get(pk=gone)
    assert (anonymous.personeelsnummer, anonymous.voornaam, anonymous.achternaam, anonymous.functie) == (
        f"ANON-{gone}",
        "",
        ANONIEM,
        "",
    )
    assert not m.Traject.objects.filter(personeelslid_id=gone).exclude(leidinggevende="").exists()
    assert m.Gesprek.objects.filter(traject__personeelslid_id=stays).exclude(uitkomst=ANONIEM).exists()
    note.refresh_from_db()
    assert numbers[gone] not in note.inhoud and numbers[stays] in note.inhoud and ANONIEM in note.inhoud
    upload.refresh_from_db()
    assert upload.fouten == [
        {"regel": 2, "tekst": f"{ANONIEM};xx", "reden": "datum"},
        {"regel": 3, "tekst": numbers[stays]},
    ]
    assert m.Afwezigheid.objects.filter(personeelsnummer=f"ANON-{gone}", eerste_dag=date(2025, 1, 6)).exists()

    # idempotent: a second run finds nothing and changes nothing
    rows = snapshot()
    again = apply_retention.delay(AS_OF.isoformat()).get()
    assert again["personen"] == 0 and again["rijen"] == 0
    assert snapshot() == rows
    run = JobRun.objects.get(job="retention")
    assert run.status == "ok" and run.counts["personen"] == 0 and run.finished_at


# --- who and when ---------------------------------------------------------------------------------------


def closed(person, on: date, **kwargs):
    return TrajectFactory(
        personeelslid=person,
        d0=on - timedelta(days=200),
        status="afgesloten",
        afgesloten_op=on,
        uitkomst="zelfde_functie",
        **kwargs,
    )


def test_retention_counts_from_the_last_closing_of_the_staff_member(settings, entiteit_a):
    settings.RETENTION_YEARS = 5
    as_of = date(2026, 6, 2)
    day_before, on_cutoff = date(2021, 6, 1), date(2021, 6, 2)

    due = PersoneelslidFactory(entiteit=entiteit_a)
    closed(due, day_before)
    not_yet = PersoneelslidFactory(entiteit=entiteit_a)
    closed(not_yet, on_cutoff)
    reopened = PersoneelslidFactory(entiteit=entiteit_a)  # an old dossier, and a new one still open
    closed(reopened, date(2015, 1, 5))
    TrajectFactory(personeelslid=reopened, d0=date(2026, 1, 1))
    recent = PersoneelslidFactory(entiteit=entiteit_a)  # an old one and a recently closed one
    closed(recent, date(2012, 3, 1))
    closed(recent, date(2024, 3, 1))
    PersoneelslidFactory(entiteit=entiteit_a)  # no trajectory at all

    result = retention.run(as_of)
    assert result.cutoff == on_cutoff
    assert set(Anonymisation.objects.values_list("personeelslid_id", flat=True)) == {due.pk}
    assert m.Personeelslid.objects.filter(achternaam=ANONIEM).count() == 1


def test_leap_day_cutoff():
    assert retention.years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)


def test_without_a_retention_setting_nothing_is_anonymised(settings, entiteit_a, caplog):
    settings.RETENTION_YEARS = None
    closed(PersoneelslidFactory(entiteit=entiteit_a), date(2005, 1, 1))
    result = retention.run(date(2026, 1, 1))
    assert result.personen == 0 and not Anonymisation.objects.exists()
    assert "RETENTION_YEARS is not set" in caplog.text


def test_a_free_text_required_by_a_constraint_stays_filled(settings, entiteit_a):
    settings.RETENTION_YEARS = 1
    t = closed(
        PersoneelslidFactory(entiteit=entiteit_a),
        date(2020, 1, 1),
        uitkomst_reden="Geen passend werk gevonden met Jan",
    )
    m.Traject.objects.filter(pk=t.pk).update(uitkomst="geen_terugkeer")
    m.Verlenging.objects.create(
        traject=t, toegekend_op=date(2019, 9, 1), nieuwe_datum=date(2019, 10, 1), reden="Advies van Jan"
    )
    m.Gesprek.objects.create(traject=t, datum=date(2019, 8, 1), vorm="telefoon", gevoerd_door="coach")
    retention.run(date(2026, 1, 1))
    t.refresh_from_db()
    assert t.uitkomst_reden == ANONIEM and t.verlenging_set.get().reden == ANONIEM
    assert t.gesprek_set.get().uitkomst == ""  # empty stays empty


# --- dry run, restart ------------------------------------------------------------------------------


def test_dry_run_lists_ids_and_changes_nothing(settings, entiteit_a):
    settings.RETENTION_YEARS = 2
    person = PersoneelslidFactory(entiteit=entiteit_a, achternaam="Vermeulen")
    t = closed(person, date(2020, 5, 4))
    out = StringIO()
    call_command("apply_retention", "--as-of", "2026-01-01", "--dry-run", stdout=out)
    text = out.getvalue()
    assert (
        f"zou anonimiseren: personeelslid {person.pk} (AAA), trajecten {t.pk}, laatst afgesloten op 04/05/2020"
        in text
    )
    assert "Proef: 1 personeelsleden met 1 trajecten" in text
    assert "Vermeulen" not in text and person.personeelsnummer not in text
    person.refresh_from_db()
    assert person.achternaam == "Vermeulen" and not Anonymisation.objects.exists()
    assert not JobRun.objects.exists()

    call_command("apply_retention", "--as-of", "2026-01-01", stdout=StringIO())
    person.refresh_from_db()
    assert person.achternaam == ANONIEM
    assert JobRun.objects.get().trigger == "manueel"


def test_a_run_that_dies_halfway_is_simply_run_again(settings, entiteit_a, monkeypatch):
    settings.RETENTION_YEARS = 1
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    people = [PersoneelslidFactory(entiteit=entiteit_a, achternaam=f"Naam{i}") for i in range(5)]
    for p in people:
        t = closed(p, date(2020, 1, 1), uitkomst_reden=f"Over {p.achternaam}")
        m.Gesprek.objects.create(
            traject=t, datum=date(2019, 9, 1), vorm="telefoon", gevoerd_door="coach", uitkomst=p.achternaam
        )
    real, calls = retention.scrub_notifications, {"n": 0}

    def dies_in_second_batch(numbers):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("de server viel uit")
        return real(numbers)

    monkeypatch.setattr(retention, "scrub_notifications", dies_in_second_batch)
    with pytest.raises(OSError):
        apply_retention.delay("2026-01-01")
    failed = JobRun.objects.get()
    assert failed.status == "failed" and failed.errors[-1]["exception"] == "OSError"
    done = set(Anonymisation.objects.values_list("personeelslid_id", flat=True))
    assert done == {people[0].pk, people[1].pk}  # batches of 2: the first batch is complete
    untouched = m.Personeelslid.objects.get(pk=people[2].pk)
    assert untouched.achternaam == "Naam2"  # the second batch rolled back entirely
    assert m.Gesprek.objects.get(traject__personeelslid=untouched).uitkomst == "Naam2"

    monkeypatch.setattr(retention, "scrub_notifications", real)
    result = retention.run(date(2026, 1, 1))
    assert result.personen == 3
    assert m.Personeelslid.objects.filter(achternaam=ANONIEM).count() == 5
    assert not m.Gesprek.objects.exclude(uitkomst=ANONIEM).exists()


# --- read log retention -------------------------------------------------------------------------------


def test_the_read_log_is_purged_after_its_retention(settings, coach_a):
    settings.READ_LOG_RETENTION_DAYS = 30
    old = ReadLogEntry.objects.create(gebruiker=coach_a, soort="dossier", traject_id=1, view="dossier")
    new = ReadLogEntry.objects.create(gebruiker=coach_a, soort="dossier", traject_id=1, view="dossier")
    ReadLogEntry.objects.filter(pk=old.pk).update(tijdstip=timezone.now() - timedelta(days=31))
    result = retention.run(date(2026, 1, 1))
    assert result.leeslog_gewist == 1
    assert list(ReadLogEntry.objects.values_list("pk", flat=True)) == [new.pk]


# --- every string field is classified --------------------------------------------------------------------


def test_every_string_field_of_a_dossier_is_classified():
    """A new field holding text about a person must carry MEDISCH_WAARSCHUWING (then it is anonymised) or be
    declared in privacy.dossier (identity or code): otherwise this test fails."""
    assert unclassified_fields() == []
    labels = {n.label for n in graph()}
    assert {"trajecten.Traject", "trajecten.Gesprek", "trajecten.Maatregel", "trajecten.Signaal"} <= labels
    assert [f.name for f in dossier.free_text_fields(m.Gesprek)] == ["uitkomst"]


def test_an_unclassified_field_is_reported(monkeypatch):
    monkeypatch.setattr(dossier, "NOT_PERSONAL", {"trajecten.Traject": {"eerstvolgende_mijlpaal"}})
    assert unclassified_fields() == ["trajecten.Signaal.mijlpaal"]
