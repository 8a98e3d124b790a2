"""Demo data for website review: chains, forbidden words, articles at every stage (stub)."""

from __future__ import annotations


def load_demo(*, result, stdout) -> None:
    from zhengtong.webreview import services

    done = services.ensure_default_chains()
    stdout(f"webreview: {done['chains']} review chains, {done['assigned']} columns assigned")
