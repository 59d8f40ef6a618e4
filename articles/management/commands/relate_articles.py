from django.core.management.base import BaseCommand

from articles.kept_related import RelateCounts, relate_articles


class Command(BaseCommand):
    help = (
        "Rank each article's related coverage and keep it, so its page reads the list "
        "instead of ranking it: the lists missing, and the articles added or changed since "
        "the last run, weighed against the kept lists they would now enter. Run it after an "
        "ingest (make run does) or from cron; pages rank live until it has run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--again",
            action="store_true",
            help="Drop every kept list and rank them all again.",
        )
        parser.add_argument(
            "--seconds",
            type=float,
            help="Stop after about this long (the next run goes on where this one stopped).",
        )

    def handle(self, *args, again, seconds, verbosity, **options):
        def progress(counts: RelateCounts) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {counts.ranked} ranked, {counts.dropped} to rank again")

        counts = relate_articles(again=again, seconds=seconds, progress=progress)
        left = " (stopped at the time limit: run it again to go on)" if counts.left else ""
        self.stdout.write(
            f"{counts.ranked} related lists ranked and kept; {counts.dropped} kept lists "
            f"dropped for changed articles in them or that now belong in them{left}."
        )
