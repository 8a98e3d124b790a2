"""Zhengtong (政通): an e-government collaborative office platform."""

__version__ = "0.1.0"
