"""``python -m dashboard.lab …`` (the same commands as ``python -m dashboard lab …``)."""

import sys

from dashboard.lab.cli import main

if __name__ == "__main__":
    sys.exit(main())
