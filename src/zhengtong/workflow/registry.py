"""The processes the platform ships (默认流程) and the rules other apps declare for each process key.

``register_default_process`` is called from ``actions.register_audit_actions`` (AppConfig.ready); the
files are synced to ``ProcessDefinition(unit=None)`` lazily, the first time a process of that key is
needed, with a new version whenever the file changed (``sync_default``).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction

PROCESSES_DIR = Path(__file__).resolve().parent / "processes"


@dataclass(frozen=True)
class ProcessType:
    """What the platform knows about a process key, whoever's definition runs it."""

    key: str
    name: str
    path: Path
    required_steps: tuple[str, ...] = ()
    # Data every instance starts with (so gateway conditions never meet a missing variable).
    initial_data: dict = field(default_factory=dict)
    # Steps offered to the person who started the instance (起草, 登记).
    starter_steps: tuple[str, ...] = ()
    # step -> data variable holding the id of the department whose lane-role holders are offered it.
    department_from: dict = field(default_factory=dict)
    # step -> earlier step: offered to whoever completed that earlier step (办结 by the 承办人).
    performer_of: dict = field(default_factory=dict)
    # step -> data variable holding its due date (ISO date or date-time).
    due_from: dict = field(default_factory=dict)

    def read(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


_types: dict[str, ProcessType] = {}
_synced: dict[str, str] = {}  # key -> checksum known to be stored in this process
_lock = threading.Lock()


def register_default_process(key: str, name: str, path, *, required_steps=(), initial_data=None,
                             starter_steps=(), department_from=None, performer_of=None, due_from=None) -> None:
    """Declare a shipped BPMN file for ``key`` and the steps any unit's version must keep."""
    path = Path(path)
    if not path.is_absolute():
        path = PROCESSES_DIR / path
    _types[key] = ProcessType(key=key, name=name, path=path, required_steps=tuple(required_steps),
                              initial_data=dict(initial_data or {}), starter_steps=tuple(starter_steps),
                              department_from=dict(department_from or {}), performer_of=dict(performer_of or {}),
                              due_from=dict(due_from or {}))
    _synced.pop(key, None)


def process_type(key: str) -> ProcessType | None:
    return _types.get(key)


def process_types() -> list[ProcessType]:
    return list(_types.values())


def required_steps(key: str) -> tuple[str, ...]:
    found = _types.get(key)
    return found.required_steps if found else ()


def sync_default(key: str):
    """The current shipped ``ProcessDefinition`` of ``key``, stored anew when its file changed."""
    from zhengtong.workflow.models import ProcessDefinition

    ptype = _types.get(key)
    if ptype is None:
        return ProcessDefinition.objects.filter(key=key, unit__isnull=True, is_current=True).first()
    checksum = ptype.checksum()
    current = ProcessDefinition.objects.filter(key=key, unit__isnull=True, is_current=True).first()
    if current is not None and current.checksum == checksum:
        return current
    from zhengtong.workflow import engine

    xml = ptype.read()
    parsed = engine.parse(xml, required_steps=ptype.required_steps)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = (ProcessDefinition.objects.select_for_update().filter(key=key, unit__isnull=True)
                          .order_by("-version").first())
                if latest is not None and latest.checksum == checksum:
                    if not latest.is_current:
                        ProcessDefinition.objects.filter(key=key, unit__isnull=True).update(is_current=False)
                        latest.is_current = True
                        latest.save(update_fields=["is_current"])
                    return latest
                ProcessDefinition.objects.filter(key=key, unit__isnull=True).update(is_current=False)
                return ProcessDefinition.objects.create(
                    key=key, name=ptype.name, unit=None, version=(latest.version + 1) if latest else 1,
                    bpmn_xml=xml, process_id=parsed.process_id, is_current=True, checksum=checksum)
        except IntegrityError:  # another process stored the same version first
            continue
    return ProcessDefinition.objects.get(key=key, unit__isnull=True, is_current=True)


def sync_defaults() -> list:
    """Store every shipped process that changed (also run by ``refresh_timers``)."""
    return [sync_default(ptype.key) for ptype in process_types()]
