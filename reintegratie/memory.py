"""Python's cyclic garbage collector around large, short-lived batches of objects.

The collector's full collections walk every tracked object. A computation that builds hundreds of
thousands of small objects (the data generator, a year's report figures) triggers many of them and each
walks the whole growing heap again, although those objects hold no reference cycles: they are freed by
reference counting as soon as the computation drops them. Measured at 1,000,000 trajectories: a report
and its comparison year 27 s with the collector on, 22 s with it paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block (nested blocks leave it to the outermost), then run one
    collection of the young generations for anything the block left behind."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(1)
