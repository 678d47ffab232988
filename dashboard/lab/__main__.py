"""``python -m dashboard.lab …`` (the same commands as ``python -m dashboard lab …``)."""

import sys

from dashboard.cli import main

if __name__ == "__main__":
    sys.exit(main(["lab", *sys.argv[1:]]))
