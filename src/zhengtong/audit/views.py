"""Views of the audit app."""
