"""Haystack's own Whoosh backend tests run only under their own settings
(`python -m pytest --ds=tests.haystack_contract.settings tests/haystack_contract`): they need
Haystack's mock models and connections, which the archive's test settings do not have."""

import os

CONTRACT_SETTINGS = "tests.haystack_contract.settings"

if os.environ.get("DJANGO_SETTINGS_MODULE") != CONTRACT_SETTINGS:
    collect_ignore_glob = ["*"]
