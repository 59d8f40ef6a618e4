import csv
import json

from django.core.management.base import BaseCommand

from articles.export import EXPORT_FIELDS, article_records, csv_row
from articles.models import Article


class Command(BaseCommand):
    help = "Write every article to standard output as JSON lines or CSV."

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=["jsonl", "csv"], default="jsonl", help="Output format."
        )

    def handle(self, *args, format, **options):
        articles = Article.objects.published().order_by("pk").iterator(chunk_size=500)
        records = article_records(articles)
        if format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(EXPORT_FIELDS)
            writer.writerows(csv_row(record) for record in records)
        else:
            for record in records:
                self.stdout.write(json.dumps(record, ensure_ascii=False))
