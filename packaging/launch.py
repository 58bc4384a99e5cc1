"""The desktop build's entry point: the same ``curator`` command, the app when run bare."""

import sys

from curator.launch import main

if __name__ == "__main__":
    sys.exit(main())
