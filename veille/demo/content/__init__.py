"""Demo content files (YAML), a package so that they ship with the wheel."""
