"""The README tells the truth about the CLI and the quick start."""

from __future__ import annotations

import re

import click
from conftest import ROOT

from gdp_rdf.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    context = click.Context(group)
    for name in group.list_commands(context):  # commands load lazily: ask the group for each
        command = group.get_command(context, name)
        assert command is not None, name
        found[prefix + name] = command
        if isinstance(command, click.Group):
            found |= commands(command, f"{prefix}{name} ")
    return found


def test_every_command_has_help_and_is_in_the_readme() -> None:
    for name, command in commands(cli).items():
        assert command.help and command.help.strip(), f"gdp-rdf {name} has no help text"
        assert f"gdp-rdf {name}" in README, f"gdp-rdf {name} is not in the README"


def test_quick_start_is_two_commands() -> None:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    lines = [line for line in block.strip().splitlines() if line.strip()]
    assert len(lines) == 2
    assert "gdp-rdf build" in lines[0] and "pip install -e ." in lines[0]
    assert "pytest" in lines[1] and ".[test]" in lines[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1] in ci, ".ci/run must run the README's test command"


def test_no_command_function_shadows_a_builtin() -> None:
    import builtins

    for command in commands(cli).values():
        assert command.callback is not None
        assert not hasattr(builtins, command.callback.__name__)
        assert not re.fullmatch(r"(list|open|id|type|format|filter)", command.callback.__name__)
