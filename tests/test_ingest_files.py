"""Which files the ingester reads: the same checks for files named on the command line
and files found in folders, never more than the size limit, and every skipped file told."""

import os
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.ingest import IngestError
from articles.ingest.pipeline import ingest_paths
from articles.ingest.read import find_files, read_bounded
from articles.models import Article

pytestmark = pytest.mark.django_db

STORY = "Talks resume\n\nGENEVA - Negotiators met again today.\n"


def run_ingest(*paths, verbosity=1) -> tuple[str, str, bool]:
    out, err = StringIO(), StringIO()
    try:
        call_command("ingest", *map(str, paths), stdout=out, stderr=err, verbosity=verbosity)
    except CommandError:
        return out.getvalue(), err.getvalue(), False
    return out.getvalue(), err.getvalue(), True


def test_a_pdf_named_on_the_command_line_is_refused_with_a_reason(tmp_path):
    pdf = tmp_path / "brief.pdf"
    pdf.write_text("Talks resume\n\nThis is text inside a file called .pdf.\n")
    out, err, ok = run_ingest(pdf)
    assert not ok and not Article.objects.exists()
    assert "brief.pdf: skipped: not a capture or web archive (.pdf)" in err
    assert "0 created, 0 updated, 0 unchanged, 1 failed" in out


def test_files_a_folder_scan_leaves_out_are_counted_and_listed_with_v2(tmp_path):
    (tmp_path / "story.txt").write_text(STORY)
    (tmp_path / "brief.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    os.mkfifo(tmp_path / "pipe.txt")
    out, err, ok = run_ingest(tmp_path)
    assert ok and Article.objects.count() == 1
    assert "1 created" in out and "3 skipped" in out
    assert "1 hidden file" in out and "not a regular file: it is a named pipe (FIFO)" in out
    assert "brief.pdf" not in out + err  # names only when asked
    out, _, _ = run_ingest(tmp_path, verbosity=2)
    assert f"{tmp_path / 'brief.pdf'}: skipped: not a capture or web archive (.pdf)" in out
    assert f"{tmp_path / 'pipe.txt'}: skipped: not a regular file" in out


def test_a_fifo_named_on_the_command_line_fails_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "capture.txt"
    os.mkfifo(fifo)
    result = {}
    reader = threading.Thread(target=lambda: result.update(r=run_ingest(fifo)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # let the blocked open return, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("ingest waited on a FIFO")
    _, err, ok = result["r"]
    assert not ok and "not a regular file: it is a named pipe (FIFO)" in err


def test_a_device_is_refused_not_read(tmp_path):
    with pytest.raises(IngestError, match="not a regular file: it is a character device"):
        read_bounded(Path("/dev/zero"), 1_000)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    report = ingest_paths([zero])
    assert report.summary() == "0 created, 0 updated, 0 unchanged, 1 failed"
    assert report.outcomes[0].message.startswith("a symbolic link")


def test_a_linked_file_in_a_folder_is_never_read_or_published(tmp_path, client):
    secret = tmp_path / "secret_key"
    secret.write_text("Signing key\n\nGENEVA - django-insecure-the-real-signing-key-value.\n")
    folder = tmp_path / "captures"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY)
    (folder / "key.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / "story.txt")  # a link, even to a neighbour
    out, err, ok = run_ingest(folder)
    assert ok and Article.objects.count() == 1
    assert "2 skipped" in out and "2 a symbolic link" in out
    for article in Article.objects.all():
        page = client.get(article.get_absolute_url() + "original/?download=1")
        assert b"real-signing-key" not in page.content
    out, _, _ = run_ingest(folder, verbosity=2)
    assert f"{folder / 'key.txt'}: skipped: a symbolic link" in out


def test_a_linked_file_named_on_the_command_line_is_refused(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(STORY)
    (tmp_path / "key.txt").symlink_to(secret)
    _, err, ok = run_ingest(tmp_path / "key.txt")
    assert not ok and not Article.objects.exists()
    assert "key.txt: skipped: a symbolic link" in err


def test_a_linked_folder_inside_the_folder_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private.txt").write_text(STORY)
    folder = tmp_path / "captures"
    folder.mkdir()
    (folder / "elsewhere").symlink_to(outside)
    out, _, _ = run_ingest(folder)
    assert not Article.objects.exists()
    assert "a symbolic link" in out


def test_a_file_swapped_for_a_link_after_the_scan_is_refused(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(STORY)
    folder = tmp_path / "captures"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "story.txt").write_text(STORY)
    found, _ = find_files([folder])
    (folder / "sub" / "story.txt").unlink()
    (folder / "sub" / "story.txt").symlink_to(secret)
    with pytest.raises(IngestError, match="symbolic link"):
        read_bounded(found[0].path, 1_000, within=found[0].root)
    # A folder on the way swapped for a link to one outside: the file opened is outside.
    (folder / "sub" / "story.txt").unlink()
    (folder / "sub").rmdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "story.txt").write_text(STORY)
    (folder / "sub").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(IngestError, match="outside the folder"):
        read_bounded(found[0].path, 1_000, within=found[0].root)


def test_reading_stops_at_the_limit_whatever_the_file_claims(tmp_path):
    # /dev/zero claims a size of 0; only the limit stops it.
    with pytest.raises(IngestError, match="not a regular file"):
        read_bounded(Path("/dev/zero"), 1_000)
    grown = tmp_path / "grown.txt"
    grown.write_bytes(b"a" * 2_000)
    with pytest.raises(IngestError, match="over the 1,000-byte limit"):
        read_bounded(grown, 1_000)
    assert read_bounded(grown, 2_000) == b"a" * 2_000


def test_named_files_and_folder_files_get_the_same_checks(tmp_path):
    (tmp_path / "notes.doc").write_text(STORY)
    (tmp_path / "story.txt").write_text(STORY)
    in_folder, skipped_in_folder = find_files([tmp_path])
    named, skipped_named = find_files([tmp_path / "notes.doc", tmp_path / "story.txt"])
    assert [f.path for f in in_folder] == [f.path for f in named] == [tmp_path / "story.txt"]
    assert [s.reason for s in skipped_in_folder] == [s.reason for s in skipped_named]
    assert not skipped_in_folder[0].named and skipped_named[0].named


def test_a_missing_named_file_fails_with_its_reason(tmp_path):
    _, err, ok = run_ingest(tmp_path / "gone.txt")
    assert not ok and "gone.txt: skipped: no such file" in err
