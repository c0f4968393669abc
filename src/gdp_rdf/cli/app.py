"""The `gdp-rdf` command group and the one place errors become exit codes.

The exit-code contract, for every command: 0 success; 1 bad input or a failed check (one
line on stderr, no traceback); 2 a usage error (click's, every bad option value included);
130 on Ctrl-C (one line); 0, quietly, when whoever reads stdout stops early (`| head`).
Commands are imported only when they run, so `gdp-rdf query` never loads the build's
rdflib and pySHACL nor the server's Starlette.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from typing import Any

import click

from gdp_rdf import __version__
from gdp_rdf.errors import GdpRdfError

INTERRUPTED = 130  # 128 + SIGINT, the shell's convention

# command name -> "module:attribute"; `gdp-rdf --help` imports them all, a command only its own
COMMANDS = {
    "build": "gdp_rdf.cli.build_command:build_command",
    "check": "gdp_rdf.cli.check_command:check_command",
    "diff": "gdp_rdf.cli.diff_command:diff_command",
    "facts": "gdp_rdf.cli.facts_command:facts_command",
    "link": "gdp_rdf.cli.link_command:link_group",
    "publish": "gdp_rdf.cli.query_command:publish_command",
    "queries": "gdp_rdf.cli.query_command:list_queries",
    "query": "gdp_rdf.cli.query_command:query_command",
    "serve": "gdp_rdf.cli.serve_command:serve_command",
    "validate": "gdp_rdf.cli.build_command:validate_command",
}


def _quiet_stdout() -> None:
    """The reader of stdout has gone: send what is left nowhere, so exit cannot fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


class _Group(click.Group):
    """Loads commands on demand and applies the exit-code contract."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, _, attribute = COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows up here, not at interpreter exit
            return result
        except GdpRdfError as error:
            raise click.ClickException(str(error)) from None
        except BrokenPipeError:
            _quiet_stdout()
            raise click.exceptions.Exit(0) from None
        except OSError as error:
            if error.filename is None:
                raise  # not about a file the user named: a bug to see whole
            # a path the system refuses before any command could check it (a name over
            # NAME_MAX, a loop of links): one line naming it, as for every bad input
            from gdp_rdf.cli.options import os_error_line

            raise click.ClickException(os_error_line(error)) from None
        except (KeyboardInterrupt, click.Abort):
            click.echo("\ngdp-rdf: interrupted", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gdp-rdf")
def cli() -> None:
    """Publish Global Detention Project country profiles as a linked-data knowledge graph.

    Exit codes: 0 success, 1 bad input or a failed check, 2 usage error, 130 interrupted.

    \b
    Shell completion (bash; zsh_source or fish_source for those shells):
      eval "$(_GDP_RDF_COMPLETE=bash_source gdp-rdf)"
    """


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="gdp-rdf")
