"""The deadline job: signals across each boundary, idempotence, notifications sent once, faults."""

from dataclasses import replace
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from entiteiten.models import Gebruiker
from reintegratie.celery import app
from tests.factories import GebruikerFactory, PersoneelslidFactory, TrajectFactory
from trajecten import deadlines as dl
from trajecten import models as m
from trajecten import monitoring
from trajecten.evaluation import refresh_one

pytestmark = pytest.mark.django_db
D0 = date(2026, 1, 31)  # + 2 months = 31/03, + 4 months = 31/05


@pytest.fixture
def coach(entiteit_a):
    return GebruikerFactory(
        username="coach.mail", email="coach@example.be", rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit=entiteit_a
    )


@pytest.fixture
def hr(entiteit_a):
    return GebruikerFactory(
        username="hr.mail", email="hr@example.be", rol=Gebruiker.Rol.HR, entiteit=entiteit_a
    )


@pytest.fixture
def t(entiteit_a, coach):
    return TrajectFactory(
        personeelslid=PersoneelslidFactory(entiteit=entiteit_a, achternaam="Vermeulen"), d0=D0, coach=coach
    )


def open_signals(traject):
    return sorted(
        (s.soort, s.mijlpaal, s.vervaldatum)
        for s in m.Signaal.objects.filter(traject=traject, opgelost_op__isnull=True)
    )


def test_signals_follow_the_two_month_boundary(t):
    monitoring.run(date(2026, 3, 23), notify=False)  # 8 days before 31/03
    assert ("binnenkort", "gesprek_2_maanden", date(2026, 3, 31)) not in open_signals(t)
    monitoring.run(date(2026, 3, 24), notify=False)  # 7 days before
    assert ("binnenkort", "gesprek_2_maanden", date(2026, 3, 31)) in open_signals(t)
    monitoring.run(date(2026, 3, 31), notify=False)  # last day
    assert ("binnenkort", "gesprek_2_maanden", date(2026, 3, 31)) in open_signals(t)
    monitoring.run(date(2026, 4, 1), notify=False)  # the day after
    assert ("te_laat", "gesprek_2_maanden", date(2026, 3, 31)) in open_signals(t)
    assert ("binnenkort", "gesprek_2_maanden", date(2026, 3, 31)) not in open_signals(t)
    resolved = m.Signaal.objects.get(traject=t, soort="binnenkort", mijlpaal="gesprek_2_maanden")
    assert resolved.opgelost_op == date(2026, 4, 1)


def test_signal_resolves_itself_when_the_step_is_registered(t):
    monitoring.run(date(2026, 4, 2), notify=False)
    assert ("te_laat", "gesprek_2_maanden", date(2026, 3, 31)) in open_signals(t)
    m.Gesprek.objects.create(traject=t, datum=date(2026, 4, 2), vorm="telefoon", gevoerd_door="coach")
    refresh_one(t.pk, date(2026, 4, 2))  # what every dossier form does after saving
    assert ("te_laat", "gesprek_2_maanden", date(2026, 3, 31)) not in open_signals(t)
    t.refresh_from_db()
    assert t.eerstvolgende_mijlpaal == "info_arbeidsarts"  # the earliest still-open term now


def test_job_is_idempotent(t):
    first = monitoring.run(date(2026, 6, 1))
    signals = m.Signaal.objects.count()
    notes = m.Notificatie.objects.count()
    second = monitoring.run(date(2026, 6, 1))
    assert first.raised > 0 and first.notifications_recorded == 1
    assert (second.raised, second.resolved, second.notifications_recorded, second.summaries_changed) == (
        0,
        0,
        0,
        0,
    )
    assert (m.Signaal.objects.count(), m.Notificatie.objects.count()) == (signals, notes)


