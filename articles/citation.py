"""How to cite an archived article: a Chicago-like line, BibTeX and RIS.

Pure functions over a small record, so every format can be tested with plain values and the
views only decide the permalink and the access date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.utils.text import slugify

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Characters BibTeX treats as commands or grouping; escaped so a title can't break the entry.
# BibTeX counts every brace, escaped or not, to find where a value ends: a lone "\}" in a
# headline would close the field and let the rest be read as fields of its own. Braces
# become commands whose own braces are balanced.
BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# Bylines often print a credit rather than a name: "By RIA Novosti", "BY JOHN SMITH".
BYLINE_PREFIX = re.compile(r"^\s*by\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """What a citation says about one article, as plain values."""

    title: str
    url: str
    accessed: date
    source: str = ""
    via: str = ""
    byline: str = ""
    published: date | None = None
    archive: str = "Talks Archive"
    key: str = "article"


def reference_for(article: Any, url: str, accessed: date) -> Reference:
    """The reference for an Article (or anything with its attributes)."""
    source = article.source.name if article.source else ""
    return Reference(
        title=article.title,
        url=url,
        accessed=accessed,
        source=source,
        via=getattr(article, "captured_via", ""),
        byline=author_from_byline(article.byline, source),
        published=article.published_date,
        archive=getattr(settings, "ARCHIVE_SITE_NAME", "Talks Archive"),
        key=citation_key(source, article.published_date, article.pk),
    )


def author_from_byline(byline: str, source: str = "") -> str:
    """The author named by a byline; empty when it only repeats the outlet's name."""
    author = " ".join(BYLINE_PREFIX.sub("", byline or "").split()).strip(" ,.;:")
    if source and author.casefold() == source.casefold():
        return ""
    return author


def citation_key(source: str, published: date | None, pk: int | None) -> str:
    """A stable BibTeX key: outlet, year and archive id (ria-novosti-2007-12)."""
    parts = [slugify(source) or "article", str(published.year) if published else "nd", str(pk)]
    return "-".join(part for part in parts if part and part != "None")


def long_date(day: date) -> str:
    """ "October 12, 2007": the month-first form Chicago style uses."""
    return f"{MONTH_NAMES[day.month - 1]} {day.day}, {day.year}"


def chicago(ref: Reference) -> str:
    """A Chicago-style note: Byline, "Title," Source, Month Day, Year. Archived at URL."""
    title = " ".join(ref.title.split())
    # Chicago drops the comma after a title that ends in its own ? or !.
    quoted = f"\u201c{title}\u201d" if title.endswith(("?", "!")) else f"\u201c{title},\u201d"
    outlet = ref.source or "Unknown source"
    when = f"{long_date(ref.published)}." if ref.published else "n.d."
    lead = f"{ref.byline}, " if ref.byline else ""
    return (
        f"{lead}{quoted} {outlet}, {when} Archived at {ref.url} "
        f"(accessed {long_date(ref.accessed)})."
    )


def bibtex_escape(text: str) -> str:
    """Text as a BibTeX value holds it: on one line, specials escaped, braces balanced."""
    return "".join(BIBTEX_SPECIALS.get(char, char) for char in " ".join(text.split()))


def bibtex_url(url: str) -> str:
    """A URL as a BibTeX value holds it: URL fields are read verbatim, so characters that
    would end or break the value are percent-encoded instead of escaped."""
    return quote(" ".join(url.split()), safe="/:?#[]@!$&'()*+,;=%~-._")


def bibtex(ref: Reference) -> str:
    """A BibTeX @article entry naming the outlet as the journal and the archive copy's URL."""
    fields: list[tuple[str, str]] = [("title", f"{{{bibtex_escape(ref.title)}}}")]
    if ref.byline:
        fields.append(("author", f"{{{bibtex_escape(ref.byline)}}}"))
    fields.append(("journal", f"{{{bibtex_escape(ref.source or 'Unknown source')}}}"))
    if ref.published:
        fields += [
            ("year", str(ref.published.year)),
            ("month", BIBTEX_MONTHS[ref.published.month - 1]),
            ("day", str(ref.published.day)),
            ("date", f"{{{ref.published.isoformat()}}}"),
        ]
    note = f"Archived at {ref.archive}"
    if ref.via:
        note += f"; captured via {ref.via}"
    fields += [
        ("url", f"{{{bibtex_url(ref.url)}}}"),
        ("urldate", f"{{{ref.accessed.isoformat()}}}"),
        ("note", f"{{{bibtex_escape(note)}}}"),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@article{{{ref.key},\n{body}\n}}\n"


def ris_line(tag: str, value: str) -> str:
    # RIS is line-based: a newline inside a value would start a bogus tag.
    return f"{tag}  - {' '.join(value.split())}"


def ris(ref: Reference) -> str:
    """An RIS record of type NEWS (Zotero, EndNote, Mendeley); lines end with CRLF."""
    lines = [ris_line("TY", "NEWS"), ris_line("TI", ref.title)]
    if ref.byline:
        lines.append(ris_line("AU", ref.byline))
    lines.append(ris_line("T2", ref.source or "Unknown source"))
    if ref.published:
        lines += [
            ris_line("PY", str(ref.published.year)),
            ris_line("DA", ref.published.strftime("%Y/%m/%d")),
        ]
    lines += [
        ris_line("UR", ref.url),
        ris_line("Y2", ref.accessed.strftime("%Y/%m/%d")),
        ris_line("DB", ref.archive),
    ]
    if ref.via:
        lines.append(ris_line("N1", f"Captured via {ref.via}"))
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"
