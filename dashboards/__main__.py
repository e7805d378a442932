"""python3 -m dashboards [--results STORE] [--out DIR]: write the static site.

STORE is a SQLite file or postgresql://... (farm/results.py); without
--results, $FARM_RESULTS when set (so `make dashboard` can read a shared
store), else build/results.db."""

import argparse
import sys
from pathlib import Path

from farm.errors import FarmError
from farm.results import default_store

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m dashboards",
                                 description="write the farm's dashboard (static HTML + SVG)")
    ap.add_argument("--results", default=default_store(),
                    help="results store: a SQLite file or postgresql://... "
                         "(default $FARM_RESULTS, else build/results.db)")
    ap.add_argument("--out", default=str(ROOT / "build" / "dashboard"),
                    help="output directory (default build/dashboard)")
    ap.add_argument("--repo", default=str(ROOT),
                    help="git repository for commit subjects and dates (default: this one)")
    args = ap.parse_args(argv)
    from dashboards.render import generate
    try:
        index = generate(args.results, args.out, args.repo)
    except FarmError as e:
        print(f"dashboards: {e}", file=sys.stderr)
        return 1
    print(f"dashboards: wrote {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
