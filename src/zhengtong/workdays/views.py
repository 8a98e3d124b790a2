"""Views of the workdays app."""
