"""theme stage."""
