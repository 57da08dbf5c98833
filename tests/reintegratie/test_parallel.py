import os

import pytest

from reintegratie.parallel import side_by_side


def test_every_call_after_the_first_runs_in_another_process_and_the_results_come_back_in_order():
    here = os.getpid()
    results = side_by_side(
        [lambda: ("a", os.getpid()), lambda: ("b", os.getpid()), lambda: ("c", os.getpid())]
    )
    assert [name for name, _pid in results] == ["a", "b", "c"]
    pids = [pid for _name, pid in results]
    assert pids[0] == here
    assert here not in pids[1:] and pids[1] != pids[2]


def test_a_large_result_passes_the_pipe_whole():
    big = list(range(300_000))  # several MB pickled: more than a pipe holds at once
    assert side_by_side([lambda: 1, lambda: [x * 2 for x in big]]) == [1, [x * 2 for x in big]]


def test_a_call_that_fails_in_the_child_is_computed_here_instead(caplog):
    here = os.getpid()

    def only_here():
        if os.getpid() != here:
            raise RuntimeError("not in a child")
        return "computed here"

    assert side_by_side([lambda: 0, only_here]) == [0, "computed here"]
    assert "RuntimeError: not in a child" in caplog.text


def test_a_child_that_dies_without_a_result_is_computed_here_instead():
    here = os.getpid()

    def dies_in_the_child():
        if os.getpid() != here:
            os._exit(3)
        return "survived"

    assert side_by_side([lambda: 0, dies_in_the_child]) == [0, "survived"]


def test_without_parallel_everything_runs_here():
    here = os.getpid()
    assert side_by_side([os.getpid, os.getpid], parallel=False) == [here, here]


@pytest.mark.django_db
def test_a_child_cannot_use_the_database_so_the_parent_computes_what_needs_it(caplog):
    from entiteiten.models import Entiteit
    from tests.factories import EntiteitFactory

    EntiteitFactory()  # in this test's transaction: a new connection in the child would not see it

    assert side_by_side([lambda: 0, Entiteit.objects.count]) == [0, 1]
    assert "no database access in a child process" in caplog.text
    assert Entiteit.objects.count() == 1  # the parent's connection is intact
