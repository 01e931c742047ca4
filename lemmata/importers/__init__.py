"""importers stage."""
