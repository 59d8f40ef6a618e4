"""Time pages in this process against a kept archive, with their queries: the best and the
median of a few requests each, the page's size and each query's time (in the last
request). For finding what a slow page does.

    python benchmarks/page_queries.py /tmp/archive-site-XXXX / /people/ /timeline/
    python benchmarks/page_queries.py --database-url postgres://… /tmp/archive-XXXX /
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

from benchmarks import sandbox  # noqa: E402 - needs sys.path


def main(data_dir: Path, paths: list[str], tries: int = 5, database_url: str | None = None) -> None:
    sandbox.setup_django(data_dir, database_url=database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for path in paths:
        times = []
        for _ in range(tries):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - started)
        print(
            f"{path} {response.status_code}: best {min(times) * 1000:.1f} ms, "
            f"median {statistics.median(times) * 1000:.1f} ms, "
            f"{len(response.content) / 1024:.0f} KB, {len(queries)} queries"
        )
        for query in queries.captured_queries:
            print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:100]}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path, help="The archive's data folder.")
    parser.add_argument("paths", nargs="+", help="Pages to time, as /path/?query.")
    parser.add_argument("--tries", type=int, default=5, help="Requests per page; the best counts.")
    parser.add_argument("--database-url", help="The archive's database, if not its SQLite file.")
    args = parser.parse_args()
    main(args.archive, args.paths, args.tries, args.database_url)
