"""Stock Haystack Whoosh, changed in one respect so that it can hold the archive's index.

ArticleIndex gives undated articles sort keys of ±2**62 (sorted last both ways); stock
Haystack declares integer fields as Whoosh's default 32-bit NUMERIC, which refuses them and
leaves the writer broken for every later document. Only those two fields become 64-bit;
analysis, storage, queries, facets and highlighting stay Haystack's own.
"""

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from whoosh.fields import NUMERIC

WIDE_INTEGER_FIELDS = ("sort_newest", "sort_oldest")


class StockWhooshBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for name in WIDE_INTEGER_FIELDS:
            if name in schema:
                stored = schema[name].stored
                schema.remove(name)
                schema.add(name, NUMERIC(stored=stored, numtype=int, bits=64))
        return content_field_name, schema


class StockWhooshEngine(WhooshEngine):
    backend = StockWhooshBackend
