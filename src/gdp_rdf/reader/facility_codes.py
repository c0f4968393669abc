"""The facility code lists: data/codelists/facility-fields.csv and facility-codes.csv."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from gdp_rdf.errors import ResourceError
from gdp_rdf.reader.codelists import ValueType, normalise_label
from gdp_rdf.resources import codelist_path, read_table


@dataclass(frozen=True, slots=True)
class FacilityField:
    """A field of the facility pages: its code, printed labels and the key of its main value."""

    code: str
    labels: tuple[str, ...]
    value_type: ValueType
    main_keys: tuple[str, ...]  # keys that print the field's main value ("Name", "Status")
    definition: str


@dataclass(frozen=True)
class FacilityCodes:
    """Facility fields by printed label, and coded values by printed label."""

    fields: tuple[FacilityField, ...]
    concepts: tuple[tuple[str, str, str], ...]  # (scheme, code, label)

    def field_for_label(self, label: str) -> FacilityField | None:
        """The field printed with this label ("Center Status", "Type"), or None."""
        key = normalise_label(label)
        return next((f for f in self.fields if key in map(normalise_label, f.labels)), None)

    def field(self, code: str) -> FacilityField:
        """The field with this code.

        Raises:
            KeyError: no such field.
        """
        return next(f for f in self.fields if f.code == code)

    def concept_for(self, scheme: str, text: str) -> str | None:
        """ "<scheme>/<code>" for a value printed in a coded field, or None when not listed."""
        key = normalise_label(text)
        for concept_scheme, code, label in self.concepts:
            if concept_scheme == scheme and normalise_label(label) == key:
                return f"{scheme}/{code}"
        return None


@cache
def load_facility_codes() -> FacilityCodes:
    """Read the facility code lists once per process.

    Raises:
        ResourceError: a file is missing or malformed.
    """
    try:
        fields = tuple(
            FacilityField(
                code=r["code"],
                labels=tuple(p.strip() for p in r["labels"].split("|") if p.strip()),
                value_type=ValueType(r["value_type"]),
                main_keys=tuple(p.strip() for p in r["main_key"].split("|") if p.strip()),
                definition=r["definition"],
            )
            for r in read_table(codelist_path("facility-fields.csv"))
        )
        concepts = tuple(
            (r["scheme"], r["code"], r["label"])
            for r in read_table(codelist_path("facility-codes.csv"))
        )
    except (KeyError, ValueError) as error:
        raise ResourceError(f"malformed facility code list: {error}", "data/codelists") from error
    return FacilityCodes(fields, concepts)
