"""Pure computations side by side on the machine's CPUs, in forked processes.

A year's report figures are CPU-bound Python (the deadline rules judged for every trajectory), and the HOC
report needs two years (the year and the one before, for the comparison): computed one after the other
they keep one CPU busy while the other waits. ``side_by_side`` runs the second computation in a forked
child process, which starts with a copy of everything already fetched (copy-on-write, no pickling of the
input), and sends its result back pickled through a pipe.

Only for pure computations: the child inherits this process's database connection, open files and locks,
and must use none of them (it computes from memory, pickles and leaves with ``os._exit``, without running
any cleanup that would touch them). Where ``os.fork`` does not exist, or a child fails or dies, the
computation runs here after all: the result is the same, only slower, and the failure is logged.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


def side_by_side(calls: list[Callable[[], T]], parallel: bool = True) -> list[T]:
    """The results of ``calls``, in order: the first computed in this process, every other one in a forked
    child at the same time (``parallel=False``, or no ``os.fork``: all here, one after the other)."""
    if not parallel or len(calls) < 2 or not hasattr(os, "fork"):
        return [call() for call in calls]
    children = []
    for call in calls[1:]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, leave without any cleanup of the parent's resources
            status = 0
            try:
                os.close(read_end)
                _no_database()
                try:
                    data = pickle.dumps((True, call()), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException as exc:  # noqa: BLE001 - any failure is reported to the parent
                    data = pickle.dumps((False, f"{type(exc).__name__}: {exc}"))
                view = memoryview(data)
                while view:
                    view = view[os.write(write_end, view) :]
                os.close(write_end)
            except BaseException:  # noqa: BLE001 - the parent sees no result and computes it itself
                status = 1
            finally:
                os._exit(status)
        os.close(write_end)
        children.append((pid, read_end, call))
    try:
        results = [calls[0]()]
    finally:
        received = [(pid, call, _read_all(read_end)) for pid, read_end, call in children]
        for pid, _call, _data in received:
            os.waitpid(pid, 0)
    for pid, call, data in received:
        try:
            ok, value = pickle.loads(data)  # noqa: S301 - written by our own child process, through a pipe
        except Exception:  # noqa: BLE001 - no (complete) result: the child died
            ok, value = False, "no result from the child process"
        if not ok:
            log.warning("a computation in child process %s failed (%s); computed here instead", pid, value)
            value = call()
        results.append(value)
    return results


def _no_database() -> None:
    """In a child: any use of a database connection fails (and the parent computes the call itself) instead
    of talking over the parent's socket, or opening a connection outside the parent's transaction."""
    from django.db import connections

    def forbidden(*args, **kwargs):
        raise RuntimeError("no database access in a child process (reintegratie.parallel)")

    for conn in connections.all():
        conn.ensure_connection = forbidden
        conn.connect = forbidden


def _read_all(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as pipe:
        return pipe.read()
