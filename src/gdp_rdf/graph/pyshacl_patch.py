"""A speed-up for pySHACL's constraint-parameter lookup, applied only to tested versions.

For every shape and focus node pySHACL tests each predicate of the shape against a list of
~40 constraint parameters, comparing rdflib terms in Python; on our graphs that was a
quarter of validation time. pySHACL reads the list from a module attribute it caches it in
(`pyshacl.shape.CONSTRAINT_PARAMS`, since 0.26); giving that list a set lookup changes no
answer. Outside TESTED (or if the attribute changes shape) nothing is patched: validation
is then only slower, never different.
"""

from __future__ import annotations

from collections.abc import Iterable

TESTED = ((0, 40), (0, 41))  # [first, last) pySHACL minor versions the patch was checked on


class _ListWithSetLookup(list):  # type: ignore[type-arg]
    """A list whose `in` is a set lookup; everything else behaves as the list."""

    def __init__(self, items: Iterable[object]) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _version(text: str) -> tuple[int, int]:
    parts = (text.split(".") + ["0", "0"])[:2]
    try:
        return int(parts[0]), int(parts[1])
    except ValueError:
        return (0, 0)


def speed_up_pyshacl() -> bool:
    """Patch pySHACL's parameter list when its version is in TESTED; True if patched."""
    import pyshacl
    import pyshacl.shape as shape_module

    if not TESTED[0] <= _version(pyshacl.__version__) < TESTED[1]:
        return False
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    current = getattr(shape_module, "CONSTRAINT_PARAMS", (None, None))
    if not isinstance(current, tuple) or len(current) != 2:
        return False
    if not isinstance(current[0], _ListWithSetLookup):
        shape_module.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]
            _ListWithSetLookup(ALL_CONSTRAINT_PARAMETERS),
            CONSTRAINT_PARAMETERS_MAP,
        )
    return True
