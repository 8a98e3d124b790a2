"""`python -m zhengtong`: the same as the `zhengtong` command."""

import sys

from zhengtong.cli import main

if __name__ == "__main__":
    sys.exit(main())
