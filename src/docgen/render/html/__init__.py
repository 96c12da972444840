"""The web notice."""
