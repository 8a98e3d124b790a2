"""Bulk import and export of people from and to Excel sheets."""
