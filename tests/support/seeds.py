"""Where the source documents (seeds) are, for the tests that check citations against them.

They are not part of the project: FUPIN_SEEDS_DIR points at them, else `shared/seeds` beside the
checkout; the tests that need them are skipped where they are absent."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEEDS_DIR = Path(os.environ.get("FUPIN_SEEDS_DIR") or REPO.parent / "shared" / "seeds")
