"""Commands: collect."""
from veille.cli.base import main, pass_context  # noqa: F401
