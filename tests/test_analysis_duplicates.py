"""Fingerprints that survive republication: new headers and footers, a few changed words,
a dropped paragraph; and that still tell different stories apart."""

from __future__ import annotations

import random
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.analysis import duplicates
from articles.analysis.duplicates import bands, fingerprint, hamming, shingle_hashes
from articles.enrich import NEAR_DUPLICATE_DISTANCE

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
OTHER_FOOTER = "Copyright 2007 Example Wire. All rights reserved.\nShare: Facebook | Twitter"


def are_near_duplicates(a: int, b: int, *, max_distance: int = NEAR_DUPLICATE_DISTANCE) -> bool:
    return hamming(a, b) <= max_distance


def near(a: str, b: str) -> bool:
    return are_near_duplicates(fingerprint(a), fingerprint(b))


def similarity(a_text: str, b_text: str) -> float:
    """Jaccard similarity of the two texts' word 3-shingles: what a fingerprint sketches."""
    a, b = set(shingle_hashes(a_text)), set(shingle_hashes(b_text))
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def test_the_five_seeds_are_not_near_duplicates_of_each_other():
    for a, b in combinations(SEED_TEXTS, 2):
        assert not near(a, b)
        assert hamming(fingerprint(a), fingerprint(b)) > 16
        assert similarity(a, b) < 0.1


def test_two_stories_about_the_same_talks_on_the_same_day_are_different():
    assert not near(SEED_TEXTS[1], SEED_TEXTS[4])  # both 18 March 2008, Moscow


def test_a_copy_with_other_header_and_footer_lines_is_a_near_duplicate():
    lines = SEED_TEXTS[2].splitlines()
    copy = "\n".join(lines[1:-1]) + "\n" + OTHER_FOOTER
    assert hamming(fingerprint(SEED_TEXTS[2]), fingerprint(copy)) == 0


@pytest.mark.parametrize("text", SEED_TEXTS)
def test_any_seed_with_clutter_around_it_is_a_near_duplicate(text):
    copy = "Home | World | Europe\nAdvertisement\n" + text + "\n" + OTHER_FOOTER
    assert near(text, copy)


@pytest.mark.parametrize("text", SEED_TEXTS)
def test_a_copy_with_three_words_changed_is_a_near_duplicate(text):
    words = text.split(" ")
    for position in (10, 50, 100):
        words[position] = "changed"
    assert near(text, " ".join(words))


def test_three_random_word_changes_keep_nearly_every_copy_within_three_bits():
    # MinHash bits flip with probability ~(1 - Jaccard) / 2: about 1 bit on average here.
    trials, within = 0, 0
    for seed, text in enumerate(SEED_TEXTS):
        rng = random.Random(seed)
        for _ in range(40):
            words = text.split(" ")
            for _ in range(3):
                words[rng.randrange(len(words))] = "changed"
            trials += 1
            within += near(text, " ".join(words))
    assert within / trials > 0.9


def test_a_copy_missing_its_last_paragraph_is_a_near_duplicate():
    text = SEED_TEXTS[2]
    last = [line for line in text.splitlines() if len(line.split()) > 20][-1]
    copy = text.replace(last, "")
    assert near(text, copy)
    assert similarity(text, copy) > 0.9


def test_any_dropped_paragraph_leaves_the_texts_similar():
    # A paragraph is a tenth of a short story: the fingerprint may then move more than
    # three bits, so a caller widening the net confirms with similarity().
    for text in SEED_TEXTS[:3]:
        for line in text.splitlines():
            if len(line.split()) > 20:
                assert similarity(text, text.replace(line, "")) > 0.85


def test_fingerprints_are_stable_across_processes_and_caches():
    text = "The quick brown fox jumps over the lazy dog near the riverbank today."
    first = fingerprint(text)
    duplicates._word_hashes.clear()
    assert fingerprint(text) == first == 0x041CE7A69755FE9E


def test_fingerprints_ignore_case_and_punctuation():
    assert fingerprint("“Our position,” Lavrov said — unaltered.") == fingerprint(
        '"our POSITION" lavrov said unaltered'
    )


def test_empty_and_tiny_texts_have_fingerprints():
    assert fingerprint("") == 0
    assert fingerprint("...") == 0
    assert 0 < fingerprint("Moscow") < 2**64
    assert hamming(fingerprint("talks in Moscow"), fingerprint("talks in Sochi")) > 3


def test_bands_cut_the_fingerprint_into_equal_slices():
    fp = 0x0123456789ABCDEF
    assert bands(fp) == (0x0123, 0x4567, 0x89AB, 0xCDEF)
    assert bands(fp, 2) == (0x01234567, 0x89ABCDEF)
    with pytest.raises(ValueError):
        bands(fp, 5)


@given(st.integers(0, 2**64 - 1), st.sets(st.integers(0, 63), max_size=3))
def test_fingerprints_within_three_bits_share_a_band(fp, flipped):
    other = fp
    for bit in flipped:
        other ^= 1 << bit
    assert hamming(fp, other) == len(flipped)
    assert are_near_duplicates(fp, other)
    assert any(a == b for a, b in zip(bands(fp), bands(other), strict=True))


def test_similarity_is_one_for_the_same_text_and_zero_for_unrelated_ones():
    assert similarity(SEED_TEXTS[0], SEED_TEXTS[0]) == 1.0
    assert similarity("red green blue yellow", "one two three four") == 0.0
    assert similarity("", "") == 1.0


@given(st.text(max_size=500))
def test_any_text_has_a_64_bit_fingerprint_that_matches_itself(text):
    fp = fingerprint(text)
    assert 0 <= fp < 2**64
    assert are_near_duplicates(fp, fingerprint(text), max_distance=0)
