"""Run independent work on every core, children forked so they inherit read-only inputs."""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
S = TypeVar("S")
R = TypeVar("R")

# The one slot through which forked children see the caller's ``shared`` value: set just
# before the pool forks, cleared when its results are drained. Pickling a large graph for
# every task would cost more than the work.
_SHARED: list[Any] = []


def cores(requested: int | None = None) -> int:
    """Worker processes to use: the request, else every core."""
    return max(1, requested or os.cpu_count() or 1)


def _ignore_interrupt() -> None:
    # Ctrl-C reaches the whole process group: the parent alone reports it (exit 130), the
    # children would each print a KeyboardInterrupt traceback. They are forked with SIGINT
    # blocked, so none arrives before this.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _with_shared(function: Callable[[Any, T], R], item: T) -> R:
    return function(_SHARED[-1], item)


def fork_map(
    function: Callable[[S, T], R], items: Sequence[T], workers: int | None = None, *, shared: S
) -> Iterator[R]:
    """``[function(shared, item) for item in items]`` over forked processes, in order.

    ``function`` must be a module-level function; ``shared`` reaches the children by fork,
    never pickled. Falls back to a plain loop with one item, one core, or no fork here.
    """
    count = min(cores(workers), len(items))
    if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return (function(shared, item) for item in items)
    _SHARED.append(shared)
    # The pool forks inside map(); a Ctrl-C in that moment would land in a fork hook, where
    # Python ignores it. Held back until the children exist, it interrupts the loop below.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = ProcessPoolExecutor(
            count, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_interrupt
        )
        results = pool.map(functools.partial(_with_shared, function), items)
    except BaseException:
        _SHARED.pop()
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    return _drain(pool, results)


def _drain(pool: ProcessPoolExecutor, results: Iterable[R]) -> Iterator[R]:
    try:
        yield from results
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # interrupted: drop the queued work
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        _SHARED.pop()


def chunked(items: Sequence[T], parts: int) -> list[list[T]]:
    """Items split into about ``parts`` runs of consecutive items (order kept)."""
    size = max(1, -(-len(items) // max(1, parts)))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def chunked_by_size(sizes: dict[str, int], parts: int) -> list[list[str]]:
    """The keys of ``sizes`` (in its order) split into about ``parts`` runs of consecutive
    keys of similar total size."""
    target = max(1, -(-sum(sizes.values()) // max(1, parts)))
    runs: list[list[str]] = [[]]
    size = 0
    for key, weight in sizes.items():
        if size >= target:
            runs.append([])
            size = 0
        runs[-1].append(key)
        size += weight
    return [run for run in runs if run]