def test_four_month_rule_mandatory_only_from_setting(t, hr, settings):
    settings.FORMEEL_VERPLICHT_VANAF = None
    monitoring.run(date(2026, 6, 1))
    assert ("formeel_waarschuwing", "inschatting_4_maanden", date(2026, 5, 31)) in open_signals(t)
    assert not m.Notificatie.objects.filter(soort="formeel_verplicht").exists()

    settings.FORMEEL_VERPLICHT_VANAF = date(2026, 6, 1)
    monitoring.run(date(2026, 6, 2))
    assert ("formeel_verplicht", "inschatting_4_maanden", date(2026, 5, 31)) in open_signals(t)
    assert ("formeel_waarschuwing", "inschatting_4_maanden", date(2026, 5, 31)) not in open_signals(t)
    note = m.Notificatie.objects.get(soort="formeel_verplicht")
    assert note.ontvanger == hr and "formeel re-integratietraject" in note.inhoud


def test_stappenplan_rule_honours_extension(t, settings):
    settings.FORMEEL_VERPLICHT_VANAF = date(2026, 1, 1)
    m.Inschatting.objects.create(traject=t, datum=date(2026, 3, 10), uitkomst="stappen_mogelijk")
    m.Verlenging.objects.create(
        traject=t, toegekend_op=date(2026, 5, 1), nieuwe_datum=date(2026, 6, 30), reden="SMT"
    )
    monitoring.run(date(2026, 5, 15), notify=False)  # 10/03 + 2 months = 10/05, extended to 30/06
    assert not [s for s in open_signals(t) if s[0] == "formeel_verplicht"]
    monitoring.run(date(2026, 7, 1), notify=False)
    assert ("formeel_verplicht", "stappenplan", date(2026, 6, 30)) in open_signals(t)


def test_digest_once_per_coach_without_names_and_sent_once(t, coach, entiteit_a):
    TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=D0, coach=coach)
    monitoring.run(date(2026, 4, 1))
    digests = m.Notificatie.objects.filter(soort="digest")
    assert digests.count() == 1
    body = digests.get().inhoud
    assert t.personeelslid.personeelsnummer in body and "Vermeulen" not in body
    assert f"/trajecten/{t.pk}/" in body
    assert monitoring.send_pending() == (1, 0)
    assert monitoring.send_pending() == (0, 0)
    monitoring.run(date(2026, 4, 1))
    assert monitoring.send_pending() == (0, 0)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["coach@example.be"]


def test_a_run_again_on_the_same_day_records_only_what_is_missing(t, coach, hr, entiteit_a, settings):
    """After a failure the job runs again on the same day: the digests and HR messages recorded already are
    not recorded twice; a recipient (or an HR message) that had none gets one."""
    settings.FORMEEL_VERPLICHT_VANAF = date(2026, 1, 1)
    day = date(2026, 6, 2)
    assert monitoring.run(day).notifications_recorded == 2  # the coach's digest and HR's message
    hr2 = GebruikerFactory(
        username="hr.twee", email="hr2@example.be", rol=Gebruiker.Rol.HR, entiteit=entiteit_a
    )
    other = GebruikerFactory(
        username="coach.twee", email="c2@example.be", rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit=entiteit_a
    )
    TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=D0, coach=other)
    again = monitoring.run(day)
    # the new coach's digest, HR's message for the new trajectory, and the second HR user's two messages
    assert again.notifications_recorded == 4
    digests = m.Notificatie.objects.filter(soort="digest")
    assert sorted(digests.values_list("ontvanger__username", flat=True)) == ["coach.mail", "coach.twee"]
    assert m.Notificatie.objects.filter(soort="formeel_verplicht", ontvanger=hr).count() == 2
    assert m.Notificatie.objects.filter(soort="formeel_verplicht", ontvanger=hr2).count() == 2
    assert monitoring.run(day).notifications_recorded == 0


def test_trajectory_without_coach_goes_to_hr_digest(entiteit_a, hr):
    TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=D0, coach=None)
    monitoring.run(date(2026, 4, 1))
    assert m.Notificatie.objects.get(soort="digest").ontvanger == hr


