"""Saved page files -> text, with one clear error for each way a file can be unreadable."""

from __future__ import annotations

from pathlib import Path

from gdp_rdf.errors import ParseError


def read_text(path: Path) -> str:
    """The text of one saved page file.

    Raises:
        ParseError: the file is missing, unreadable, binary, not UTF-8 or empty.
    """
    where = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParseError("no such file", where) from None
    except IsADirectoryError:
        raise ParseError("is a directory, not a profile file", where) from None
    except OSError as error:
        raise ParseError(f"cannot read file: {error.strerror or error}", where) from None
    if not data.strip():
        raise ParseError("empty file", where)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ParseError("binary data (NUL byte), not profile text", where, line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        bad = data[error.start : error.start + 1].hex()
        raise ParseError(
            f"not UTF-8 text (byte 0x{bad}); save the page as UTF-8", where, line
        ) from None
