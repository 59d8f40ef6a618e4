"""A throw-away archive for a benchmark: a fresh data folder, Django set up on it, and the
environment for child processes (manage.py, gunicorn) that must use the same folder."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = str(BASE_DIR / "manage.py")


def fresh_data_dir(prefix: str = "archive-bench-") -> Path:
    """An empty folder for the SQLite file, the indexes and the static files."""
    return Path(tempfile.mkdtemp(prefix=prefix))


def archive_env(
    data_dir: Path,
    settings: str = "benchmarks.settings",
    *,
    database_url: str | None = None,
    search_url: str | None = None,
) -> dict[str, str]:
    """The environment that points the archive at `data_dir`, for this and child processes:
    its own SQLite file and embedded index, or the database and search engine the URLs name
    (`postgres://…`, `solr://…`, as DATABASE_URL and SEARCH_URL take them)."""
    env = dict(os.environ)
    env.update(
        ARCHIVE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE=settings,
        DJANGO_DEBUG="off",
        DJANGO_LOG_LEVEL="ERROR",
        PYTHONPATH=os.pathsep.join(filter(None, [str(BASE_DIR), env.get("PYTHONPATH")])),
        PYTHONWARNINGS="ignore",
    )
    for name, url in (("DATABASE_URL", database_url), ("SEARCH_URL", search_url)):
        if url:
            env[name] = url
        else:
            env.pop(name, None)  # unless named, the embedded SQLite and index
    return env


def connect(data_dir: Path, database_url: str | None = None):
    """A read-only DB-API connection to the archive's database, for a benchmark that picks
    its pages from the rows: the SQLite file in `data_dir`, or the PostgreSQL database
    `database_url` names."""
    if not database_url:
        return sqlite3.connect(f"file:{data_dir / 'archive.sqlite3'}?mode=ro", uri=True)
    import environ
    import psycopg

    config = environ.Env.db_url_config(database_url)
    return psycopg.connect(
        dbname=config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
        options="-c default_transaction_read_only=on",
    )


def setup_django(data_dir: Path, settings: str = "benchmarks.settings", **urls: str | None) -> None:
    """Point this process at `data_dir` (before Django reads its settings) and set up;
    `urls` as archive_env takes them (database_url, search_url)."""
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    env = archive_env(data_dir, settings, **urls)
    for name in set(os.environ) - set(env):
        del os.environ[name]  # the shell's DATABASE_URL or SEARCH_URL, unless named
    os.environ.update(env)
    import django

    django.setup()


def manage(env: dict[str, str], *args: str, check: bool = True, **kwargs):
    """Run `manage.py args` in a child process with the sandbox environment."""
    return subprocess.run(
        [PYTHON, MANAGE, *args], env=env, cwd=BASE_DIR, check=check, text=True, **kwargs
    )


def ingest_quietly(env: dict[str, str], *paths: Path | str):
    """`manage.py ingest paths` with nothing printed; a file that cannot be read is counted
    by the caller's own measure, not a reason to stop (check=False)."""
    return manage(
        env,
        "ingest",
        *map(str, paths),
        "--verbosity",
        "0",
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def remove(data_dir: Path) -> None:
    shutil.rmtree(data_dir, ignore_errors=True)


_EMBEDDED: dict[str, dict] = {}


def use_search_url(url: str | None) -> str:
    """Answer this process's searches from the engine `url` names (`solr://host:port/solr/
    archive`, as `make solr` prints it), or again from the sandbox's own index (None), with
    Django set up; returns the engine's class path. The engine's index is not touched."""
    import environ
    from django.conf import settings
    from haystack import connections

    info = connections.connections_info["default"]
    _EMBEDDED.setdefault("default", dict(info))
    config = dict(_EMBEDDED["default"])
    if url:
        config = environ.Env.search_url_config(url)
        config["ENGINE"] = settings.ARCHIVE_ENGINES.get(config["ENGINE"], config["ENGINE"])
    info.clear()
    info.update(config)
    connections.reload("default")
    return config["ENGINE"]


def engine_label(url: str | None) -> str:
    """A short name for the engine a SEARCH_URL or DATABASE_URL names (never its password):
    "embedded" for the sandbox's own."""
    return url.split(":", 1)[0].capitalize() if url else "embedded"
