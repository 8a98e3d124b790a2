"""Support for Zhengtong's own test suite."""
