"""A least-recently-used cache bounded by the bytes it holds (thread-safe).

The served data never changes while a server runs, so documents, pages and query answers
can be kept once made; the bound keeps a crawler from filling the memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ByteLRU(Generic[V]):
    def __init__(self, max_bytes: int, size: Callable[[V], int]) -> None:
        self.max_bytes, self.size = max_bytes, size
        self.items: OrderedDict[Hashable, V] = OrderedDict()
        self.held = 0
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        cost = self.size(value)
        if cost > self.max_bytes // 8:  # one huge answer must not push out everything
            return
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.held -= self.size(old)
            self.items[key] = value
            self.held += cost
            while self.held > self.max_bytes:
                _, dropped = self.items.popitem(last=False)
                self.held -= self.size(dropped)
