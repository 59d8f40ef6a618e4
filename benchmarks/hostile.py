"""The hostile queries of the mix (queries.HOSTILE_MIX), each timed through the search page
on an archive kept by `run.py --keep`: its median and slowest time and the status it answered.

    python benchmarks/hostile.py /tmp/archive-bench-XXXX [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import run, sandbox  # noqa: E402 - needs sys.path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="An archive kept by run.py --keep.")
    parser.add_argument("--runs", type=int, default=3, help="Timed passes over each query.")
    args = parser.parse_args(argv)
    sandbox.setup_django(args.data_dir)
    from articles.models import Article

    print(f"{Article.objects.count():,} articles; {args.runs} passes per query\n")
    print("| query | median ms | slowest ms | status |\n|---|---|---|---|")
    for q, case in run.measure_hostile(args.runs).items():
        shown = q if len(q) <= 60 else f"{q[:57]}…"
        print(
            f"| `{shown}` | {run.ms(case['median'])} | {run.ms(case['max'])} "
            f"| {', '.join(map(str, case['status']))} |"
        )


if __name__ == "__main__":
    main()
