"""The curated lists between their specs (what the analysis matches against) and their rows
(what staff edit in the admin): one mapping each way, used by the data migration, by
`analyse_articles --catalogue-only` and by every analysis run."""

from __future__ import annotations

from articles.analysis import catalogue
from articles.analysis.catalogue import PersonSpec, RoundSpec, TopicSpec


def _joined(values: tuple[str, ...]) -> str:
    return "\n".join(values)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def person_fields(spec: PersonSpec) -> dict:
    return {
        "name": spec.name,
        "role": spec.role,
        "surname": spec.surname,
        "pronoun": spec.pronoun,
        "variants": _joined(spec.variants),
        "role_words": _joined(spec.role_words),
    }


def topic_fields(spec: TopicSpec) -> dict:
    return {
        "name": spec.name,
        "description": spec.description,
        "patterns": _joined(spec.patterns),
        "weak_patterns": _joined(spec.weak_patterns),
    }


def round_fields(spec: RoundSpec) -> dict:
    return {
        "name": spec.name,
        "start": spec.start,
        "end": spec.end,
        "place": spec.place,
        "place_variants": _joined(spec.place_variants),
        "parties": ", ".join(spec.parties),
        "keywords": _joined(spec.keywords),
        "description": spec.description,
    }


def person_spec(row) -> PersonSpec:
    return PersonSpec(
        slug=row.slug,
        name=row.name,
        role=row.role,
        surname=row.surname,
        pronoun=row.pronoun,
        variants=_lines(row.variants),
        role_words=_lines(row.role_words),
    )


def topic_spec(row) -> TopicSpec:
    return TopicSpec(
        slug=row.slug,
        name=row.name,
        description=row.description,
        patterns=_lines(row.patterns),
        weak_patterns=_lines(row.weak_patterns),
    )


def round_spec(row) -> RoundSpec:
    """`row` comes with its participants and topics prefetched."""
    return RoundSpec(
        slug=row.slug,
        name=row.name,
        start=row.start,
        end=row.end,
        place=row.place,
        place_variants=_lines(row.place_variants),
        parties=tuple(x.strip() for x in row.parties.split(",") if x.strip()),
        participants=tuple(p.slug for p in row.participants.all()),
        topics=tuple(t.slug for t in row.topics.all()),
        keywords=_lines(row.keywords),
        description=row.description,
    )


def add_curated_lists(person_model, topic_model, round_model) -> int:
    """Add the curated people, topics and rounds of the data file that are not in the
    database yet; rows staff have edited are left as they are. Takes the model classes so
    a migration can pass its historical models."""
    created = 0
    for spec in catalogue.PEOPLE:
        created += person_model.objects.get_or_create(slug=spec.slug, defaults=person_fields(spec))[
            1
        ]
    for spec in catalogue.TOPICS:
        created += topic_model.objects.get_or_create(slug=spec.slug, defaults=topic_fields(spec))[1]
    for spec in catalogue.ROUNDS:
        talks_round, new = round_model.objects.get_or_create(
            slug=spec.slug, defaults=round_fields(spec)
        )
        if new:
            talks_round.participants.set(person_model.objects.filter(slug__in=spec.participants))
            talks_round.topics.set(topic_model.objects.filter(slug__in=spec.topics))
        created += new
    return created
