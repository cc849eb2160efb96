"""Allow ``python -m beacon_safety``."""

import sys

from beacon_safety.cli import main

sys.exit(main())
