"""The deadline job in batches (trajecten.jobs), in-process: each trajectory evaluated once, the set-based
read gives the same facts as the dossier, a batch or an end done twice changes and sends nothing, the
operator sees the run with its batches."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from entiteiten.models import Gebruiker
from operations.models import JobBatch, JobRun
from tests.factories import (
    BetrokkenheidFactory,
    FormeelVerloopFactory,
    GebruikerFactory,
    GesprekFactory,
    HervalFactory,
    InschattingFactory,
    MaatregelFactory,
    OnderzoekFactory,
    PersoneelslidFactory,
    TrajectFactory,
    VerlengingFactory,
)
from trajecten import deadlines as dl
from trajecten import jobs, monitoring
from trajecten import models as m
from trajecten.evaluation import dossiers, facts_of, id_batches, with_rule_data
from trajecten.facts import facts_from
from trajecten.tasks import finish_deadline_run, run_deadline_batch, run_deadline_job

pytestmark = pytest.mark.django_db
AS_OF = "2026-06-02"
DAY = date(2026, 6, 2)


@pytest.fixture
def trajecten(entiteit_a, settings):
    settings.DEADLINE_BATCH_SIZE = 3
    coach = GebruikerFactory(
        username="coach.b", email="coach.b@example.be", rol=Gebruiker.Rol.TERUGKEERCOACH, entiteit=entiteit_a
    )
    GebruikerFactory(username="hr.b", email="hr.b@example.be", rol=Gebruiker.Rol.HR, entiteit=entiteit_a)
    return [
        TrajectFactory(
            personeelslid=PersoneelslidFactory(entiteit=entiteit_a),
            d0=date(2026, 1, 5) + timedelta(days=9 * i),
            coach=coach if i % 3 else None,
        )
        for i in range(8)
    ]


def state():
    return (
        sorted(
            m.Signaal.objects.values_list("traject_id", "soort", "mijlpaal", "vervaldatum", "opgelost_op")
        ),
        sorted(
            m.Traject.objects.values_list(
                "pk", "eerstvolgende_termijn", "eerstvolgende_mijlpaal", "coach_nodig"
            )
        ),
        sorted(m.Notificatie.objects.values_list("soort", "ontvanger_id", "sleutel", "pogingen")),
    )


def test_each_open_trajectory_is_evaluated_once_for_signals_and_summary(trajecten, monkeypatch):
    calls = []
    real = dl.evaluate

    def counting(facts, as_of, **kwargs):
        calls.append(facts)
        return real(facts, as_of, **kwargs)

    monkeypatch.setattr(dl, "evaluate", counting)  # summarize() would call it a second time
    result = run_deadline_job(AS_OF)
    assert len(calls) == result["evaluated"] == 8
    assert result["summaries_changed"] == 8 and result["raised"] > 8  # both came from that one evaluation
    for t in with_rule_data(m.Traject.objects.all()):  # the stored summary is the rules' summary
        s = dl.summarize(facts_of(t), DAY)
        assert (t.eerstvolgende_termijn, t.eerstvolgende_mijlpaal) == (s.next_due, s.next_code)


def test_the_set_based_read_gives_the_facts_of_the_dossier(entiteit_a):
    t = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), d0=date(2025, 11, 3))
    GesprekFactory(traject=t, datum=date(2025, 11, 20))
    GesprekFactory(traject=t, datum=date(2025, 12, 1), soort="info_arbeidsarts")
    plan = MaatregelFactory(
        stappenplan__traject=t, stappenplan__inschatting__datum=date(2026, 1, 10), soort="progressief"
    ).stappenplan
    MaatregelFactory(stappenplan=plan)  # not a progressive return: the rules do not read it
    InschattingFactory(
        traject=t, datum=date(2026, 2, 1), uitkomst="nog_niet_mogelijk", volgend_gesprek_op=date(2026, 3, 2)
    )
    VerlengingFactory(traject=t, toegekend_op=date(2026, 1, 2))
    HervalFactory(traject=t, hervatting_vorm="progressief")
    BetrokkenheidFactory(
        traject=t, toestemming_op=date(2025, 11, 10), toestemming_ingetrokken_op=date(2026, 2, 3)
    )
    BetrokkenheidFactory(traject=t, actor="vertrouwenspersoon", vanaf=date(2026, 2, 1))
    OnderzoekFactory(traject=t, datum=date(2026, 3, 1))
    formeel = FormeelVerloopFactory(traject__personeelslid=PersoneelslidFactory(entiteit=entiteit_a))
    bare = TrajectFactory(personeelslid=PersoneelslidFactory(entiteit=entiteit_a), coach=None)
    models = {x.pk: x for x in with_rule_data(m.Traject.objects.all())}
    rows = dossiers(m.Traject.objects.all())
    assert [d.traject.pk for d in rows] == sorted([t.pk, formeel.traject.pk, bare.pk])
    for d in rows:
        assert facts_from(d) == facts_of(models[d.traject.pk])
    facts = facts_from(rows[0])
    assert facts.progressive_return_on and facts.relapses and facts.welzijnsactoren_on == (date(2026, 2, 1),)
    assert facts_from(rows[1]).formal is not None


def test_ids_are_cut_into_ranges_that_leave_none_out():
    assert id_batches([], 3) == []
    assert id_batches([2, 5, 7, 9, 12], 2) == [(0, 5, 2), (5, 9, 2), (9, None, 1)]


@pytest.mark.parametrize(
    "n, size, processes, sizes",
    [
        (8_500, 2_000, 2, [1_417] * 4 + [1_416] * 2),  # not 4 x 2,000 and 500 with one process idle
        (8_000, 2_000, 2, [2_000] * 4),
        (8_001, 2_000, 2, [1_334] * 3 + [1_333] * 3),
        (85_780, 2_000, 2, [1_950] * 24 + [1_949] * 20),
        (5, 2_000, 2, [3, 2]),
        (1, 2_000, 4, [1]),  # never an empty batch
        (10, 3, 1, [3, 3, 2, 2]),
        (10, 3, 3, [2, 2, 2, 2, 1, 1]),
    ],
)
def test_batches_are_a_multiple_of_the_processes_and_of_equal_size(n, size, processes, sizes):
    ids = list(range(10, 10 + 3 * n, 3))
    batches = id_batches(ids, size, processes)
    assert [b[2] for b in batches] == sizes
    assert all(b[2] <= size for b in batches)
    assert len(batches) % processes == 0 or len(batches) == n
    # contiguous ranges: every id in exactly one, the last open-ended
    assert batches[0][0] == 0 and batches[-1][1] is None
    bounds = [*(b[1] for b in batches[:-1]), ids[-1]]
    for (after, _, count), up_to in zip(batches, bounds, strict=True):
        assert sum(after < i <= up_to for i in ids) == count


def test_the_run_is_cut_for_the_workers_processes(trajecten, settings):
    settings.DEADLINE_WORKER_PROCESSES = 2  # 8 open, at most 3 a batch: 4 batches of 2, not 3 + 3 + 2
    result = run_deadline_job(AS_OF)
    run = JobRun.objects.get(job="deadlines")
    assert result["batches"] == 4 and result["evaluated"] == 8
    assert [(b.size, b.counts["evaluated"]) for b in run.batches.all()] == [(2, 2)] * 4


def test_a_batch_or_the_end_done_twice_changes_and_sends_nothing(trajecten):
    first = run_deadline_job(AS_OF)
    run = JobRun.objects.get(job="deadlines")
    assert first == run.counts and first["batches"] == 3 and first["notifications_recorded"] == 2
    before, sent = state(), len(mail.outbox)
    assert sent == 2  # the coach's digest and HR's (trajectories without coach)

    for batch in run.batches.all():  # delivered again (a worker died after its commit)
        run_deadline_batch(batch.pk, AS_OF)
    finish_deadline_run(run.pk)
    assert state() == before and len(mail.outbox) == sent
    run.refresh_from_db()
    assert run.counts == first and [b.attempts for b in run.batches.all()] == [1, 1, 1]

    # the batch's work itself, redone on the same day (its commit lost): nothing to add
    again = monitoring.JobResult(as_of=DAY)
    monitoring.run_range(0, None, DAY, again)
    assert (again.evaluated, again.raised, again.resolved, again.summaries_changed) == (8, 0, 0, 0)
    assert state() == before


def test_a_start_delivered_twice_finds_its_run(trajecten):
    run = jobs.start(DAY, task_id="taak-1")
    assert run.finished_at is not None and run.counts["evaluated"] == 8
    again = jobs.start(DAY, task_id="taak-1")
    assert again.pk == run.pk and JobRun.objects.filter(job="deadlines").count() == 1
    assert [b.attempts for b in again.batches.all()] == [1, 1, 1]


def test_a_broken_batch_is_recorded_and_the_others_go_on(trajecten, monkeypatch):
    real = monitoring.run_range

    def broken(after, up_to, as_of, result):
        if after == 0:
            raise ConnectionError("databank weg")
        real(after, up_to, as_of, result)

    monkeypatch.setattr(monitoring, "run_range", broken)
    result = run_deadline_job(AS_OF)
    run = JobRun.objects.get(job="deadlines")
    assert [b.status for b in run.batches.all()] == ["failed", "done", "done"]
    assert run.status == "failed" and result["evaluated"] == 5 and run.error_count == 1
    assert run.errors == [{"message": "het deel brak af", "exception": "ConnectionError"}]
    assert not m.Signaal.objects.filter(traject_id__in=[t.pk for t in trajecten[:3]]).exists()


def test_the_operator_sees_the_run_with_its_batches(trajecten, client):
    run_deadline_job(AS_OF)
    run = JobRun.objects.get(job="deadlines")
    operator = GebruikerFactory(
        username="beheerder", rol=Gebruiker.Rol.BEHEERDER, entiteit=None, is_staff=True, is_superuser=True
    )
    client.force_login(operator)
    page = client.get(reverse("admin:operations_jobrun_change", args=[run.pk])).content.decode()
    assert page.count('<td class="field-worker">') == 3  # one line per batch, with its worker
    assert "batches: 3" in page and "evaluated: 8" in page
    listing = client.get(reverse("admin:operations_jobrun_changelist")).content.decode()
    assert "batches: 3" in listing and "3/3" in listing  # the batches done, of all
    assert JobBatch.objects.filter(run=run, status="done").count() == 3


def test_a_run_that_lost_its_batches_is_closed_by_the_next_start(trajecten):
    lost = jobs.start(DAY, task_id="taak-1")
    JobRun.objects.filter(pk=lost.pk).update(
        finished_at=None, status="running", started_at=timezone.now() - timedelta(hours=21)
    )
    JobBatch.objects.filter(run=lost, number=3).update(status="running")  # its message never came back
    jobs.start(DAY + timedelta(days=1), task_id="taak-2")
    lost.refresh_from_db()
    assert lost.status == "failed" and lost.finished_at is not None
    assert lost.errors[-1] == {"message": "niet afgewerkt: 1 delen bleven open"}
    assert JobRun.objects.filter(job="deadlines", status="ok").count() == 1
