"""Office pages of the seals app, one module per part: ``lifecycle`` (seals and applications) and
``sealing`` (盖章 and verification)."""
