"""Run independent work on every core, children forked so they inherit read-only inputs."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores(requested: int | None = None) -> int:
    """Worker processes to use: the request, else every core."""
    return max(1, requested or os.cpu_count() or 1)


def fork_map(
    function: Callable[[T], R], items: Sequence[T], workers: int | None = None
) -> Iterator[R]:
    """``map(function, items)`` over forked processes, results in order.

    Forking lets children read the parent's large inputs (module globals set before the
    call) without pickling them. Falls back to a plain map with one item, one core, or no
    fork on this platform.
    """
    count = min(cores(workers), len(items))
    if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return map(function, items)
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"))
    return _drain(pool, pool.map(function, items))


def _drain(pool: ProcessPoolExecutor, results: Iterable[R]) -> Iterator[R]:
    with pool:
        yield from results


def chunked(items: Sequence[T], parts: int) -> list[list[T]]:
    """Items split into about ``parts`` runs of consecutive items (order kept)."""
    size = max(1, -(-len(items) // max(1, parts)))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]
