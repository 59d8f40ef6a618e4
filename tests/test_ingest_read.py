"""Decoding captures and refusing what cannot be an article, with clear reasons."""

from __future__ import annotations

import codecs

import pytest

from articles.ingest import IngestError, decode_capture, parse_capture, read_capture
from tests.conftest import SEEDS


def test_utf8_is_read_as_utf8():
    assert read_capture("Café “quoted”".encode()) == ("Café “quoted”", "utf-8")


def test_utf8_byte_order_mark_is_dropped():
    text, encoding = read_capture(codecs.BOM_UTF8 + b"Talks resume")
    assert (text, encoding) == ("Talks resume", "utf-8")


def test_windows_1252_falls_back_without_mangling_quotes():
    assert read_capture(b"Caf\xe9 \x93quoted\x94") == ("Café “quoted”", "cp1252")


def test_utf16_with_a_byte_order_mark_is_read():
    text, encoding = read_capture("Talks resume".encode("utf-16"))
    assert (text, encoding) == ("Talks resume", "utf-16")


def test_empty_file_is_refused():
    with pytest.raises(IngestError, match="empty"):
        read_capture(b"")


def test_whitespace_only_file_is_refused():
    with pytest.raises(IngestError, match="only whitespace"):
        read_capture(b" \n\t\r\n ")


def test_too_large_file_message_gives_size_and_limit():
    with pytest.raises(IngestError) as raised:
        read_capture(b"a" * 52_428_800)
    assert str(raised.value) == "The file is 52,428,800 bytes, over the 5,000,000-byte limit."


def test_limit_can_be_changed():
    with pytest.raises(IngestError, match="over the 10-byte limit"):
        read_capture(b"Talks resume today", max_bytes=10)


def test_nul_byte_means_binary():
    with pytest.raises(IngestError, match="NUL"):
        read_capture(b"Talks\x00resume")


def test_control_characters_mean_binary():
    with pytest.raises(IngestError, match="binary"):
        read_capture(bytes(range(1, 9)) * 50 + b"text")


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused():
    # 0x81 is undefined in Windows-1252 and invalid on its own in UTF-8.
    with pytest.raises(IngestError, match="cannot be decoded"):
        read_capture(b"Talks \x81 resume")


def test_text_without_letters_is_refused():
    with pytest.raises(IngestError, match="no letters"):
        read_capture(b"12345 --- 678 !!!")


def test_messages_are_sentences():
    for data in (b"", b"   ", b"a\x00b", b"123"):
        with pytest.raises(IngestError) as raised:
            read_capture(data)
        message = str(raised.value)
        assert message[0].isupper() and message.endswith(".")


def test_parse_capture_reports_read_errors_as_ingest_errors():
    with pytest.raises(IngestError, match="empty"):
        parse_capture(b"", "empty.txt")


def test_ingest_error_is_a_value_error():
    assert issubclass(IngestError, ValueError)


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (b"<p>Talks resume after a long pause in Geneva today.</p>", "page.html", "html"),
        (b"<p>Talks resume after a long pause in Geneva today.</p>", "page.HTM", "html"),
        (
            b"<!DOCTYPE html><html><body><p>Talks resume in Geneva today, officials said.</p>"
            b"</body></html>",
            "capture.txt",
            "html",
        ),
        (b"Talks resume\n\nDiplomats said the talks would resume in Geneva.", "a.txt", "text"),
    ],
)
def test_html_is_chosen_by_extension_or_by_sniffing(data, filename, kind):
    assert parse_capture(data, filename).kind == kind


# -- Mojibake: UTF-8 read as Windows-1252 and saved again --------------------------------


def read_as_windows_does(data: bytes) -> str:
    """Bytes decoded as Windows decodes Windows-1252: the five bytes it leaves unassigned
    become the C1 control characters of the same number (0x9D, the end of "”", too)."""
    return "".join(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in data)


def mojibake(text: str) -> bytes:
    return read_as_windows_does(text.encode("utf-8")).encode("utf-8")


def test_a_seed_saved_as_mojibake_is_repaired_and_reads_as_the_original():
    original = (SEEDS / "000_83010087517747a0.txt").read_bytes()
    garbled = mojibake(original.decode("utf-8"))
    assert "â€™".encode() in garbled and "\x9d".encode() in garbled  # as found in the wild

    article = parse_capture(garbled, "capture.txt")

    expected = parse_capture(original, "capture.txt")
    assert (article.title, article.body) == (expected.title, expected.body)
    assert "Russia’s former Soviet allies" in article.body
    assert "text_repaired" in article.review_reasons
    repaired = [e for e in article.evidence if e.evidence == "text repaired from mojibake"]
    assert repaired and repaired[0].field == "body"


def test_a_quotation_heavy_mojibake_capture_is_not_taken_for_binary():
    # An interview: every answer closes with "”", whose last byte Windows reads as U+009D.
    text = "Talks resume in Geneva\n\n" + "\n".join(
        f"“Will round {n} settle the radar question?” “Not yet,” he said." for n in range(60)
    )
    garbled = mojibake(text)
    assert garbled.decode("utf-8").count("\x9d") > 0.01 * len(garbled.decode("utf-8"))

    decoded = decode_capture(garbled)

    assert decoded.repaired and decoded.text == text
    assert decoded.raw == garbled.decode("utf-8")  # what was received is kept as it was


def test_correct_text_is_not_repaired():
    text = "Café “quoted” — Лавров сказал: «нет». Ça va, à Genève."
    decoded = decode_capture(text.encode("utf-8"))
    assert not decoded.repaired and decoded.text == text


def test_a_truly_binary_file_is_still_refused():
    # Every byte value Windows-1252 assigns, NUL aside: decodable, but no text.
    unassigned = b"\x00\x81\x8d\x8f\x90\x9d"
    noise = bytes(b for b in (i * 37 % 256 for i in range(4000)) if b not in unassigned)
    with pytest.raises(IngestError, match="looks binary"):
        decode_capture(noise)
