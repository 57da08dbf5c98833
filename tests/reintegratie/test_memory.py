import gc

from reintegratie.memory import collector_paused


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
