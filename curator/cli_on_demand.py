"""The commands of ``curator``, each built (and its module imported) when the parse reaches it.

The full parser holds some forty commands and subcommands with their help
texts, and importing the modules that add them loads core modules most
commands never use: together about 15 ms of every start, for one command
run. With :func:`attach`, the top-level parser knows every command's name
and summary (all that ``curator --help`` and an unknown command's message
show), and a command's parser is built the first time argparse looks it up,
which it does once the arguments name it. argparse itself still reads the
arguments, so the options before the command, abbreviations, ``--help``
and every error behave exactly as with the full parser; the tests compare
the help of every command and the usual errors byte for byte.

A group is the set of commands one function adds (``suggest`` and ``train``
together): looking up one builds the group, and every command of it gets the
same descriptions, examples and global options as in the full parser
(:func:`curator.cli_help.decorate_command`).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from curator import cli_help

Adder = Callable[[Any], None]
"""A function adding its commands to a subparsers action (``sub.add_parser(...)``)."""

Group = tuple[tuple[str, ...], str]
"""The names of the commands a function adds, and that function as ``module:name``."""


def adder(where: str) -> Adder:
    """The function ``module:name`` names, importing its module now."""
    module, _, name = where.partition(":")
    found: Adder = getattr(importlib.import_module(module), name)
    return found


class Commands(Mapping[str, argparse.ArgumentParser]):
    """A subparsers action's name -> parser map whose parsers are built on first lookup.

    Membership, order and length come from the groups without building
    anything; a lookup (or a walk of the values) builds the group of the
    command asked for.
    """

    def __init__(self, action: argparse._SubParsersAction[Any], groups: Sequence[Group]) -> None:
        self._action = action
        self._where = {name: where for names, where in groups for name in names}
        self._names = {name: names for names, _ in groups for name in names}
        self._built: dict[str, argparse.ArgumentParser] = {}

    def _build(self, name: str) -> None:
        # The group's function adds to a scratch action of the same prefix, so
        # the parsers' "prog" (usage lines, error messages) is the full parser's.
        scratch: argparse._SubParsersAction[Any] = argparse._SubParsersAction(
            option_strings=[],
            prog=self._action._prog_prefix,
            parser_class=self._action._parser_class,
        )
        adder(self._where[name])(scratch)
        made = dict(scratch._name_parser_map)
        if tuple(made) != self._names[name]:
            raise RuntimeError(f"{self._where[name]} added {tuple(made)}, not {self._names[name]}")
        for command, parser in made.items():
            cli_help.decorate_command(command, parser)
        self._built.update(made)

    def __getitem__(self, name: str) -> argparse.ArgumentParser:
        if name not in self._where:
            raise KeyError(name)
        if name not in self._built:
            self._build(name)
        return self._built[name]

    def __contains__(self, name: object) -> bool:
        return name in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def built(self) -> list[str]:
        """The commands built so far (for the tests)."""
        return list(self._built)


def attach(sub: argparse._SubParsersAction[Any], groups: Sequence[Group]) -> Commands:
    """Give *sub* every command of *groups*, unbuilt, with its ``curator --help`` line.

    The lines are what :func:`curator.cli_help.decorate` gives the full
    parser's: the command's summary from ``cli_help.COMMANDS``.
    """
    commands = Commands(sub, groups)
    sub._name_parser_map = commands  # type: ignore[assignment]
    sub.choices = commands  # type: ignore[assignment]
    for name in commands:
        summary = cli_help.COMMANDS[name].summary.rstrip(".")
        sub._choices_actions.append(sub._ChoicesPseudoAction(name, (), summary))
    return commands
