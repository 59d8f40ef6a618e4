from django.core.management.base import BaseCommand, CommandError

from articles.models import ArticleTally

# Differing tallies listed by --check, unless at verbosity 2.
SHOWN = 10


class Command(BaseCommand):
    help = (
        "Count the articles again into the tallies by source, site and month that the home "
        "page, the timeline and the sources show. The database keeps them on every change; "
        "this is for rows written with its triggers off (a restore). With --check, compare "
        "only, and exit 1 if they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare the tallies with the articles; exit with status 1 if they differ.",
        )

    def handle(self, *args, check, verbosity, **options):
        if not check:
            count = ArticleTally.objects.rebuild()
            self.stdout.write(f"Tallies rebuilt: {count} articles counted.")
            return
        drift = ArticleTally.objects.drift()
        self.stdout.write(f"{len(drift)} tallies differ from the articles.")
        if drift:
            for (source, site, month), (kept, counted) in sorted(drift.items())[
                : None if verbosity >= 2 else SHOWN
            ]:
                self.stdout.write(
                    f"  source {source}, site {site}, month {month}: kept {kept}, counted {counted}"
                )
            raise CommandError("The article tallies differ from the articles.")
