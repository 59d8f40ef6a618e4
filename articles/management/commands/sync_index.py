from django.core.management.base import BaseCommand

from articles.index_sync import compare_index, repair_index


class Command(BaseCommand):
    help = (
        "Compare the search index with the database (missing, stale and orphaned documents) "
        "and repair the differences."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only report the drift, change nothing."
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
        drift = compare_index()
        self.stdout.write(drift.summary())
        if check or drift.clean:
            return
        count = repair_index(drift=drift)
        self.stdout.write(f"Repaired: {count} documents written or removed.")
