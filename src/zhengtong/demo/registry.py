"""Demo content that other apps add after the demo district is loaded.

An app registers a loader in its ``AppConfig.ready()``; ``zhengtong demo`` calls every loader in
order, after the units and people exist. A loader takes keyword arguments ``result`` (the
:class:`~zhengtong.demo.services.DemoResult`) and ``stdout`` (a function printing one line) and
returns nothing; it must be repeatable from an empty database with the same seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLoader:
    key: str
    load: Callable[..., None]
    order: int = 100


_loaders: dict[str, DemoLoader] = {}


def register_demo_loader(key: str, load: Callable[..., None], *, order: int = 100) -> None:
    _loaders[key] = DemoLoader(key=key, load=load, order=order)


def demo_loaders() -> list[DemoLoader]:
    return sorted(_loaders.values(), key=lambda loader: loader.order)
