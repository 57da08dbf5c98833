import gc

from reintegratie.memory import collector_on_young_objects, collector_paused


def test_the_collector_is_paused_in_the_block_and_on_again_after_it_even_on_an_error():
    assert gc.isenabled()
    try:
        with collector_paused():
            assert not gc.isenabled()
            with collector_paused():  # nested: the outer block decides
                assert not gc.isenabled()
            assert not gc.isenabled()
            raise ValueError("stop")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


class _Cycle:
    def __init__(self):
        self.me = self


def test_young_objects_only_what_existed_is_frozen_while_new_cycles_are_collected_and_all_unfrozen_after():
    lasting = [_Cycle() for _ in range(10)]
    with collector_paused(), collector_on_young_objects():
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(
            lasting
        )  # the objects that existed are out of the collector's walk
        gc.collect()
        assert all(gc.is_tracked(o) for o in lasting)
        unreachable = _Cycle()
        ref = id(unreachable)
        del unreachable
        assert gc.collect(0) >= 1  # a cycle made in the block is freed by a young collection
        assert ref not in {id(o) for o in gc.get_objects(0)}
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_young_objects_restores_a_collector_that_was_off_even_on_an_error():
    gc.disable()
    try:
        try:
            with collector_on_young_objects():
                assert gc.isenabled()
                raise ValueError("stop")
        except ValueError:
            pass
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()
