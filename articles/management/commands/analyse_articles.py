from django.core.management.base import BaseCommand

from articles.enrich import load_catalogue
from articles.reanalysis import run_requests


class Command(BaseCommand):
    help = (
        "Load the curated people, topics and talks rounds (keeping staff edits), then find "
        "them again in every article: after the lists change, or for articles ingested before."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--catalogue-only",
            action="store_true",
            help="Only add curated people, topics and rounds that are missing.",
        )
        parser.add_argument(
            "--pending",
            action="store_true",
            help="Only if staff asked for it in the admin and it has not finished yet; "
            "the admin starts this itself.",
        )

    def handle(self, *args, catalogue_only, pending, verbosity, **options):
        # Staff asked for the lists as they keep them: nothing they removed comes back.
        if not pending:
            created = load_catalogue()
            if verbosity:
                self.stdout.write(f"{created} curated entries added.")
        if not catalogue_only:
            count = run_requests(always=not pending)
            if verbosity:
                self.stdout.write(f"{count} articles analysed.")
