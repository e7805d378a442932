"""What tests/boot and tests/expect share: paths and the rule for unbuilt targets."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "build" / "results"
LOGS = ROOT / "build" / "logs"


def require_built(target):
    missing = [p for p in (target.image, target.initrd) if not p.exists()]
    if missing:
        pytest.skip(f"{missing[0]} not built: run `make boot-deps`")

