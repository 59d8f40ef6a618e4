"""The curated knowledge the analysis modules match against: people, topics, talks rounds.

Data only, as tuples of frozen dataclasses, so an editor can add a person or a round
without touching the matching code. Facts cover the first collection (US–Russia missile
defence talks, 2007–2008); roles and role words describe people as they were then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PersonSpec:
    """Someone the archive tracks; `variants` holds other full spellings (transliterations,
    Cyrillic, middle names) and, as single words, other spellings of the surname."""

    slug: str
    name: str
    role: str
    variants: tuple[str, ...]
    surname: str
    # Lower-case phrases that refer to the person once named ("the foreign minister");
    # quotations resolve them only against people already named in the same text.
    role_words: tuple[str, ...] = ()
    # "he" or "she": lets "she added" skip past a man named more recently.
    pronoun: str = "he"


@dataclass(frozen=True)
class TopicSpec:
    """A subject of the talks. One match of `patterns` is enough; `weak_patterns` (words
    that also appear in passing, such as "Iran" as the reason for the shield) need two."""

    slug: str
    name: str
    description: str
    patterns: tuple[str, ...]
    weak_patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoundSpec:
    """One meeting or round of talks, with what an article about it tends to mention."""

    slug: str
    name: str
    start: date
    end: date
    place: str
    place_variants: tuple[str, ...]
    parties: tuple[str, ...]
    participants: tuple[str, ...]
    topics: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class DatingCue:
    """A phrase that dates an undated article: "president-elect Medvedev" can only have
    been written between the election and the inauguration."""

    label: str
    requires: str  # a word every match contains, checked first because it is cheap
    pattern: str  # a regex, case-sensitive
    earliest: date
    latest: date


PEOPLE: tuple[PersonSpec, ...] = (
    PersonSpec(
        slug="condoleezza-rice",
        name="Condoleezza Rice",
        role="US Secretary of State",
        variants=("Condoleeza Rice", "Condi Rice", "Кондолиза Райс", "Кондолизза Райс", "Райс"),
        surname="Rice",
        role_words=(
            "the secretary of state",
            "the us secretary of state",
            "the american secretary of state",
            "the state secretary",
            "the us state secretary",
            "the top us diplomat",
            "the top american diplomat",
        ),
        pronoun="she",
    ),
    PersonSpec(
        slug="robert-gates",
        name="Robert Gates",
        role="US Secretary of Defense",
        variants=("Robert M. Gates", "Bob Gates", "Роберт Гейтс", "Гейтс"),
        surname="Gates",
        role_words=(
            "the defense secretary",
            "the defence secretary",
            "the us defense secretary",
            "the us defence secretary",
            "the secretary of defense",
            "the pentagon chief",
        ),
    ),
    PersonSpec(
        slug="sergei-lavrov",
        name="Sergei Lavrov",
        role="Russian Foreign Minister",
        variants=(
            "Sergey Lavrov",
            "Sergei Viktorovich Lavrov",
            "Sergey Viktorovich Lavrov",
            "Сергей Лавров",
            "Сергей Викторович Лавров",
            "Лавров",
        ),
        surname="Lavrov",
        role_words=(
            "the foreign minister",
            "the russian foreign minister",
            "the minister",
            "the russian minister",
            "the top russian diplomat",
            "russia's top diplomat",
        ),
    ),
    PersonSpec(
        slug="anatoly-serdyukov",
        name="Anatoly Serdyukov",
        role="Russian Defence Minister",
        variants=(
            "Anatoliy Serdyukov",
            "Anatoli Serdyukov",
            "Anatoly Eduardovich Serdyukov",
            "Анатолий Сердюков",
            "Сердюков",
        ),
        surname="Serdyukov",
        role_words=(
            "the defence minister",
            "the defense minister",
            "the russian defence minister",
            "the russian defense minister",
            "the minister",
        ),
    ),
    PersonSpec(
        slug="vladimir-putin",
        name="Vladimir Putin",
        role="Russian President (to May 2008), then Prime Minister",
        variants=(
            "Vladimir Vladimirovich Putin",
            "Wladimir Putin",
            "Владимир Путин",
            "Владимир Владимирович Путин",
            "Путин",
        ),
        surname="Putin",
        role_words=(
            "the russian president",
            "the president",
            "the russian leader",
            "the kremlin leader",
            "the outgoing president",
            "the russian prime minister",
        ),
    ),
    PersonSpec(
        slug="dmitry-medvedev",
        name="Dmitry Medvedev",
        role="Russian President-elect (March 2008), President from May 2008",
        variants=(
            "Dmitri Medvedev",
            "Dmitriy Medvedev",
            "Dmitrii Medvedev",
            "Dmitry Anatolyevich Medvedev",
            "Дмитрий Медведев",
            "Дмитрий Анатольевич Медведев",
            "Медведев",
        ),
        surname="Medvedev",
        role_words=("the president-elect", "the russian president-elect", "putin's successor"),
    ),
    PersonSpec(
        slug="george-w-bush",
        name="George W. Bush",
        role="US President",
        variants=("George Walker Bush", "George Bush", "Джордж Буш", "Буш"),
        surname="Bush",
        role_words=("the us president", "the american president", "the president"),
    ),
    PersonSpec(
        slug="sergei-kislyak",
        name="Sergei Kislyak",
        role="Russian Deputy Foreign Minister (ambassador to the US from July 2008)",
        variants=("Sergey Kislyak", "Sergei Kisliak", "Сергей Кисляк", "Кисляк"),
        surname="Kislyak",
        role_words=("the deputy foreign minister", "the russian deputy foreign minister"),
    ),
    PersonSpec(
        slug="john-rood",
        name="John Rood",
        role="Acting US Under Secretary of State for Arms Control and International Security",
        variants=("John C. Rood", "Джон Руд"),
        surname="Rood",
        role_words=("the acting under secretary", "the under secretary"),
    ),
    PersonSpec(
        slug="daniel-fried",
        name="Daniel Fried",
        role="US Assistant Secretary of State for European and Eurasian Affairs",
        variants=("Dan Fried", "Дэниел Фрид"),
        surname="Fried",
        role_words=("the assistant secretary of state",),
    ),
    PersonSpec(
        slug="nicholas-burns",
        name="Nicholas Burns",
        role="US Under Secretary of State for Political Affairs (to March 2008)",
        variants=("R. Nicholas Burns", "Nick Burns"),
        surname="Burns",
    ),
    PersonSpec(
        slug="william-burns",
        name="William Burns",
        role="US Ambassador to Russia (to May 2008)",
        variants=("William J. Burns", "Bill Burns", "Уильям Бернс"),
        surname="Burns",
        role_words=("the us ambassador", "the american ambassador"),
    ),
    PersonSpec(
        slug="yuri-baluyevsky",
        name="Yuri Baluyevsky",
        role="Chief of the Russian General Staff (to June 2008)",
        variants=(
            "Yury Baluyevsky",
            "Yuriy Baluyevsky",
            "Yuri Baluevsky",
            "Юрий Балуевский",
            "Baluevsky",
            "Балуевский",
        ),
        surname="Baluyevsky",
        role_words=("the chief of the general staff", "the chief of general staff"),
    ),
    PersonSpec(
        slug="lech-kaczynski",
        name="Lech Kaczynski",
        role="President of Poland",
        variants=("Lech Kaczyński", "Лех Качиньский", "Kaczyński"),
        surname="Kaczynski",
        role_words=("the polish president",),
    ),
    PersonSpec(
        slug="donald-tusk",
        name="Donald Tusk",
        role="Prime Minister of Poland (from November 2007)",
        variants=("Дональд Туск", "Туск"),
        surname="Tusk",
        role_words=("the polish prime minister", "the polish premier"),
    ),
    PersonSpec(
        slug="radoslaw-sikorski",
        name="Radoslaw Sikorski",
        role="Polish Foreign Minister (from November 2007)",
        variants=("Radosław Sikorski", "Radek Sikorski", "Радослав Сикорский", "Сикорский"),
        surname="Sikorski",
        role_words=("the polish foreign minister",),
    ),
    PersonSpec(
        slug="mirek-topolanek",
        name="Mirek Topolanek",
        role="Czech Prime Minister",
        variants=("Mirek Topolánek", "Мирек Тополанек", "Topolánek", "Тополанек"),
        surname="Topolanek",
        role_words=("the czech prime minister", "the czech premier"),
    ),
    PersonSpec(
        slug="karel-schwarzenberg",
        name="Karel Schwarzenberg",
        role="Czech Foreign Minister",
        variants=("Карел Шварценберг", "Шварценберг"),
        surname="Schwarzenberg",
        role_words=("the czech foreign minister",),
    ),
    PersonSpec(
        slug="javier-solana",
        name="Javier Solana",
        role="EU High Representative for Common Foreign and Security Policy",
        variants=("Хавьер Солана", "Солана"),
        surname="Solana",
        role_words=("the eu foreign policy chief",),
    ),
    PersonSpec(
        slug="jaap-de-hoop-scheffer",
        name="Jaap de Hoop Scheffer",
        role="NATO Secretary General",
        variants=("Яап де Хоп Схеффер", "Scheffer"),
        surname="de Hoop Scheffer",
        role_words=("the nato secretary general", "the nato chief"),
    ),
    PersonSpec(
        slug="stephen-hadley",
        name="Stephen Hadley",
        role="US National Security Adviser",
        variants=("Stephen J. Hadley", "Steve Hadley"),
        surname="Hadley",
        role_words=("the national security adviser",),
    ),
)

# Surnames that are also common words or other well-known people's names ("rice", Bill
# Gates, Laura Bush, the Kaczynski twins): alone they count only with supporting context.
SURNAMES_NEEDING_CONTEXT: frozenset[str] = frozenset(
    {"Rice", "Bush", "Gates", "Fried", "Burns", "Kaczynski", "Kaczyński"}
)


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(
        slug="missile-defence-europe",
        name="Missile defence in Europe",
        description="US plans for interceptors in Poland and a radar in the Czech Republic "
        "(the 'third site'), and Russia's objections.",
        patterns=(
            r"third (missile[- ]defen[cs]e )?site",
            r"(missile|interceptor|radar|anti-?missile)s?\b.{0,80}?\b(Poland|Czech)",
            r"(Poland|Polish|Czech)\b.{0,80}?\b(missiles?|interceptors?|radars?)",
            r"(missile[- ]defen[cs]es?|missile shield|anti-?missile (shield|system))"
            r".{0,40}?\b(in|for|into) (Central |Eastern |central |eastern )?Europe",
            r"European (missile[- ]defen[cs]es?|missile shield)",
            r"(?-i:ПРО) в Европе",
        ),
        weak_patterns=(
            r"missile[- ]defen[cs]es?",
            r"missile shield",
            r"anti-?missile",
            r"interceptors?",
            r"противоракетн\w*",
        ),
    ),
    TopicSpec(
        slug="cfe-treaty",
        name="CFE Treaty",
        description="The Treaty on Conventional Armed Forces in Europe and Russia's "
        "moratorium on it (from December 2007).",
        patterns=(
            r"(?-i:CFE)",
            r"Conventional (Armed )?Forces in Europe",
            r"(?-i:ДОВСЕ)",
        ),
    ),
    TopicSpec(
        slug="start-treaty",
        name="START and strategic arms reductions",
        description="The 1991 START-1 treaty (expiring December 2009), a successor, and "
        "the 2002 Moscow Treaty (SORT).",
        patterns=(
            r"(?-i:START)([- ]?(1|I|One|II|2))?",
            r"Strategic Arms Reduction",
            r"Strategic Offensive Reductions",
            r"(?-i:SORT)",
            r"Moscow Treaty",
            r"(?-i:СНВ)(-?1)?",
        ),
        weak_patterns=(r"arms reduction treat(y|ies)", r"strategic (offensive )?arms"),
    ),
    TopicSpec(
        slug="inf-treaty",
        name="INF Treaty",
        description="The 1987 Intermediate-Range Nuclear Forces Treaty, which Russia "
        "threatened to leave in 2007.",
        patterns=(r"(?-i:INF)", r"Intermediate[- ]Range Nuclear Forces", r"(?-i:РСМД)"),
    ),
    TopicSpec(
        slug="kosovo",
        name="Kosovo",
        description="Kosovo's status and its declaration of independence (17 February 2008).",
        patterns=(r"Kosovo", r"Pristina", r"Priština", r"Косов\w*", r"Приштин\w*"),
    ),
    TopicSpec(
        slug="iran",
        name="Iran",
        description="Iran's nuclear and missile programmes, as an issue in its own right; "
        "a passing mention as the reason for the shield is weak evidence.",
        patterns=(
            r"Iran('s)? nuclear",
            r"Iranian nuclear",
            r"Bushehr",
            r"(sanctions|resolution)s? (against|on) (Iran|Tehran)",
            r"Iran's (growing )?(ballistic )?missile",
        ),
        weak_patterns=(r"Iran", r"Iranian", r"Tehran", r"Иран\w*"),
    ),
    TopicSpec(
        slug="afghanistan-transit",
        name="Afghanistan transit",
        description="Transit across Russia and logistical support for the US-led "
        "operation in Afghanistan.",
        patterns=(
            r"transit\w*.{0,80}?Afghanistan",
            r"Afghanistan.{0,80}?transit\w*",
            r"logistic(al)? support.{0,80}?Afghanistan",
            r"Afghanistan.{0,80}?logistic(s|al)",
        ),
        weak_patterns=(r"Afghanistan", r"Afghan", r"Афганистан\w*"),
    ),
    TopicSpec(
        slug="gabala-radar",
        name="Gabala radar offer",
        description="Russia's offer (June 2007) of joint use of the Gabala radar in "
        "Azerbaijan, later widened to the new Armavir radar, instead of the third site.",
        patterns=(
            r"Gabala",
            r"Qabala",
            r"Габал\w*",
            r"Armavir",
            r"Армавир\w*",
            r"radar.{0,30}?\bin Azerbaijan",
            r"Azerbaijani radar",
        ),
    ),
    TopicSpec(
        slug="nato-enlargement",
        name="NATO enlargement",
        description="Ukraine's and Georgia's bids to join NATO and Russia's objection to "
        "the alliance's expansion.",
        patterns=(
            r"Membership Action Plan",
            r"(join|joining|entry into|accession to) NATO",
            r"NATO membership",
            r"membership (of|in) NATO",
        ),
        weak_patterns=(
            r"NATO (enlargement|expansion)",
            r"expansion of NATO",
            r"eastward expansion",
        ),
    ),
    TopicSpec(
        slug="strategic-framework",
        name="Strategic framework declaration",
        description="The US–Russia Strategic Framework Declaration adopted at Sochi on "
        "6 April 2008, and the talks that prepared it.",
        patterns=(
            r"strategic framework",
            r"framework (agreement|declaration|document)",
            r"Sochi declaration",
        ),
    ),
)


ROUNDS: tuple[RoundSpec, ...] = (
    RoundSpec(
        slug="heiligendamm-g8-2007-06",
        name="G8 summit, Heiligendamm, June 2007",
        start=date(2007, 6, 6),
        end=date(2007, 6, 8),
        place="Heiligendamm",
        place_variants=("Хайлигендамм",),
        parties=("United States", "Russia", "G8"),
        participants=("george-w-bush", "vladimir-putin"),
        topics=("missile-defence-europe", "gabala-radar"),
        keywords=("G8 summit", "G-8 summit", "Group of Eight summit"),
        description="Putin offered Bush joint use of the Gabala radar in Azerbaijan on "
        "7 June 2007 instead of the Czech radar.",
    ),
    RoundSpec(
        slug="kennebunkport-2007-07",
        name="Bush–Putin meeting, Kennebunkport, July 2007",
        start=date(2007, 7, 1),
        end=date(2007, 7, 2),
        place="Kennebunkport",
        place_variants=("Walker's Point", "Кеннебанкпорт"),
        parties=("United States", "Russia"),
        participants=("george-w-bush", "vladimir-putin"),
        topics=("missile-defence-europe", "gabala-radar"),
        keywords=("lobster summit",),
        description="The informal meeting at the Bush family home, where Putin widened his "
        "radar offer to Armavir and a NATO–Russia framework.",
    ),
    RoundSpec(
        slug="moscow-2plus2-2007-10",
        name="“Two-plus-two” ministerial talks, Moscow, October 2007",
        start=date(2007, 10, 12),
        end=date(2007, 10, 12),
        place="Moscow",
        place_variants=("Москва", "Москве", "Novo-Ogaryovo", "Novo-Ogarevo"),
        parties=("United States", "Russia"),
        participants=(
            "condoleezza-rice",
            "robert-gates",
            "sergei-lavrov",
            "anatoly-serdyukov",
            "vladimir-putin",
        ),
        topics=("missile-defence-europe", "cfe-treaty", "start-treaty", "inf-treaty"),
        keywords=("two-plus-two", "two plus two", "2+2", "2 + 2"),
        description="Foreign and defence ministers met on Friday 12 October 2007; Putin "
        "received Rice and Gates at his residence outside Moscow the same day.",
    ),
    RoundSpec(
        slug="moscow-2plus2-2008-03",
        name="“Two-plus-two” ministerial talks, Moscow, March 2008",
        start=date(2008, 3, 17),
        end=date(2008, 3, 18),
        place="Moscow",
        place_variants=("Москва", "Москве", "Novo-Ogaryovo", "Novo-Ogarevo"),
        parties=("United States", "Russia"),
        participants=(
            "condoleezza-rice",
            "robert-gates",
            "sergei-lavrov",
            "anatoly-serdyukov",
            "vladimir-putin",
            "dmitry-medvedev",
        ),
        topics=(
            "missile-defence-europe",
            "cfe-treaty",
            "start-treaty",
            "kosovo",
            "afghanistan-transit",
            "strategic-framework",
        ),
        keywords=("two-plus-two", "two plus two", "2+2", "2 + 2"),
        description="Rice and Gates met Putin and president-elect Medvedev on Monday "
        "17 March 2008; the ministers' talks were on Tuesday 18 March.",
    ),
    RoundSpec(
        slug="washington-experts-2008-03",
        name="Expert talks on the strategic framework, Washington, March 2008",
        start=date(2008, 3, 25),
        end=date(2008, 3, 27),
        place="Washington",
        place_variants=("Вашингтон", "Вашингтоне"),
        parties=("United States", "Russia"),
        participants=("john-rood", "sergei-kislyak"),
        topics=("missile-defence-europe", "strategic-framework"),
        keywords=("expert talks", "expert-level", "level of experts", "strategic framework"),
        description="Two days of talks led by John Rood and Sergei Kislyak, a follow-up to "
        "the March two-plus-two. RIA Novosti dates the end to Thursday 27 March; the start "
        "(26 March) is inferred, so the range begins a day earlier.",
    ),
    RoundSpec(
        slug="bucharest-nato-2008-04",
        name="NATO summit, Bucharest, April 2008",
        start=date(2008, 4, 2),
        end=date(2008, 4, 4),
        place="Bucharest",
        place_variants=("Romania", "Бухарест", "Бухаресте"),
        parties=("NATO", "United States", "Russia"),
        participants=("george-w-bush", "vladimir-putin", "jaap-de-hoop-scheffer"),
        topics=("nato-enlargement", "missile-defence-europe"),
        keywords=("NATO summit", "Bucharest summit", "NATO-Russia Council"),
        description="The alliance deferred Membership Action Plans for Ukraine and Georgia "
        "and endorsed the US sites; Putin attended the NATO-Russia Council on 4 April.",
    ),
    RoundSpec(
        slug="sochi-summit-2008-04",
        name="Bush–Putin summit, Sochi, April 2008",
        start=date(2008, 4, 6),
        end=date(2008, 4, 6),
        place="Sochi",
        place_variants=("Сочи", "Bocharov Ruchei", "Bocharov Ruchey"),
        parties=("United States", "Russia"),
        participants=("george-w-bush", "vladimir-putin", "dmitry-medvedev"),
        topics=("strategic-framework", "missile-defence-europe"),
        keywords=("Sochi summit", "strategic framework declaration", "Sochi declaration"),
        description="The last Bush–Putin summit; they adopted the US–Russia Strategic "
        "Framework Declaration.",
    ),
)


# Medvedev was elected on 2 March 2008 and inaugurated on 7 May 2008; Putin, who endorsed
# him on 10 December 2007, became Prime Minister on 8 May 2008.
DATING_CUES: tuple[DatingCue, ...] = (
    DatingCue(
        label="president-elect Medvedev",
        requires="Medvedev",
        pattern=r"[Pp]resident[- ]elect,?\s+(?:Dmitr\w+\s+)?Medvedev"
        r"|Medvedev,?\s+(?:the\s+|Russia's\s+)?(?:Russian\s+)?[Pp]resident[- ]elect",
        earliest=date(2008, 3, 2),
        latest=date(2008, 5, 7),
    ),
    DatingCue(
        label="Putin about to step down",
        requires="Putin",
        pattern=r"[Oo]utgoing\s+(?:Russian\s+)?[Pp]residents?,?\s+(?:Vladimir\s+)?Putin"
        r"|Putin\W+(?:\w+\W+){0,4}?(?:steps|stepping|will step|is to step)\s+down"
        r"|Putin's\s+successor",
        earliest=date(2007, 12, 10),
        latest=date(2008, 5, 7),
    ),
    DatingCue(
        label="President Medvedev",
        requires="Medvedev",
        pattern=r"President\s+(?:Dmitr\w+\s+)?Medvedev",
        earliest=date(2008, 5, 7),
        latest=date(2012, 5, 7),
    ),
    DatingCue(
        label="Prime Minister Putin",
        requires="Putin",
        pattern=r"(?:Prime Minister|Premier)\s+(?:Vladimir\s+)?Putin",
        earliest=date(2008, 5, 8),
        latest=date(2012, 5, 7),
    ),
)
