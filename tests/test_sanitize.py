"""The sanitiser: outside HTML keeps only the allow-list, and text we render is escaped."""

from html import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.sanitize import BLOCK_TAGS, render_blocks, sanitize_html

HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)">click</a>',
    "</p><iframe src='http://evil.example'></iframe><p>",
    "<!-- comment --><style>body{}</style>",
)


def test_hostile_text_in_blocks_comes_out_escaped():
    html = render_blocks(("p", text) for text in HOSTILE)
    for needle in ("<script", "<img", "<a ", "<iframe", "<style", "<!--"):
        assert needle not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<p>") == len(HOSTILE) and html.count("</p>") == len(HOSTILE)


def test_blocks_become_their_elements_and_unknown_kinds_become_paragraphs():
    html = render_blocks([("h", "Talks"), ("p", "Ministers & aides met."), ("q", "x"), ("?", "y")])
    assert html == (
        "<h2>Talks</h2>\n<p>Ministers &amp; aides met.</p>\n<blockquote>x</blockquote>\n<p>y</p>"
    )


def test_control_characters_are_cleaned_as_bleach_would():
    assert render_blocks([("p", "a\x00b\x0cc\r\nd\re\tf")]) == "<p>ab?c\nd\ne\tf</p>"


def _through_bleach(blocks: list[tuple[str, str]]) -> str:
    tags = (BLOCK_TAGS.get(kind, "p") for kind, _ in blocks)
    return sanitize_html(
        "\n".join(
            f"<{tag}>{escape(text, quote=False)}</{tag}>"
            for tag, (_, text) in zip(tags, blocks, strict=True)
        )
    )


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["p", "h", "q", "x"]),
            st.text(
                alphabet=st.one_of(
                    st.sampled_from("<>&\"'\x00\x01\x0b\x0c\r\n\t\x7f\x85 =/!-;#a"),
                    st.characters(exclude_categories=["Cs"]),
                )
            ),
        ),
        max_size=4,
    )
)
def test_rendered_blocks_are_what_bleach_makes_of_them(blocks):
    assert render_blocks(blocks) == _through_bleach(blocks)


def test_outside_html_keeps_only_the_allow_list():
    html = sanitize_html("".join(HOSTILE) + "<p>Kept <em>this</em></p>")
    for needle in ("<script", "<img", "javascript:", "<iframe", "<style", "<!--", "onerror"):
        assert needle not in html
    assert "<p>Kept <em>this</em></p>" in html


@pytest.mark.parametrize(
    "text", ["\x0c", "a \x0c b", " \x0ca", "a\x0c ", "\x0c\x0b", "\x0ba\x0c", "a\r\n\x0c", " "]
)
def test_form_feeds_come_out_as_bleach_leaves_them(text):
    """Kept in leading or trailing white space, shown as "?" inside the text."""
    expected = sanitize_html(f"<p>{escape(text, quote=False)}</p>")
    assert render_blocks([("p", text)]) == expected
