from django.core.management.base import BaseCommand

from articles.enrich import analyse_articles, load_catalogue


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

    def handle(self, *args, catalogue_only, verbosity, **options):
        created = load_catalogue()
        if verbosity:
            self.stdout.write(f"{created} curated entries added.")
        if not catalogue_only:
            count = analyse_articles()
            if verbosity:
                self.stdout.write(f"{count} articles analysed.")
