"""python3 -m dashboards [--results STORE] [--out DIR]: write the static site."""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m dashboards",
                                 description="write the farm's dashboard (static HTML + SVG)")
    ap.add_argument("--results", default=str(ROOT / "build" / "results.db"),
                    help="results store (default build/results.db)")
    ap.add_argument("--out", default=str(ROOT / "build" / "dashboard"),
                    help="output directory (default build/dashboard)")
    ap.add_argument("--repo", default=str(ROOT),
                    help="git repository for commit subjects and dates (default: this one)")
    args = ap.parse_args(argv)
    if not Path(args.results).exists():
        print(f"dashboards: no results store at {args.results}: run `make farm` first",
              file=sys.stderr)
        return 1
    from dashboards.render import generate
    index = generate(args.results, args.out, args.repo)
    print(f"dashboards: wrote {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
