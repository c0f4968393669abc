"""The byte-bounded cache behind served documents and query answers."""

from __future__ import annotations

from gdp_rdf.web.lru import ByteLRU


def test_keeps_the_recently_used_within_the_bound() -> None:
    cache: ByteLRU[bytes] = ByteLRU(80, len)
    for key in "abcd":
        cache.put(key, b"x" * 10)
    assert cache.get("a") == b"x" * 10  # a is now the most recent
    for key in "efghi":
        cache.put(key, b"y" * 10)
    assert cache.held <= 80
    assert cache.get("a") is not None and cache.get("b") is None  # b was the oldest
    cache.put("a", b"z")  # replacing counts the new size only
    assert cache.get("a") == b"z" and cache.held == sum(len(v) for v in cache.items.values())


def test_one_huge_value_is_not_kept() -> None:
    cache: ByteLRU[bytes] = ByteLRU(800, len)
    cache.put("small", b"s")
    cache.put("huge", b"h" * 200)  # over an eighth of the bound
    assert cache.get("huge") is None and cache.get("small") == b"s"
