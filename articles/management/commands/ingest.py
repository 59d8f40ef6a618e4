from django.core.management.base import BaseCommand, CommandError

from articles.ingest.pipeline import ingest_paths


class Command(BaseCommand):
    help = (
        "Load news captures (plain text or saved HTML pages) and web archives (WARC, WACZ) "
        "into the archive. Files found in folders but not read are counted; -v 2 lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            help="Capture files (.txt, .html), web archives (.warc, .warc.gz, .wacz), "
            "or folders to search for them.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and check everything, write nothing."
        )
        parser.add_argument(
            "--workers",
            type=int,
            help="Processes that read and analyse files when there are many "
            "(default: ARCHIVE_INGEST_WORKERS, or one per core).",
        )

    def handle(self, *args, paths, dry_run, workers, verbosity, **options):
        report = ingest_paths(paths, dry_run=dry_run, workers=workers)
        for outcome in report.outcomes:
            if outcome.status == "failed":
                self.stderr.write(f"{outcome.path}: skipped: {outcome.message}")
            elif outcome.status == "skipped":
                if verbosity >= 2:
                    self.stdout.write(f"{outcome.path}: skipped: {outcome.message}")
            elif verbosity >= 2 or ((outcome.kept or outcome.collided_with) and verbosity >= 1):
                kept = (
                    f" (kept staff corrections: {', '.join(outcome.kept)})" if outcome.kept else ""
                )
                note = f" ({outcome.message})" if outcome.message else ""
                self.stdout.write(f"{outcome.path}: {outcome.status}{kept}{note}")
        for path, reading in report.archives:
            self.stdout.write(f"{path}: {reading.summary()}")
            for url in reading.oversize:
                self.stderr.write(f"{path}: skipped a record over the size limit: {url}")
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(prefix + report.summary())
        for damage in report.damaged:
            self.stderr.write(damage)
        problems = []
        if report.failed:
            files = "1 file" if report.failed == 1 else f"{report.failed} files"
            problems.append(f"{files} could not be loaded")
        if report.damaged:
            damaged = len(report.damaged)
            problems.append(
                ("1 web archive was" if damaged == 1 else f"{damaged} web archives were")
                + " damaged (their complete records before the damage were loaded)"
            )
        if problems:
            raise CommandError("; ".join(problems) + ".")