def test_failed_send_is_retried_without_duplicates(t, monkeypatch):
    monitoring.run(date(2026, 4, 1))
    calls = {"n": 0}
    real = monitoring.deliver

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("SMTP niet bereikbaar")
        return real(*args, **kwargs)

    monkeypatch.setattr(monitoring, "deliver", flaky)
    assert monitoring.send_pending() == (0, 1)
    note = m.Notificatie.objects.get()
    assert (note.verzonden_op, note.pogingen, note.laatste_fout) == (None, 1, "SMTP niet bereikbaar")
    assert monitoring.send_pending() == (1, 0)
    assert monitoring.send_pending() == (0, 0)
    assert len(mail.outbox) == 1


def test_error_in_one_trajectory_does_not_stop_the_others(t, entiteit_a, monkeypatch, caplog):
    other = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=D0)
    real = monitoring.facts_from

    def broken(dossier):
        if dossier.traject.pk == t.pk:
            raise ValueError("kapotte gegevens")
        return real(dossier)

    monkeypatch.setattr(monitoring, "facts_from", broken)
    result = monitoring.run(date(2026, 4, 1), notify=False)
    assert (result.evaluated, result.errors) == (1, 1)
    assert open_signals(other) and not open_signals(t)
    assert "could not be evaluated" in caplog.text


def test_batches_give_the_same_result(entiteit_a):
    for i in range(7):
        TrajectFactory(
            personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=D0 - timedelta(days=10 * i)
        )
    small = monitoring.run(date(2026, 5, 1), batch_size=2, notify=False)
    state = sorted(m.Signaal.objects.values_list("traject_id", "soort", "mijlpaal", "vervaldatum"))
    m.Signaal.objects.all().delete()
    big = monitoring.run(date(2026, 5, 1), batch_size=1000, notify=False)
    assert small.raised == big.raised == len(state)
    assert sorted(m.Signaal.objects.values_list("traject_id", "soort", "mijlpaal", "vervaldatum")) == state


def test_query_count_per_batch_is_constant(entiteit_a, django_assert_max_num_queries):
    for i in range(30):
        TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=D0 - timedelta(days=i))
    with django_assert_max_num_queries(20):
        monitoring.run(date(2026, 5, 1), notify=False)


def test_closed_trajectory_raises_nothing(t):
    monitoring.run(date(2026, 4, 1), notify=False)
    assert open_signals(t)
    t.status, t.afgesloten_op, t.uitkomst = "afgesloten", date(2026, 4, 2), "zelfde_functie"
    t.save()
    monitoring.run(date(2026, 4, 3), notify=False)
    assert open_signals(t) == []


def test_dry_run_changes_nothing(t):
    out = StringIO()
    call_command("run_deadline_job", "--as-of", "2026-04-01", "--dry-run", stdout=out)
    assert "zou melden" in out.getvalue() and "Proef:" in out.getvalue()
    assert not m.Signaal.objects.exists() and not m.Notificatie.objects.exists()


def test_command_runs_and_sends(t):
    out = StringIO()
    call_command("run_deadline_job", "--as-of", "2026-04-01", stdout=out)
    assert "1 e-mails verstuurd" in out.getvalue()
    with pytest.raises(CommandError, match="Ongeldige datum"):
        call_command("run_deadline_job", "--as-of", "01/04/2026")


def test_the_command_runs_the_nightly_job_with_its_absences(t, entiteit_a):
    """The operator's run by hand is the nightly run (its batches and end in this process): the absences of
    four weeks or more without a trajectory are judged and mailed too, and the run is the one the worklist's
    list of absences trusts."""
    from operations.models import JobRun
    from tests.factories import AfwezigheidFactory
    from trajecten import absences

    AfwezigheidFactory(entiteit=entiteit_a, personeelsnummer="P900", eerste_dag=date(2026, 2, 1))
    out = StringIO()
    call_command("run_deadline_job", "--as-of", "2026-04-01", stdout=out)
    assert "Afwezigheden van 4 weken of meer zonder traject: 1 nieuwe signalen, 0 opgelost." in out.getvalue()
    absence = m.Afwezigheid.objects.get()
    assert absence.gesignaleerd_op == date(2026, 4, 1)
    run = JobRun.objects.get(job=JobRun.Job.DEADLINES)
    assert (run.trigger, run.status, run.counts["evaluated"], run.counts["absences_raised"]) == (
        "manueel",
        "ok",
        1,
        1,
    )
    assert absences.last_judgement()[1] == date(2026, 4, 1)
    assert any("P900" in msg.body for msg in mail.outbox)


