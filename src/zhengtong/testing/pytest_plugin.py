"""Loaded with ``-p`` before pytest-django imports the settings, so tests never touch ./data.

Each test process (each xdist worker too) gets its own temporary data directory, which holds the
SQLite test database, the generated keys and stored files; background tasks run inline.
"""

import os
import tempfile

os.environ["ZHENGTONG_DATA_DIR"] = os.environ.get("ZHENGTONG_TEST_DATA_DIR") or tempfile.mkdtemp(prefix="zt-test-")
os.environ["ZHENGTONG_HUEY_IMMEDIATE"] = "1"
os.environ.pop("ZHENGTONG_REDIS_URL", None)
