"""The kill test: an ingest killed with SIGKILL at random points, then recovered by the next
ingest or by `sync_index` (alternately); after each recovery the database and the search
index must hold the same articles, and `sync_index --check` must exit 0.

    python benchmarks/kill.py --points 20 --size 1000    # the figures in RESULTS.md (make kill)

Each kill point starts from a copy of one migrated, empty archive. Kill times are drawn
uniformly over the length of an uninterrupted ingest of the same corpus, so they land in
reading, storing (a transaction per batch of files), indexing and the end of the run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import sandbox  # noqa: E402 - needs BASE_DIR on sys.path

STATE_SCRIPT = """
import json
from articles.search.sync import indexed_versions
from articles.models import Article, IndexTask
stored = set(Article.objects.values_list("pk", flat=True))
indexed = set(indexed_versions())
print(json.dumps({
    "stored": len(stored),
    "indexed": len(indexed),
    "queued": IndexTask.objects.count(),
    "unindexed": len(stored - indexed),
    "orphaned": len(indexed - stored),
}))
"""


@dataclass
class KillPoint:
    """One kill and its recovery: what the archive held when killed and afterwards."""

    delay: float
    finished_before_kill: bool
    recovered_with: str
    at_kill: dict
    check_at_kill: int
    after_recovery: dict
    check_exit: int
    final: dict

    @property
    def ok(self) -> bool:
        after, final = self.after_recovery, self.final
        drifted = bool(self.at_kill.get("unindexed") or self.at_kill.get("orphaned"))
        return (
            self.check_exit == 0
            and (self.check_at_kill == 1 or not drifted)  # a monitor would have alarmed
            and after.get("unindexed", 0) == after.get("orphaned", 0) == 0
            and final["unindexed"] == final["orphaned"] == 0
        )


def archive_state(env: dict[str, str]) -> dict:
    """Stored articles, indexed documents, queued index tasks, and the differences."""
    result = sandbox.manage(env, "shell", "-c", STATE_SCRIPT, capture_output=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def migrated_template(folder: Path) -> None:
    """A migrated, empty archive in `folder` to copy for each kill point."""
    env = sandbox.archive_env(folder, settings="archive.settings")
    sandbox.manage(env, "migrate", "--noinput", "--verbosity", "0")


def timed_ingest(env: dict[str, str], corpus: Path) -> float:
    started = time.perf_counter()
    sandbox.manage(env, "ingest", str(corpus), stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def stored_count(data_dir: Path) -> int:
    try:
        with sqlite3.connect(data_dir / "archive.sqlite3", timeout=0.1) as connection:
            return connection.execute("SELECT COUNT(*) FROM articles_article").fetchone()[0]
    except sqlite3.OperationalError:  # locked by the writer just now
        return 0


def kill_ingest(env: dict[str, str], corpus: Path, delay: float | None) -> bool:
    """Start an ingest and SIGKILL it and its worker processes after `delay` seconds, or
    (None) as soon as its first articles are committed; True if it had finished by then."""
    process = subprocess.Popen(
        [sandbox.PYTHON, sandbox.MANAGE, "ingest", str(corpus)],
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the pool's workers die with it
    )
    data_dir = Path(env["ARCHIVE_DATA_DIR"])
    deadline = time.monotonic() + (delay if delay is not None else 600)
    while process.poll() is None and time.monotonic() < deadline:
        if delay is None and stored_count(data_dir):
            break
        time.sleep(0.02)
    if process.poll() is not None:
        return True
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return False


def kill_and_recover(
    template: Path,
    work: Path,
    corpus: Path,
    delay: float | None,
    recover_with: str,
    *,
    observe: bool = True,
) -> KillPoint:
    """Kill an ingest into a copy of `template` after `delay` s (None: once it has stored
    articles), recover with `recover_with`, and check; `observe` also records the state at
    the kill and after the recovery (two more processes)."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(template, work, symlinks=True)
    env = sandbox.archive_env(work, settings="archive.settings")
    finished = kill_ingest(env, corpus, delay)
    at_kill, check_at_kill = {}, None
    if observe:
        at_kill = archive_state(env)
        check_at_kill = check_exit(env)
    if recover_with == "ingest":
        sandbox.manage(env, "ingest", str(corpus), stdout=subprocess.DEVNULL)
    else:
        sandbox.manage(env, "sync_index", stdout=subprocess.DEVNULL)
    after = archive_state(env) if observe else {}
    checked = check_exit(env)
    # Then every file in: an ingest after a sync_index recovery must add the rest, indexed.
    if recover_with != "ingest":
        sandbox.manage(env, "ingest", str(corpus), stdout=subprocess.DEVNULL)
    final = archive_state(env)
    return KillPoint(
        delay if delay is not None else math.nan,
        finished,
        recover_with,
        at_kill,
        check_at_kill,
        after,
        checked,
        final,
    )


def check_exit(env: dict[str, str]) -> int:
    """The exit status of `sync_index --check`: 1 when the index differs from the database."""
    return sandbox.manage(env, "sync_index", "--check", check=False, capture_output=True).returncode


def run(points: int, size: int, seed: int, keep: bool) -> list[KillPoint]:
    from benchmarks.generate import write_corpus

    root = sandbox.fresh_data_dir("archive-kill-")
    try:
        corpus = write_corpus(root / "corpus", size)
        template = root / "template"
        template.mkdir()
        migrated_template(template)
        baseline = root / "baseline"
        shutil.copytree(template, baseline)
        length = timed_ingest(sandbox.archive_env(baseline, "archive.settings"), corpus)
        log(f"uninterrupted ingest of {size} captures: {length:.1f} s")
        rng = random.Random(seed)
        results = []
        for number in range(points):
            delay = rng.uniform(0.2, length * 1.05)
            recover_with = "ingest" if number % 2 == 0 else "sync_index"
            point = kill_and_recover(template, root / "point", corpus, delay, recover_with)
            results.append(point)
            log(
                f"kill {number + 1:2d} at {delay:5.1f} s: at kill {point.at_kill}, --check "
                f"exit {point.check_at_kill}; after {recover_with}: {point.after_recovery}, "
                f"--check exit {point.check_exit}; final {point.final}"
                f"{'' if point.ok else '  FAILED'}"
            )
        return results
    finally:
        if not keep:
            sandbox.remove(root)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=20, help="Kill points to try.")
    parser.add_argument("--size", type=int, default=1000, help="Captures in the corpus.")
    parser.add_argument("--seed", type=int, default=9, help="Seed for the kill times.")
    parser.add_argument("--keep", action="store_true", help="Keep the data folder.")
    parser.add_argument("--json", type=Path, help="Also write the results here as JSON.")
    args = parser.parse_args(argv)
    results = run(args.points, args.size, args.seed, args.keep)
    between = sum(1 for p in results if p.at_kill["unindexed"])
    missing = sum(p.after_recovery["unindexed"] for p in results)
    print(
        f"{len(results)} kill points, {between} of them with committed articles not yet "
        f"indexed at the kill (--check exit 1 at all of those: "
        f"{all(p.check_at_kill == 1 for p in results if p.at_kill['unindexed'])}); "
        f"after recovery: {missing} articles missing from the index, "
        f"{sum(1 for p in results if p.check_exit)} `sync_index --check` failures, "
        f"{sum(1 for p in results if not p.ok)} points failed."
    )
    if args.json:
        args.json.write_text(json.dumps([asdict(p) for p in results], indent=1))
    if not all(p.ok for p in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
