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


# -- The allow-list for an article's kept structure ----------------------------------------

STRUCTURE = (
    "<h2>Positions</h2><h3>Moscow</h3><p>Said <strong>no</strong> to <em>radars</em>.</p>"
    "<ul><li>Poland</li><li>Czech Republic</li></ul><ol><li>First</li></ol>"
    "<blockquote><p>We agreed to continue.</p></blockquote>"
    '<table><tbody><tr><th>Site</th><td colspan="2">Radar</td></tr></tbody></table>'
)


def test_an_articles_structure_is_kept_as_written():
    assert sanitize_html(STRUCTURE) == STRUCTURE


def test_links_keep_their_address_and_get_nofollow_noopener():
    html = sanitize_html('<p><a href="https://example.org/talks" title="T">talks</a></p>')
    assert html == (
        '<p><a href="https://example.org/talks" title="T" rel="nofollow noopener">talks</a></p>'
    )
    mail = sanitize_html('<a href="mailto:press@example.org">press</a>')
    assert 'href="mailto:press@example.org"' in mail


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "/relative/page",
        "#top",
        "ftp://example.org/",
        "vbscript:x",
    ],
)
def test_only_absolute_http_and_mailto_addresses_are_kept(href):
    html = sanitize_html(f'<a href="{href}">link</a>')
    assert "href" not in html
    assert html == '<a rel="nofollow noopener">link</a>'


@pytest.mark.parametrize(
    "hostile",
    [
        '<p style="color:red" onclick="x()" class="c" id="i">text</p>',
        '<a href="https://example.org/" onmouseover="x()" target="_blank">text</a>',
        '<td style="x" onclick="y" colspan="x2">text</td>',
        "<iframe src='https://evil.example/'>text</iframe>",
        "<object data='x'>text</object><embed src='x'>",
        "<img src='x' onerror='alert(1)'>text",
        "<form action='x'><input value='y'>text</form>",
        "<svg><a href='javascript:x'>text</a></svg>",
    ],
)
def test_no_styles_handlers_frames_or_forms_survive(hostile):
    html = sanitize_html(hostile)
    for needle in (
        "style",
        "onclick",
        "onmouseover",
        "onerror",
        "target",
        "iframe",
        "object",
        "embed",
        "img",
        "form",
        "input",
        "svg",
        "javascript",
        "class=",
        "id=",
    ):
        assert needle not in html
    assert "text" in html or hostile.startswith("<object")
