"""`python -m curator` runs the same entry point as the `curator` script."""

import sys

from curator.launch import main

sys.exit(main())
