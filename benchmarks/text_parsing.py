"""How fast plain-text captures are parsed: `parse_capture` over generated captures
(benchmarks/generate.py), in CPU time (`process_time`), so that other work on a shared
machine does not move the figure much. The first captures are parsed first, untimed, to
load the tables (month names, patterns).

    python benchmarks/text_parsing.py [--size 1000] [--warm 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from articles.ingest import parse_capture  # noqa: E402 - needs sys.path
from benchmarks.generate import CorpusWriter  # noqa: E402


def captures_per_second(captures: list[bytes]) -> float:
    """Captures parsed per second of this process's CPU time."""
    started = time.process_time()
    for number, data in enumerate(captures):
        parse_capture(data, f"bench_{number:07d}.txt")
    return len(captures) / (time.process_time() - started)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="Captures to generate.")
    parser.add_argument("--warm", type=int, default=50, help="Parsed first, not timed.")
    parser.add_argument("--repeat", type=int, default=3, help="Timed passes (median printed).")
    args = parser.parse_args(argv)
    writer = CorpusWriter()
    captures = [writer.capture(number).encode() for number in range(args.size)]
    warm, timed = captures[: args.warm], captures[args.warm :]
    captures_per_second(warm)
    rates = [captures_per_second(timed) for _ in range(args.repeat)]
    shown = ", ".join(f"{rate:,.0f}" for rate in rates)
    print(
        f"text parsing: {statistics.median(rates):,.0f} captures/s of CPU "
        f"(median of {len(rates)} passes over {len(timed)} generated captures: {shown})"
    )


if __name__ == "__main__":
    main()