def test_a_batch_that_breaks_in_the_command_fails_the_run(t, monkeypatch):
    """By hand as by the workers after their last retry: the broken batch is recorded as failed (its work
    rolled back), the run ends "Mislukt", and the command says so."""
    from operations.models import JobBatch, JobRun

    def broken(*args, **kwargs):
        raise ConnectionError("database gone")

    monkeypatch.setattr(monitoring, "run_range", broken)
    with pytest.raises(CommandError, match="konden niet geëvalueerd worden"):
        call_command("run_deadline_job", "--as-of", "2026-04-01", stdout=StringIO())
    run = JobRun.objects.get(job=JobRun.Job.DEADLINES)
    assert (run.trigger, run.status) == ("manueel", "failed")
    assert list(JobBatch.objects.values_list("status", flat=True)) == ["failed"]
    assert not m.Signaal.objects.exists()


def test_beat_schedule_runs_the_job_daily_in_brussels(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["evaluate-deadlines-daily"]
    assert entry["task"] == "trajecten.tasks.run_deadline_job"
    assert entry["schedule"].hour == {settings.DEADLINE_JOB_HOUR}
    assert app.conf.timezone == "Europe/Brussels"
    app.loader.import_default_modules()
    assert "trajecten.tasks.run_deadline_job" in app.tasks


def test_task_runs_job_and_sends(t):
    from trajecten.tasks import run_deadline_job

    result = run_deadline_job.delay("2026-04-01").get()
    assert result["raised"] > 0
    assert len(mail.outbox) == 1


# --- issue 10: when the obligation is in force, back at work, a new period ----------------------------


def test_mandatory_and_hr_message_only_from_the_day_the_entity_may_start(t, hr, settings):
    # Positive assessment 07/02: the stappenplan term ends 07/04, but the entity may start a formal
    # trajectory only from 30/04 (31/01 + 3 months): the obligation is in force from 30/04.
    settings.FORMEEL_VERPLICHT_VANAF = date(2026, 1, 1)
    m.Inschatting.objects.create(traject=t, datum=date(2026, 2, 7), uitkomst="stappen_mogelijk")
    monitoring.run(date(2026, 4, 8))
    assert ("te_laat", "stappenplan", date(2026, 4, 7)) in open_signals(t)
    assert not [s for s in open_signals(t) if s[0].startswith("formeel")]
    t.refresh_from_db()
    assert (t.formeel_verplicht_vanaf, t.formeel_waarschuwing_vanaf) == (date(2026, 4, 30), None)
    monitoring.run(date(2026, 4, 29))
    assert not [s for s in open_signals(t) if s[0].startswith("formeel")]
    assert not m.Notificatie.objects.filter(soort="formeel_verplicht").exists()
    monitoring.run(date(2026, 4, 30))
    assert ("formeel_verplicht", "stappenplan", date(2026, 4, 7)) in open_signals(t)
    signal = m.Signaal.objects.get(traject=t, soort="formeel_verplicht")
    assert signal.opgemerkt_op == date(2026, 4, 30)
    assert m.Notificatie.objects.get(soort="formeel_verplicht").sleutel == f"signaal-{signal.pk}"


def test_no_obligation_while_back_at_work_and_judged_again_after_a_relapse(t, settings):
    settings.FORMEEL_VERPLICHT_VANAF = date(2026, 1, 1)
    monitoring.run(date(2026, 6, 1), notify=False)  # no assessment by 31/05: mandatory from 01/06
    assert ("formeel_verplicht", "inschatting_4_maanden", date(2026, 5, 31)) in open_signals(t)

    t.werkhervatting_op, t.werkhervatting_vorm, t.status = date(2026, 6, 2), "volledig", "opvolging"
    t.save()
    refresh_one(t.pk, date(2026, 6, 2))
    assert open_signals(t) == []  # the return meets the terms; no obligation while at work
    t.refresh_from_db()
    assert (t.formeel_verplicht_vanaf, t.formeel_waarschuwing_vanaf) == (None, None)

    # Unable again on 10/06, within 14 days of the return: the same period, the return meets nothing.
    m.Herval.objects.create(traject=t, hervat_op=date(2026, 6, 2), datum=date(2026, 6, 10))
    t.werkhervatting_op, t.werkhervatting_vorm, t.status = None, "", "lopend"
    t.save()
    monitoring.run(date(2026, 6, 10), notify=False)
    assert ("formeel_verplicht", "inschatting_4_maanden", date(2026, 5, 31)) in open_signals(t)
    t.refresh_from_db()
    assert t.formeel_verplicht_vanaf == date(2026, 6, 1)


def test_a_relapse_after_14_days_starts_new_terms_and_ends_the_old_signals(t):
    monitoring.run(date(2026, 4, 1), notify=False)
    assert ("te_laat", "gesprek_2_maanden", date(2026, 3, 31)) in open_signals(t)
    # Back at work 02/04, unable again 20/04 (18 days later): a new period from 20/04.
    m.Herval.objects.create(traject=t, hervat_op=date(2026, 4, 2), datum=date(2026, 4, 20))
    monitoring.run(date(2026, 5, 18), notify=False)
    assert open_signals(t) == [("binnenkort", "info_arbeidsarts", date(2026, 5, 18))]  # 20/04 + 28 days
    monitoring.run(date(2026, 5, 19), notify=False)
    assert open_signals(t) == [("te_laat", "info_arbeidsarts", date(2026, 5, 18))]
    t.refresh_from_db()
    assert (t.eerstvolgende_termijn, t.eerstvolgende_mijlpaal) == (date(2026, 5, 18), "info_arbeidsarts")


def test_desired_signals_come_from_current_milestones_only():
    surveillance = dl.TrajectFacts(kind=dl.INFORMEEL, d0=D0, health_surveillance=True)
    # Back at work on 02/04 after two months: the onderzoek bij werkhervatting is due that day.
    back = replace(surveillance, returned_on=date(2026, 4, 2))
    assert monitoring.desired_signals(dl.evaluate(back, date(2026, 4, 2))) == {
        ("binnenkort", "onderzoek_werkhervatting", date(2026, 4, 2))
    }
    assert monitoring.desired_signals(dl.evaluate(back, date(2026, 4, 3))) == {
        ("te_laat", "onderzoek_werkhervatting", date(2026, 4, 2))
    }
    # Unable again on 10/04: the return is over, its missed examination is history and signals nothing;
    # the return within 14 days meets no term, so the two-month conversation is overdue again.
    relapsed = replace(surveillance, relapses=(dl.Relapse(date(2026, 4, 2), date(2026, 4, 10)),))
    ev = dl.evaluate(relapsed, date(2026, 4, 10))
    exam = next(x for x in ev.milestones if x.code == dl.ONDERZOEK_WERKHERVATTING)
    assert (exam.state, exam.history) == (dl.MISSED, True)
    assert monitoring.desired_signals(ev) == {
        ("te_laat", "info_arbeidsarts", date(2026, 2, 28)),
        ("te_laat", "gesprek_2_maanden", date(2026, 3, 31)),
    }


def test_desired_signals_of_the_warning_while_the_obligation_does_not_apply():
    facts = dl.TrajectFacts(kind=dl.INFORMEEL, d0=D0, conversations=(date(2026, 2, 10),))
    ev = dl.evaluate(facts, date(2026, 6, 1), mandatory_from=date(2026, 6, 2))  # in force 01/06 < 02/06
    assert ("formeel_waarschuwing", "inschatting_4_maanden", date(2026, 5, 31)) in monitoring.desired_signals(
        ev
    )
    ev = dl.evaluate(facts, date(2026, 6, 1), mandatory_from=date(2026, 6, 1))
    signals = monitoring.desired_signals(ev)
    assert ("formeel_verplicht", "inschatting_4_maanden", date(2026, 5, 31)) in signals
    assert not [s for s in signals if s[0] == "formeel_waarschuwing"]
