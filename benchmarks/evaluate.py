"""How well the ingester reads real pages: the development set's text captures and saved
HTML pages through a real ingest and export in a throw-away archive, scored by the rules of
the development set's score.py, beside trafilatura alone on the same HTML in the same run.

    python benchmarks/evaluate.py [--misses] [--by-language] [--only text|html|trafilatura]
    python benchmarks/evaluate.py --parse-only   # parse_capture alone, no database: quick

Without the development set (../shared/devset, or --devset) it says so and exits 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks import sandbox  # noqa: E402 - needs sys.path

DEVSET = BASE_DIR.parent / "shared" / "devset"
FIELDS = ("title", "date", "author", "body")
READINGS = {
    "text": ("text captures, this archive", "text"),
    "html": ("saved HTML, this archive", "html"),
}


@dataclass
class Score:
    """Counts by score.py's rules, and each miss for --misses."""

    label: str
    pages: int = 0
    with_author: int = 0
    loaded: int = 0
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    wrong_dates: int = 0
    misses: list[str] = field(default_factory=list)
    seconds: float | None = None

    def row(self) -> str:
        h = self.hits
        return (
            f"| {self.label} | {h['title']} / {self.pages} | {h['date']} / {self.pages} "
            f"({self.wrong_dates}) | {h['author']} / {self.with_author} | "
            f"{h['body']} / {self.pages} |"
        )

    def summary(self) -> str:
        """The line score.py prints, to check the two agree."""
        h = self.hits
        return (
            f"loaded {self.loaded}/{self.pages}; title {h['title']}/{self.pages}, date "
            f"{h['date']}/{self.pages} ({self.wrong_dates} wrong), author "
            f"{h['author']}/{self.with_author}, body {h['body']}/{self.pages}"
        )


