"""Haystack's own Whoosh backend tests run only under their own settings
(`python -m pytest --ds=tests.haystack_contract.settings tests/haystack_contract`): they need
Haystack's mock models and connections, which the archive's test settings do not have.

Where the archive's engine keeps a difference from Haystack's stock Whoosh backend on
purpose, the test that checks the stock behaviour is expected to fail (strictly: if it
starts passing, the difference has gone and this list must say so)."""

import os

import pytest

CONTRACT_SETTINGS = "tests.haystack_contract.settings"

if os.environ.get("DJANGO_SETTINGS_MODULE") != CONTRACT_SETTINGS:
    collect_ignore_glob = ["*"]

STOCK_ENGINE = "haystack.backends.whoosh_backend.WhooshEngine"
BACKEND = "whoosh_tests/test_whoosh_backend.py::"
KEPT_DIFFERENCES = {
    BACKEND + "WhooshSearchBackendTestCase::test_order_by": (
        "sorting by several keys in different directions works here (stock Whoosh refuses "
        "it with SearchBackendError); the archive sorts by date, then source, descending"
    ),
    BACKEND + "LiveWhooshSearchQuerySetTestCase::test_slice": (
        "sqs[1:3] returns the results ranked 2 and 3; the stock backend rounds a slice to "
        "a page and returns ranks 1 and 2"
    ),
    BACKEND + "LiveWhooshSearchQuerySetTestCase::test_values_slicing": (
        "sqs[1:11] starts at the result ranked 2; the stock backend rounds a slice to a page"
    ),
}


def pytest_collection_modifyitems(items):
    from django.conf import settings

    engine = getattr(settings, "ARCHIVE_ENGINE", None)
    if engine is None or engine == STOCK_ENGINE:  # not these tests, or the comparison run
        return
    for item in items:
        for test, reason in KEPT_DIFFERENCES.items():
            if item.nodeid.endswith(test):
                item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
