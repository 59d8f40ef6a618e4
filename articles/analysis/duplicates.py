"""Spotting republished copies: the same agency story on several sites.

`fingerprint` sketches an article's word 3-shingles into 64 bits so that copies differ in
few bits; `bands` buckets fingerprints so only likely copies are compared, and `hamming`
tells how far apart two fingerprints are.

The sketch is a one-permutation MinHash with one bit per bin, not a classic SimHash: on
the seeds, SimHash flipped 4–9 of 64 bits when three words changed or a paragraph was
dropped, more than the three bits copies may differ by. A MinHash bit flips with probability about
(1 - Jaccard) / 2, so three changed words in a 500-word story move ~1 bit (96% of random
trials stay within 3), while dropping a paragraph that holds a tenth of the story moves
~3 bits (within 3 about half the time, at a Jaccard similarity still above 0.85). Short lines
(headers, menus, "Join our mailing list" footers) are left out before shingling, so a
different header or footer usually changes nothing at all.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from bisect import bisect_left

# Lines with fewer words than this are clutter (headlines, bylines, share buttons,
# footers); body paragraphs are longer. Used only when some line is that long.
MIN_LINE_WORDS = 8

# Hashes are 30 bits: small enough for CPython's one-digit int fast paths (sorting is
# twice as fast), wide enough that two shingles in a bin almost never tie.
HASH_BITS = 30
BINS = 64
_BIN_SHIFT = HASH_BITS - 6  # the top 6 bits choose the bin
_HASH_MASK = (1 << HASH_BITS) - 1
_MASK = (1 << 64) - 1

# Punctuation becomes a word break: curly quotes, dashes and the like by bytes.replace on
# their UTF-8 form, ASCII marks by one bytes.translate (str.translate is far slower).
_UNICODE_PUNCTUATION = tuple(mark.encode() for mark in "“”‘’«»—–…\u00a0")
_ASCII_PUNCTUATION = bytes.maketrans(b"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", b" " * 32)

# Each distinct word is hashed once with BLAKE2b into three 30-bit values, one per
# position in a shingle; a shingle's hash is their XOR (simple tabulation hashing, which
# behaves well for MinHash). A word's three values are kept as one 12-byte record so an
# article costs one dict lookup per word, and its shingles are XORed as three big
# integers rather than thousands of small ones. The table keeps the vocabulary of a large
# ingest, up to a limit.
_WORD_CACHE_LIMIT = 200_000
_word_hashes: dict[bytes, bytes] = {}
_UINT32 = next(code for code in "IL" if array(code).itemsize == 4)


def words(text: str) -> list[bytes]:
    """Lower-cased words of `text` without punctuation, skipping short clutter lines."""
    lines = text.splitlines()
    body = [line for line in lines if line.count(" ") >= MIN_LINE_WORDS - 1]
    if body and len(body) < len(lines):
        text = "\n".join(body)
    data = text.encode()
    if not data.isascii():
        for mark in _UNICODE_PUNCTUATION:
            if mark in data:
                data = data.replace(mark, b" ")
    # Once curly quotes are gone most English text is ASCII, and bytes.lower() is ten
    # times faster than str.lower(); Cyrillic and accented text takes the slow way.
    data = data.lower() if data.isascii() else data.decode().lower().encode()
    return data.translate(_ASCII_PUNCTUATION).split()


def _hash_new_words(tokens: list[bytes]) -> None:
    missing = set(tokens).difference(_word_hashes)
    if len(_word_hashes) + len(missing) > _WORD_CACHE_LIMIT:
        _word_hashes.clear()
    for word in missing:
        value = int.from_bytes(hashlib.blake2b(word, digest_size=12).digest(), "big")
        _word_hashes[word] = b"".join(
            ((value >> shift) & _HASH_MASK).to_bytes(4, sys.byteorder) for shift in (0, 32, 64)
        )


def shingle_hashes(text: str) -> list[int]:
    """Sorted 30-bit hashes of the word 3-shingles of `text` (repeats included)."""
    tokens = words(text)
    if not tokens:
        return []
    tokens += [b""] * (3 - len(tokens))  # a one- or two-word text is one shingle
    try:
        records = b"".join(map(_word_hashes.__getitem__, tokens))
    except KeyError:
        _hash_new_words(tokens)
        records = b"".join(map(_word_hashes.__getitem__, tokens))
    values = memoryview(records).cast(_UINT32)
    count = len(tokens) - 2  # shingles
    order = sys.byteorder
    # Shingle i XORs word i's first value, word i+1's second and word i+2's third.
    first = int.from_bytes(values[0 : 3 * count : 3].tobytes(), order)
    second = int.from_bytes(values[4 : 3 * count + 4 : 3].tobytes(), order)
    third = int.from_bytes(values[8 : 3 * count + 8 : 3].tobytes(), order)
    hashes = array(_UINT32)
    hashes.frombytes((first ^ second ^ third).to_bytes(4 * count, order))
    return sorted(hashes)


def fingerprint(text: str) -> int:
    """A 64-bit sketch of `text`: near-duplicates differ in few bits (see `hamming`)."""
    hashes = shingle_hashes(text)
    if not hashes:
        return 0
    # The smallest hash in each of the 64 bins (hashes are sorted, so a bisect finds it).
    minima: list[int | None] = []
    for bin_number in range(BINS):
        index = bisect_left(hashes, bin_number << _BIN_SHIFT)
        if index < len(hashes) and hashes[index] >> _BIN_SHIFT == bin_number:
            minima.append(hashes[index])
        else:
            minima.append(None)
    fp = 0
    for bin_number, value in enumerate(minima):
        if value is None:
            # An empty bin borrows another bit of the next full one, so short texts still
            # fill all 64 bits (densification).
            offset = 1
            while minima[(bin_number + offset) % BINS] is None:
                offset += 1
            value = minima[(bin_number + offset) % BINS] >> (offset % _BIN_SHIFT)
        fp |= (value & 1) << bin_number
    return fp


def bands(fp: int, n: int = 4) -> tuple[int, ...]:
    """`fp` cut into n bands of 64/n bits, for bucketing: fingerprints within n-1 bits of
    each other share at least one band (compare bands at the same position only)."""
    if n <= 0 or 64 % n:
        raise ValueError("n must divide 64")
    width = 64 // n
    mask = (1 << width) - 1
    return tuple((fp >> (width * (n - 1 - index))) & mask for index in range(n))


def hamming(a: int, b: int) -> int:
    """Number of bits in which two fingerprints differ."""
    return ((a ^ b) & _MASK).bit_count()
