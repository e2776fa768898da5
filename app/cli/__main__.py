"""`python -m app.cli`: run the command line."""

import sys

from app.cli import main

sys.exit(main())
