"""Command line: parses and prints; the work lives in the library.

Each command group sits in a module named for the step it drives.
"""
from veille.cli.base import main
from veille.cli import collect, classify, alerts, catalogue, run, qualify, capitalise_reports, capitalise  # noqa: F401  (register commands)

__all__ = ["main"]
