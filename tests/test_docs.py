"""Docs that the tests enforce: the README's commands, the CLI reference, the settings."""
from __future__ import annotations

import re
from pathlib import Path

from veille.cli.reference import commands, reference

ROOT = Path(__file__).resolve().parents[1]

# Commands other tools rely on (docs/ARCHITECTURE.md, command-line contract).
CONTRACT = ["veille init", "veille crawl", "veille classify", "veille evaluate", "veille train",
            "veille references", "veille rules add", "veille rules list", "veille rules pause",
            "veille rules resume", "veille rules remove", "veille alerts send", "veille digest",
            "veille serve", "veille up", "veille demo", "veille users add",
            "veille sources import-opml"]


def _readme_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)


def test_ci_runs_exactly_the_readme_test_command():
    test_command = _readme_blocks()[1].strip()
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1].strip() == test_command


def test_readme_first_command_runs_the_demo():
    assert "veille demo" in _readme_blocks()[0]


def test_every_contract_command_exists():
    missing = sorted(set(CONTRACT) - set(commands()))
    assert not missing, f"commands in the contract but not in the CLI: {missing}"


def test_cli_reference_is_up_to_date():
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == reference(), "run: python -m veille.cli.reference > docs/cli.md"


def test_every_setting_is_documented():
    config = (ROOT / "veille" / "config.py").read_text()
    names = set(re.findall(r'"(VEILLE_[A-Z_]+)"', config))
    doc = (ROOT / "docs" / "configuration.md").read_text()
    undocumented = sorted(n for n in names if n not in doc)
    assert names and not undocumented, undocumented
