"""State-changing services of the exchange app: one module per part (sending, receiving, printing, windows)."""
