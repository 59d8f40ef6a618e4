"""Reading more out of an article than a search index does: people and their quotations,
topics, the round of talks it covers, and whether it is a republished copy.

Pure Python, no Django: text in, frozen dataclasses out. The curated people, topics and
rounds live in `catalogue`; each module takes its table as an argument (the catalogue by
default) so tests and editors can try other tables.

- people.find_people(text) -> Mention per catalogue person named
- quotations.find_quotations(paragraphs) -> Quotation per attributed quote
- topics.find_topics(text) -> topic slugs
- rounds.suggest_rounds(published=, dateline=, text=, people=) -> RoundSuggestion, best first
- duplicates.fingerprint(text), bands, hamming
"""
