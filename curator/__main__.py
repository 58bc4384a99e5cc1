"""`python -m curator` runs the same entry point as the `curator` script."""

import sys

from curator.cli import main

sys.exit(main())
