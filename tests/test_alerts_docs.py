"""Every alert command and option is in docs/alerts.md."""
from __future__ import annotations

from pathlib import Path

import click

from veille.cli import main

DOC = (Path(__file__).resolve().parents[1] / "docs" / "alerts.md").read_text(encoding="utf-8")


def commands():
    ctx = click.Context(main)
    for name in ("rules", "subscribers", "alerts"):
        group = main.get_command(ctx, name)
        for sub in group.list_commands(ctx):
            yield f"{name} {sub}", group.get_command(ctx, sub)
    yield "digest", main.get_command(ctx, "digest")


def test_each_alert_command_and_option_is_documented():
    missing = []
    for name, command in commands():
        if name.split()[-1] not in DOC or name.split()[0] not in DOC:
            missing.append(name)
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in DOC:
                    missing.append(f"{name} {opt}")
    assert missing == []
