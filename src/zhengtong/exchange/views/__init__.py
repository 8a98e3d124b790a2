"""Views of the exchange app: one module per part (core here; printing and reporting have their own)."""
