"""The CLI reference (docs/cli.md) generated from the commands' own --help text.

`python -m veille.cli.reference > docs/cli.md` rewrites it; tests/test_docs.py fails when
the committed file and the commands disagree.
"""
from __future__ import annotations

import click

from veille.cli import main


def _walk(cmd: click.Command, path: list[str]):
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.list_commands(click.Context(cmd))):
            yield from _walk(cmd.get_command(click.Context(cmd), name), [*path, name])


def reference() -> str:
    out = ["# CLI reference", "",
           "Generated from each command's `--help` (`python -m veille.cli.reference > docs/cli.md`).",
           ""]
    for path, cmd in _walk(main, ["veille"]):
        ctx = click.Context(cmd, info_name=" ".join(path), terminal_width=100,
                            max_content_width=100)
        out += [f"## {' '.join(path)}", "", "```text", cmd.get_help(ctx).rstrip(), "```", ""]
    return "\n".join(out)


def commands() -> list[str]:
    return [" ".join(p) for p, _ in _walk(main, ["veille"])]


if __name__ == "__main__":
    print(reference(), end="")
