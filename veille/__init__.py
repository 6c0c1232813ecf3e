"""veille: technology and regulatory watch for industrial engineering teams.

The watch cycle, one module or subpackage per step:
sources (the plan) -> collect (fetch, parse) -> normalise -> ingest (dedupe, classify,
store, match alert rules) -> alerts and digests -> catalogue.
"""

__version__ = "0.1.0"