def load_scorer(devset: Path) -> ModuleType:
    """The development set's own score.py, so its normalisation is the one used here."""
    spec = importlib.util.spec_from_file_location("devset_score", devset / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(label: str, gold: dict[str, dict], records: dict[str, dict], scorer: ModuleType) -> Score:
    """score.py's rules over records keyed by file stem (title, published, byline, body)."""
    norm = scorer.norm
    result = Score(label, pages=len(gold), with_author=sum(1 for g in gold.values() if g["author"]))
    for stem, g in sorted(gold.items()):
        record = records.get(stem)
        if record is None:
            result.misses.append(f"{stem}: not loaded")
            continue
        result.loaded += 1
        first = g["author"].split(";")[0] if g["author"] else ""
        body = norm(record.get("body"))
        ok = {
            "title": norm(record.get("title")) == norm(g["title"]),
            "date": (record.get("published") or "") == g["date"],
            "author": bool(first) and norm(first) in norm(record.get("byline")),
            "body": all(norm(x) in body for x in g["with"])
            and not any(norm(x) in body for x in g["without"]),
        }
        for name, hit in ok.items():
            result.hits[name] += hit
        result.wrong_dates += bool(record.get("published")) and not ok["date"]
        for name, hit in ok.items():
            if hit or (name == "author" and not first):
                continue
            got = {
                "title": record.get("title"),
                "date": record.get("published"),
                "author": record.get("byline"),
                "body": _body_miss(g, body, norm),
            }[name]
            want = {"title": g["title"], "date": g["date"], "author": g["author"]}.get(name, "")
            result.misses.append(
                f"{stem} [{g.get('lang_guess', '?')}]: {name}: got {got!r}, gold {want!r}"
            )
    return result


def _body_miss(gold: dict, body: str, norm: Callable[[str], str]) -> str:
    missing = [x for x in gold["with"] if norm(x) not in body]
    kept = [x for x in gold["without"] if norm(x) in body]
    return f"missing {missing}, should not have {kept}"


def by_language(gold: dict[str, dict]) -> dict[str, dict[str, dict]]:
    parts: dict[str, dict[str, dict]] = {}
    for stem, g in gold.items():
        parts.setdefault(g.get("lang_guess", "?"), {})[stem] = g
    return dict(sorted(parts.items(), key=lambda item: -len(item[1])))


# -- Readings -------------------------------------------------------------------------------


def ingest_and_export(folder: Path) -> tuple[str, float]:
    """A real ingest of `folder` into a fresh archive; its JSON-lines export and the
    seconds the ingest took."""
    data_dir = sandbox.fresh_data_dir("archive-eval-")
    env = sandbox.archive_env(data_dir)
    try:
        sandbox.manage(env, "migrate", "--noinput", "--verbosity", "0")
        sandbox.manage(env, "analyse_articles", "--catalogue-only", "--verbosity", "0")
        started = time.perf_counter()
        # A page that cannot be read is a miss, not a reason to stop: check=False.
        sandbox.ingest_quietly(env, folder)
        seconds = time.perf_counter() - started
        exported = sandbox.manage(env, "export_articles", capture_output=True).stdout
    finally:
        sandbox.remove(data_dir)
    return exported, seconds


def read_export(exported: str) -> dict[str, dict]:
    """Exported articles by the stem of the file each was read from, as score.py matches."""
    records = {}
    for line in exported.splitlines():
        if line.strip():
            record = json.loads(line)
            records[Path(record.get("origin") or "").stem] = record
    return records


def score_py_says(devset: Path, exported: str) -> str:
    """The development set's score.py on the export, to check our scoring agrees."""
    folder = sandbox.fresh_data_dir("archive-eval-export-")
    try:
        export_path = folder / "export.jsonl"
        export_path.write_text(exported, encoding="utf-8")
        command = [
            sandbox.PYTHON,
            str(devset / "score.py"),
            str(devset / "extraction" / "gold.json"),
            str(export_path),
        ]
        return subprocess.run(command, capture_output=True, text=True).stdout.strip()
    finally:
        sandbox.remove(folder)


def parse_only(folder: Path) -> tuple[dict[str, dict], float, list[float]]:
    """parse_capture on each file, no database: for quick iteration on the rules."""
    from articles.ingest import IngestError, parse_capture

    records: dict[str, dict] = {}
    times: list[float] = []
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        started = time.perf_counter()
        try:
            parsed = parse_capture(data, path.name)
        except IngestError:
            continue
        finally:
            times.append(time.perf_counter() - started)
        records[path.stem] = {
            "title": parsed.title,
            "published": parsed.published_date.isoformat() if parsed.published_date else None,
            "byline": parsed.byline,
            "body": parsed.body,
        }
    return records, sum(times), times


def trafilatura_alone(folder: Path) -> tuple[dict[str, dict], float]:
    """trafilatura's own reading of each saved page, with its default settings."""
    import trafilatura

    records: dict[str, dict] = {}
    started = time.perf_counter()
    for path in sorted(folder.iterdir()):
        # Bytes, so that trafilatura finds the page's encoding itself.
        document = trafilatura.bare_extraction(path.read_bytes(), with_metadata=True)
        if document is None:
            continue
        records[path.stem] = {
            "title": document.title,
            "published": document.date,
            "byline": document.author,
            "body": document.text,
        }
    return records, time.perf_counter() - started


# -- Output ---------------------------------------------------------------------------------


def print_table(scores: Iterable[Score], *, out=sys.stdout) -> None:
    print("| reading | title | date (wrong) | author | body |", file=out)
    print("|---|---|---|---|---|", file=out)
    for result in scores:
        print(result.row(), file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEVSET, help="The development set.")
    parser.add_argument("--misses", action="store_true", help="List every miss.")
    parser.add_argument("--by-language", action="store_true", help="A table per language.")
    parser.add_argument(
        "--only",
        choices=["text", "html", "trafilatura"],
        action="append",
        help="Only these readings (repeatable); default all three.",
    )
    parser.add_argument(
        "--parse-only",
        action="store_true",
        help="Score parse_capture's output directly, without the database (quick, for "
        "iterating on the rules; the table of record comes from a real ingest).",
    )
    args = parser.parse_args(argv)
    gold_path = args.devset / "extraction" / "gold.json"
    if not gold_path.exists():
        print(f"No development set at {args.devset}: nothing to evaluate.")
        return 0
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    scorer = load_scorer(args.devset)
    wanted = args.only or ["text", "html", "trafilatura"]

    readings: list[tuple[str, dict[str, dict]]] = []
    notes: list[str] = []
    for kind in ("text", "html"):
        if kind not in wanted:
            continue
        label, sub = READINGS[kind]
        folder = args.devset / "extraction" / sub
        if args.parse_only:
            records, seconds, times = parse_only(folder)
            notes.append(
                f"{label}: parsed {len(times)} files in {seconds:.1f} s, "
                f"{len(times) / seconds:,.0f} captures/s, median "
                f"{statistics.median(times) * 1000:.2f} ms"
            )
        else:
            exported, seconds = ingest_and_export(folder)
            records = read_export(exported)
            notes.append(f"{label}: ingest and analysis of {len(records)} files, {seconds:.1f} s")
            scored = score_py_says(args.devset, exported)
            if scored != score(label, gold, records, scorer).summary():
                notes.append(f"score.py disagrees: {scored}")
        readings.append((label, records))
    if "trafilatura" in wanted:
        import trafilatura

        label = f"saved HTML, trafilatura {trafilatura.__version__} alone"
        records, seconds = trafilatura_alone(args.devset / "extraction" / "html")
        notes.append(f"{label}: {seconds:.1f} s")
        readings.append((label, records))

    scores = [score(label, gold, records, scorer) for label, records in readings]
    print_table(scores)
    for note in notes:
        print(f"  {note}")
    if args.by_language:
        for lang, part in by_language(gold).items():
            print(f"\n{lang} ({len(part)} pages)")
            print_table(score(label, part, records, scorer) for label, records in readings)
    if args.misses:
        for result in scores:
            print(f"\n# misses: {result.label}")
            for miss in result.misses:
                print(miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
