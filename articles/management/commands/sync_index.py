from django.core.management.base import BaseCommand, CommandError

from articles.search.queue import drain_index_tasks, queued_index_tasks
from articles.search.sync import compare_index, repair_index


class Command(BaseCommand):
    help = (
        "Do the index work left queued (by a crash, or an index that could not be written), "
        "compare the search index with the database (missing, stale and orphaned documents) "
        "and repair the differences. With --check, change nothing and exit 1 on any drift."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report the drift and the queued index work, change nothing; "
            "exit with status 1 if the index differs from the database.",
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Rebuild the whole index from the database into a fresh folder, then swap it in.",
        )

    def handle(self, *args, check, rebuild, verbosity, **options):
        if rebuild:
            count = repair_index(rebuild=True)
            self.stdout.write(f"Index rebuilt from the database: {count} articles.")
            return
        if check:
            if queued := queued_index_tasks():
                self.stdout.write(f"{queued} articles have index work queued.")
        elif (done := drain_index_tasks()) and verbosity:
            self.stdout.write(f"Queued index work done for {done} articles.")
        drift = compare_index()
        self.stdout.write(drift.summary())
        if check:
            if not drift.clean:
                for line in drift.details(None) if verbosity >= 2 else drift.details():
                    self.stdout.write(line)
                raise CommandError("The search index differs from the database.")
            return
        if drift.clean:
            return
        count = repair_index(drift=drift)
        self.stdout.write(f"Repaired: {count} documents written or removed.")
