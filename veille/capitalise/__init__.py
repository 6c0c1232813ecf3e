"""Capitalisation: the regulatory register, stakeholder reviews (and watch sheets, reports).

The work lives here as library functions; the catalogue pages and the CLI call them.
Every write records an audit row (``veille.store.audit``) in the same transaction.
"""
