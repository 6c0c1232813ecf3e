"""Offline demo: bundled feeds and pages served on loopback for `veille demo`."""
