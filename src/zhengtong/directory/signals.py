"""Signals other apps listen to when a unit's life ends.

``unit_dissolved`` is sent once the transaction that ended a unit has committed, for a dissolved
unit (seed 001 第九条(二): 注销) and for every unit merged into another (第九条(三)). Receivers get
keyword arguments:

* ``unit`` — the ended :class:`~zhengtong.directory.models.Unit` (status ``dissolved`` or ``merged``);
* ``successor`` — the unit that continues its work, or ``None`` when it was dissolved;
* ``reason`` — ``"dissolved"`` or ``"merged"``;
* ``actor`` — the platform operator who ended it.

The seals app revokes the unit's electronic seals here (注销该单位电子印章); the exchange app may
hand its open documents to the successor. A receiver runs after commit, so it must open its own
transaction and call its own audited services.
"""

from django.dispatch import Signal

unit_dissolved = Signal()
