"""Citations are built from plain values, so each format is checked without a database."""

from datetime import date
from types import SimpleNamespace

from articles.citation import (
    Reference,
    author_from_byline,
    bibtex,
    chicago,
    citation_key,
    reference_for,
    ris,
)

URL = "https://archive.example/articles/3/russia-us-fail-to-agree/"
ACCESSED = date(2025, 11, 22)


def make_reference(**overrides) -> Reference:
    values = {
        "title": "Russia, U.S. fail to agree on key issues at defense talks",
        "url": URL,
        "accessed": ACCESSED,
        "source": "RIA Novosti",
        "published": date(2007, 10, 12),
        "key": "ria-novosti-2007-3",
    } | overrides
    return Reference(**values)


def test_chicago_citation_names_title_outlet_date_and_permalink():
    assert chicago(make_reference()) == (
        "\u201cRussia, U.S. fail to agree on key issues at defense talks,\u201d RIA Novosti, "
        f"October 12, 2007. Archived at {URL} (accessed November 22, 2025)."
    )


def test_chicago_citation_opens_with_the_byline_when_there_is_one():
    assert chicago(make_reference(byline="Jane Smith")).startswith("Jane Smith, \u201cRussia")


def test_chicago_citation_keeps_a_question_mark_instead_of_adding_a_comma():
    text = chicago(make_reference(title="Is the shield a threat?"))
    assert "\u201cIs the shield a threat?\u201d RIA Novosti" in text


def test_chicago_citation_of_an_undated_article_says_no_date():
    text = chicago(make_reference(published=None))
    assert "RIA Novosti, n.d. Archived at" in text


def test_chicago_citation_of_an_uncredited_article_says_unknown_source():
    assert "Unknown source, October 12, 2007." in chicago(make_reference(source=""))


def test_chicago_citation_collapses_line_breaks_in_a_title():
    assert "\u201cTalks stall in Moscow,\u201d" in chicago(
        make_reference(title="Talks\nstall  in Moscow")
    )


def test_byline_drops_the_by_and_a_repeat_of_the_outlet():
    assert author_from_byline("By John Smith") == "John Smith"
    assert author_from_byline("BY John Smith.") == "John Smith"
    assert author_from_byline("By RIA Novosti", "RIA Novosti") == ""
    assert author_from_byline("") == ""


def test_citation_key_is_outlet_year_and_archive_id():
    assert citation_key("RIA Novosti", date(2007, 10, 12), 3) == "ria-novosti-2007-3"
    assert citation_key("", None, 9) == "article-nd-9"


def test_bibtex_entry_names_outlet_as_journal_with_date_and_archive_url():
    entry = bibtex(make_reference(via="GlobalSecurity.org"))
    assert entry.startswith("@article{ria-novosti-2007-3,\n")
    assert "  journal = {RIA Novosti},\n" in entry
    assert "  year = 2007,\n  month = oct,\n  day = 12,\n  date = {2007-10-12},\n" in entry
    assert f"  url = {{{URL}}},\n" in entry
    assert "  urldate = {2025-11-22},\n" in entry
    assert "note = {Archived at Talks Archive; captured via GlobalSecurity.org}" in entry
    assert entry.endswith("}\n")


def test_bibtex_escapes_characters_that_would_break_the_entry():
    entry = bibtex(make_reference(title="50% of {talks} & $costs #1_a~b^c\\d"))
    assert (
        r"title = {50\% of \textbraceleft{}talks\textbraceright{} \& \$costs "
        r"\#1\_a\textasciitilde{}b\textasciicircum{}c\textbackslash{}d}" in entry
    )


def bibtex_fields(entry: str) -> dict[str, str]:
    """The fields of one BibTeX entry as BibTeX reads them: braces nest, and a backslash
    does not keep a brace from counting."""
    body = entry[entry.index(",") + 1 : entry.rindex("}")]
    fields, at = {}, 0
    while body[at:].strip(" ,\n"):
        equals = body.index("=", at)
        name = body[at:equals].strip(" ,\n").lower()
        at = equals + 1
        while body[at] == " ":
            at += 1
        start, depth = at, 0
        closing = {"{": "}", '"': '"'}.get(body[at])
        if closing:
            at += 1
        while at < len(body):
            char = body[at]
            if depth == 0 and (char == closing or (closing is None and char == ",")):
                break
            depth += {"{": 1, "}": -1}.get(char, 0)
            at += 1
        at += 1 if closing else 0
        assert name not in fields, f"{name} given twice"
        fields[name] = body[start:at].strip()
    return fields


def test_bibtex_fields_cannot_be_forged_from_a_headline_or_byline():
    forged = 'Gabala radar}, author = "Mallory Forger", year = 1999, url = {http://evil.example/}'
    entry = bibtex(
        make_reference(title=forged, byline="Andrei Ivanov} ,journal={Forged", source="RIA{")
    )
    fields = bibtex_fields(entry)
    assert set(fields) == {
        "title", "author", "journal", "year", "month", "day", "date", "url", "urldate", "note"
    }  # fmt: skip
    assert fields["author"].startswith("{Andrei Ivanov")
    assert "Mallory Forger" in fields["title"]
    assert fields["year"] == "2007"
    assert fields["url"] == f"{{{URL}}}"
    for value in fields.values():
        assert value.count("{") == value.count("}")
    odd_url = bibtex_fields(bibtex(make_reference(url="https://a.example/x}, year = 1999")))
    assert odd_url["url"] == "{https://a.example/x%7D,%20year%20=%201999}"
    assert odd_url["year"] == "2007"


def test_bibtex_leaves_out_date_fields_for_an_undated_article():
    entry = bibtex(make_reference(published=None))
    assert "year =" not in entry
    assert "  date =" not in entry


def test_ris_record_is_a_news_item_with_crlf_lines():
    record = ris(make_reference(byline="Jane Smith"))
    lines = record.split("\r\n")
    assert lines[0] == "TY  - NEWS"
    assert "TI  - Russia, U.S. fail to agree on key issues at defense talks" in lines
    assert "AU  - Jane Smith" in lines
    assert "T2  - RIA Novosti" in lines
    assert "PY  - 2007" in lines
    assert "DA  - 2007/10/12" in lines
    assert f"UR  - {URL}" in lines
    assert "Y2  - 2025/11/22" in lines
    assert lines[-2:] == ["ER  - ", ""]


def test_ris_value_cannot_start_a_new_tag_with_a_line_break():
    record = ris(make_reference(title="Talks\r\nER  - injected"))
    assert "TI  - Talks ER - injected\r\n" in record
    assert record.count("ER  - ") == 1


def test_reference_for_reads_an_article_and_its_capture_site():
    article = SimpleNamespace(
        pk=3,
        title="Russia, U.S. fail to agree",
        source=SimpleNamespace(name="RIA Novosti"),
        captured_via="GlobalSecurity.org",
        byline="By RIA Novosti",
        published_date=date(2007, 10, 12),
    )
    ref = reference_for(article, URL, ACCESSED)
    assert ref.source == "RIA Novosti"
    assert ref.via == "GlobalSecurity.org"
    assert ref.byline == ""
    assert ref.key == "ria-novosti-2007-3"
    assert ref.url == URL
