"""What we know about sources, page clutter and date formats, kept as data.

Adding an outlet, a clutter line or a date format means adding a row here, not code.
Every regex below is matched against ONE whole, whitespace-collapsed line (fullmatch),
which is what keeps a name mentioned inside a paragraph from counting as a credit.
"""

from __future__ import annotations

from dataclasses import dataclass

REVIEW_REASONS: dict[str, str] = {
    "title_derived": "Title derived from the lead",
    "date_unknown": "Publication date unknown",
    "date_ambiguous": "Publication date ambiguous (day and month could be swapped)",
    "date_implausible": "Publication date implausible (in the future or before 1900)",
    "source_unknown": "Credited source unknown",
    "source_uncertain": "Source named from the page's own statements (its site name or "
    "publisher), not a known outlet",
    "encoding_fallback": "Not UTF-8: decoded as Windows-1252 (or UTF-16 with a BOM)",
    "body_uncertain": "Body may not be the article (only navigation, or prose left out): "
    "see its evidence",
    "text_repaired": "Text repaired from mojibake (UTF-8 once read as Windows-1252)",
    "title_uncertain": "Title guessed from the page's layout, with little to confirm it",
    "date_uncertain": "Publication date found away from the headline and byline",
    "date_conflicting": "Several different dates near the headline: none was taken",
    "byline_uncertain": "Byline guessed from a name near the headline",
}


@dataclass(frozen=True)
class SourceSignature:
    """A news outlet. `aliases` are the names it is printed under in credits and mastheads."""

    name: str
    slug: str
    kind: str  # agency, broadcaster, newspaper, aggregator, blog, website
    homepage: str
    aliases: tuple[str, ...]
    hosts: tuple[str, ...] = ()  # web hosts, for HTML captures and "captured from"
    dayfirst: bool | None = None  # how it writes numeric dates, when it has a house style
    tz: str | None = None  # zone its bare clock times are given in


SOURCES: tuple[SourceSignature, ...] = (
    SourceSignature(
        "RIA Novosti",
        "ria-novosti",
        "agency",
        "https://ria.ru/",
        ("RIA Novosti", "RIA-Novosti", "RIA", "Novosti", "RIA Novosti news agency"),
        ("ria.ru", "en.rian.ru", "rian.ru", "sputniknews.com"),
        dayfirst=True,
        tz="Europe/Moscow",
    ),
    SourceSignature(
        "BBC News",
        "bbc-news",
        "broadcaster",
        "https://www.bbc.co.uk/news",
        ("BBC News", "BBC", "BBC News Online", "BBC World Service"),
        ("bbc.co.uk", "news.bbc.co.uk", "bbc.com"),
        dayfirst=True,
        tz="Europe/London",
    ),
    SourceSignature(
        "GlobalSecurity.org",
        "globalsecurity-org",
        "website",
        "https://www.globalsecurity.org/",
        ("GlobalSecurity.org", "GlobalSecurity", "Global Security"),
        ("globalsecurity.org",),
    ),
    SourceSignature(
        "Reuters",
        "reuters",
        "agency",
        "https://www.reuters.com/",
        ("Reuters", "Thomson Reuters"),
        ("reuters.com",),
    ),
    SourceSignature(
        "Associated Press",
        "associated-press",
        "agency",
        "https://apnews.com/",
        ("Associated Press", "The Associated Press", "AP"),
        ("apnews.com", "ap.org"),
        dayfirst=False,
        tz="America/New_York",
    ),
    SourceSignature(
        "Agence France-Presse",
        "afp",
        "agency",
        "https://www.afp.com/",
        ("AFP", "Agence France-Presse", "Agence France Presse"),
        ("afp.com",),
        dayfirst=True,
    ),
    SourceSignature(
        "Interfax",
        "interfax",
        "agency",
        "https://www.interfax.ru/",
        ("Interfax", "Interfax news agency"),
        ("interfax.ru", "interfax.com"),
        dayfirst=True,
        tz="Europe/Moscow",
    ),
    SourceSignature(
        "ITAR-TASS",
        "itar-tass",
        "agency",
        "https://tass.com/",
        ("ITAR-TASS", "ITAR TASS", "TASS"),
        ("itar-tass.com", "tass.com", "tass.ru"),
        dayfirst=True,
        tz="Europe/Moscow",
    ),
    SourceSignature(
        "RT",
        "rt",
        "broadcaster",
        "https://www.rt.com/",
        ("RT", "Russia Today"),
        ("rt.com", "russiatoday.com", "russiatoday.ru"),
        dayfirst=True,
        tz="Europe/Moscow",
    ),
    SourceSignature(
        "The Guardian",
        "the-guardian",
        "newspaper",
        "https://www.theguardian.com/",
        ("The Guardian", "Guardian", "guardian.co.uk"),
        ("theguardian.com", "guardian.co.uk"),
        dayfirst=True,
        tz="Europe/London",
    ),
    SourceSignature(
        "The New York Times",
        "the-new-york-times",
        "newspaper",
        "https://www.nytimes.com/",
        ("The New York Times", "New York Times", "NYT"),
        ("nytimes.com",),
        dayfirst=False,
        tz="America/New_York",
    ),
    SourceSignature(
        "The Washington Post",
        "the-washington-post",
        "newspaper",
        "https://www.washingtonpost.com/",
        ("The Washington Post", "Washington Post"),
        ("washingtonpost.com",),
        dayfirst=False,
        tz="America/New_York",
    ),
    SourceSignature(
        "Voice of America",
        "voice-of-america",
        "broadcaster",
        "https://www.voanews.com/",
        ("Voice of America", "VOA", "VOA News"),
        ("voanews.com",),
        dayfirst=False,
    ),
    SourceSignature(
        "Radio Free Europe/Radio Liberty",
        "rferl",
        "broadcaster",
        "https://www.rferl.org/",
        ("Radio Free Europe/Radio Liberty", "RFE/RL", "Radio Free Europe", "Radio Liberty"),
        ("rferl.org",),
    ),
    SourceSignature(
        "Deutsche Welle",
        "deutsche-welle",
        "broadcaster",
        "https://www.dw.com/",
        ("Deutsche Welle", "DW", "DW News"),
        ("dw.com", "dw-world.de"),
        dayfirst=True,
    ),
    SourceSignature(
        "CNN",
        "cnn",
        "broadcaster",
        "https://www.cnn.com/",
        ("CNN", "CNN.com"),
        ("cnn.com", "edition.cnn.com"),
        dayfirst=False,
    ),
    SourceSignature(
        "Al Jazeera",
        "al-jazeera",
        "broadcaster",
        "https://www.aljazeera.com/",
        ("Al Jazeera", "Al Jazeera English", "Aljazeera"),
        ("aljazeera.com", "aljazeera.net", "english.aljazeera.net"),
    ),
    SourceSignature(
        "Xinhua",
        "xinhua",
        "agency",
        "http://www.xinhuanet.com/english/",
        ("Xinhua", "Xinhua News Agency"),
        ("xinhuanet.com", "news.cn"),
    ),
    SourceSignature(
        "The Moscow Times",
        "the-moscow-times",
        "newspaper",
        "https://www.themoscowtimes.com/",
        ("The Moscow Times", "Moscow Times"),
        ("themoscowtimes.com",),
        dayfirst=True,
        tz="Europe/Moscow",
    ),
)


@dataclass(frozen=True)
class SourcePattern:
    """A whole line that tells us about a source.

    role: "credit" (the article is credited to it), "site" (the capture was taken from its
    site), or "masthead" (both). `footer` lines end the article: what follows is page chrome.
    """

    slug: str
    role: str
    pattern: str
    footer: bool = False


SOURCE_PATTERNS: tuple[SourcePattern, ...] = (
    SourcePattern(
        "bbc-news",
        "site",
        r"The BBC is not responsible for the content of external "
        r"(?:internet )?sites\.?",
        footer=True,
    ),
    SourcePattern("bbc-news", "site", r"(?:watch )?One-Minute World News"),
    SourcePattern("bbc-news", "masthead", r"BBC NEWS \| .{2,60}"),
    SourcePattern(
        "globalsecurity-org", "site", r"Join the GlobalSecurity\.org mailing list", footer=True
    ),
    SourcePattern(
        "globalsecurity-org",
        "site",
        r"Copyright ©? ?\d{4}(?:-\d{4})?,? GlobalSecurity\.org.*",
        footer=True,
    ),
    SourcePattern(
        "reuters",
        "credit",
        r"\((?:Reporting|Additional reporting|Writing) by [^)]{2,200}"
        r"\)",
    ),
    SourcePattern(
        "associated-press",
        "credit",
        r"Associated Press writers? .{2,120} contributed(?: to this report)?\.?",
    ),
    SourcePattern("rt", "site", r"RT \(Russia Today\)"),
)


@dataclass(frozen=True)
class ClutterPattern:
    """A whole line that is page furniture, never article text.

    `footer`: the article is over once this line appears. `hint_kind`: the line tells
    what kind of site the capture came from (e.g. Blogger's "No comments:").
    """

    pattern: str
    footer: bool = False
    hint_kind: str | None = None
    # A word the line must contain (lower case) before the pattern is tried: keeps
    # patterns that look through a whole line from slowing down every line.
    keyword: str = ""


_SKIP_LINK = (
    r"(?:(?:Skip|Jump|Go) to (?:the )?(?:main |primary |secondary )?"
    r"(?:content|navigation|search|article|sidebar|footer|menu)|Skip navigation|"
    r"(?:Direkt )?(?:[Zz]um|[Zz]ur) (?:Inhalt|Hauptinhalt|Navigation|Hauptnavigation|Suche|"
    r"Startseite|Fußzeile|Footer)(?: (?:springen|wechseln))?|Navigation überspringen|"
    r"Überspringen zum? (?:Hauptinhalt|Inhalt)|Aller au contenu(?: principal)?|"
    r"Saltar al contenido(?: principal)?|Vai al contenuto)"
)
CLUTTER_PATTERNS: tuple[ClutterPattern, ...] = (
    ClutterPattern(r"UNITED24 - Make a charitable donation in support of Ukraine!?"),
    ClutterPattern(r"(?:Make|Please make) a (?:charitable )?donation.{0,80}"),
    ClutterPattern(r"(?:Support|Donate to) (?:us|our journalism).{0,60}"),
    ClutterPattern(
        r"To (?:watch|see|view|read) the full .{3,150}(?:follow|click|see) (?:the )?link\.?"
    ),
    ClutterPattern(r"(?:Click|Tap) here to .{3,100}"),
    ClutterPattern(r"(?:Read|See|Watch) (?:more|also|the video)\b.{0,80}"),
    ClutterPattern(
        r"(?:Print|E-?mail|Share)(?: (?:this|to a friend|page|story|article))?"
        r"(?: ?[|/] ?(?:Print|E-?mail|Share|Facebook|Twitter)(?: this)?)*"
    ),
    ClutterPattern(r"(?:Share|Follow us) on (?:Facebook|Twitter|X).{0,60}"),
    ClutterPattern(r"Advertisement|ADVERTISEMENT|Sponsored(?: content)?"),
    ClutterPattern(r"(?:Sign up|Subscribe) (?:for|to) (?:our|the) .{3,80}"),
    ClutterPattern(r"Join (?:our|the) .{2,60} mailing list"),
    ClutterPattern(r"All rights reserved\.?"),
    ClutterPattern(r"Article history|Comments \(\d+\)|Most (?:read|viewed|popular)"),
    ClutterPattern(
        r"(?:Related|Top|More) (?:stories|links|articles|internet links|coverage|content|news)"
        r"(?: from the BBC| on this story)?:?",
        footer=True,
    ),
    ClutterPattern(r"(?:No|\d+) comments?:", footer=True, hint_kind="blog"),
    ClutterPattern(r"Post a Comment", footer=True, hint_kind="blog"),
    ClutterPattern(r"Subscribe to: Post Comments \(Atom\)", footer=True, hint_kind="blog"),
    ClutterPattern(r"Labels?: .{1,200}", hint_kind="blog"),
    ClutterPattern(
        r"Posted by .{1,60} at \d{1,2}:\d{2}(?: ?[AP]M)?", footer=True, hint_kind="blog"
    ),
    ClutterPattern(r"(?:Newer|Older) Posts?(?: (?:Home|Older Posts?))*", hint_kind="blog"),
    ClutterPattern(r"Leave a (?:comment|reply)", footer=True, hint_kind="blog"),
    # Skip links for screen readers and keyboards, at the top of most pages, one or a few
    # run together on a line ("Zur Navigation springen Zum Inhalt springen").
    ClutterPattern(rf"{_SKIP_LINK}(?:\s*[-|·•]?\s*{_SKIP_LINK})*"),
    # Cookie and consent prompts, in the languages of the pages users save.
    ClutterPattern(
        r".{0,200}\b(?:[Ww]e use|uses|[Vv]erwende[nt]|[Nn]utz(?:en|t)|[Ee]insatz von|"
        r"utilis(?:e|ons|ent)|usamos|utilizamos|utilizza|gebruik(?:t|en))\b.{0,80}\b"
        r"[Cc]ookies?\b.{0,300}",
        keyword="cookie",
    ),
    ClutterPattern(
        r".{0,200}\b[Cc]ookies?\b.{0,120}\b(?:accept|akzeptier|zustimm|[Ee]inwillig|"
        r"consent|[Dd]atenschutz|privacy|accepte|aceptar?|acconsent).{0,300}",
        keyword="cookie",
    ),
    # A reading time ("Lesezeit: 3 min", "5 min read", "Temps de lecture : 2 minutes").
    ClutterPattern(
        r"(?:(?:Lesezeit|Lesedauer|Reading time|Read time|Temps de lecture|Tiempo de lectura)"
        r"\s?:?\s?(?:ca\.\s?)?\d+\s?(?:Min(?:uten?)?|min(?:utes?|s)?)\.?|(?:ca\.\s?)?\d+\s?"
        r"(?:Min(?:uten?)?|min(?:utes?|s)?)\.?\s(?:Lesezeit|Lesedauer|read|reading time|"
        r"de lecture|de lectura))"
    ),
    # A paywall's label or prompt ("Für Abonnenten", "Para suscriptores", "Subscribers
    # only", "Registrate para acceder a 10 artículos gratis por mes").
    ClutterPattern(
        r"(?:(?:Nur|Exklusiv|Only|Exclusive|Solo|Exclusivo|Réservé)\s)?(?:[Ff]ür|[Ff]or|to|[Pp]ara|aux)?\s?"
        r"(?:Abonnenten|Abonnentinnen und Abonnenten|[Ss]ubscribers|suscriptores|abonnés)"
        r"(?:\s(?:only|exklusiv))?"
    ),
    ClutterPattern(
        r"(?:Reg[ií]strate|Suscr[ií]bete|Subscribe now|Jetzt abonnieren|Abonnez-vous)\b.{0,120}"
    ),
    ClutterPattern(r".{0,80}\bl[ií]mite de (?:notas|art[ií]culos)\b.{0,80}", keyword="mite de"),
    ClutterPattern(r".{0,80}\bfree articles? left\b.{0,80}", keyword="free article"),
    # A newsletter's prompt or menu entry ("Holen Sie sich meinen kostenlosen Newsletter",
    # "Recevez gratuitement notre newsletter", "Sign up to Newsletters"): no sentence, or
    # one asking the reader to sign up. A report's sentence naming a newsletter stays text.
    ClutterPattern(
        r"[^.!?]{0,80}\b[Nn]ewsletter\w*\b[^.!?]{0,80}"
        r"|(?=.{0,160}\b[Nn]ewsletter).{0,80}\b(?:[Ss]ign(?:ing)? up|[Ss]ubscribe|[Aa]bonn\w*|"
        r"[Aa]nmeld\w*|[Ii]nscri\w*|[Ss]uscr[ií]b\w*|[Rr]egist\w*|[Rr]ecev\w*)\b.{0,80}",
        keyword="newsletter",
    ),
    # A prompt asking what the reader thought of the article ("War der Artikel nützlich?").
    ClutterPattern(
        r"(?:(?:Möchten|Wollen) Sie (?:den|diesen) (?:Artikel|Beitrag) teilen|"
        r"(?:War|Ist) (?:der|dieser) (?:Artikel|Beitrag) (?:nützlich|hilfreich)|"
        r"(?:Was|Is) this (?:article|post|page) (?:helpful|useful))\?.{0,80}"
    ),
    # An audio player's label ("Artikel anhören", "Listen to this article", "Escucha esta
    # nota aquí") and a table of contents' heading.
    ClutterPattern(
        r"(?:Artikel (?:an|vor)hören|Vorlesen|Listen to (?:this )?(?:article|story)|"
        r"[Ee]scuch(?:a|ar) (?:esta nota|este artículo|la noticia|el artículo)(?: aquí)?|"
        r"Escuchar artículo|[ÉE]couter (?:cet )?article|(?:Zum )?Weiterlesen:?)"
    ),
    ClutterPattern(
        r"(?:Inhaltsverzeichnis|Table of [Cc]ontents|Sommaire|Índice)(?: [\[(].{1,20}[\])])?"
    ),
    # A prompt to pay for the journalism just read ("Unterstützen Sie diese Form des
    # Journalismus").
    ClutterPattern(
        r".{0,80}\b(?:[Uu]nterstützen Sie (?:diese Form des |unabhängigen |unseren )?Journalismus|"
        r"[Ss]upport (?:independent|quality) journalism)\b.{0,80}",
        keyword="journalism",
    ),
    # A comment form's heading, with its first fields run into it ("Hinterlasse eine
    # Antwort Antwort verwerfenIhre E-Mail-Adresse wird nicht veröffentlicht."): what
    # follows is the readers'.
    ClutterPattern(
        r"(?:Hinterlasse (?:eine Antwort|einen Kommentar)|Schreibe einen Kommentar|"
        r"Leave a (?:Reply|Comment|reply|comment)|Laisser un commentaire)\b.{1,200}",
        footer=True,
        hint_kind="blog",
    ),
    # A link back from another blog, listed among the comments.
    ClutterPattern(r"(?:Pingback|Trackback): .{1,200}", hint_kind="blog"),
    # Keyboard shortcuts announced for screen readers ("Skip to search - Accesskey = s").
    ClutterPattern(r".{0,60}\b[Aa]ccess ?[Kk]eys?\b.{0,40}", keyword="access"),
    # Blog platforms' notes under the comment form and follow-by-e-mail boxes.
    ClutterPattern(r".{0,60}\bAkismet\b.{0,200}", keyword="akismet"),
    ClutterPattern(
        r"(?:Gib deine E-Mail-Adresse ein, um diese[mn] (?:Blog|Website) zu folgen|"
        r"Um neue Beiträge per E-Mail zu erhalten).{0,200}",
        keyword="e-mail",
    ),
    ClutterPattern(r"Enter your email address to (?:subscribe|follow).{0,200}", keyword="email"),
    # Affiliate disclosures, which name the links ("Für Links auf dieser Seite erhält GIGA
    # ggf. eine Provision vom Händler", "We may earn a commission from links on this page").
    ClutterPattern(
        r"(?=.{0,200}\b[Ll]inks?\b).{0,120}\b(?:erhält|erhalten|bekommt|bekommen)\b.{0,60}"
        r"\bProvision\b.{0,120}",
        keyword="provision",
    ),
    ClutterPattern(
        r"(?=.{0,200}\b[Ll]inks?\b).{0,120}\b(?:earn|earns|receive|receives|get)\b.{0,40}"
        r"\bcommission\b.{0,160}",
        keyword="commission",
    ),
)

# Photo credits under a picture: "Foto: Nick Fedirko/Shutterstock", "APA/Georg Hochmuth",
# "© Oli Scarff/Getty Images". The line above one is the picture's caption.
PHOTO_CREDITS: tuple[str, ...] = (
    r"(?:Fotos?|Photos?|Bild(?:er)?|Bildquelle|Image|Credit|Crédit)\s*:\s*.{1,80}",
    r"(?:©|\(c\)|Foto:?)\s*[^\W\d_].{0,80}",
    # A word is taken whole ("*+"): what follows it is a space or a slash, which no shorter
    # part of it is followed by, so giving letters back could only fail again. Most lines
    # open with a capitalised word that would otherwise be given back letter by letter.
    r"[A-Z][\w.&-]*+(?: [A-Z][\w.&-]*+){0,2} ?/ ?[A-Z][\w.&-]*+(?: [A-Z][\w.&-]*+){0,3}",
)
CLUTTER_PATTERNS = (*CLUTTER_PATTERNS, *(ClutterPattern(credit) for credit in PHOTO_CREDITS))

# Short lines that open a page's comment section: no article text comes after one.
PAGE_ENDS: tuple[str, ...] = (
    "comments", "leave a reply", "leave a comment", "kommentare", "kommentar verfassen",
    "schreibe einen kommentar", "antworten abbrechen", "leserkommentare", "commentaires",
    "laisser un commentaire", "comentarios", "commenti", "reacties", "noch keine kommentare",
    "keine kommentare", "no comments", "diskussion",
)  # fmt: skip

# A comment section's heading that names the post ("5 thoughts on “Headline”", "Ein Gedanke
# zu „Headline“", "11 responses to ..."): after a count, these words open it.
COMMENT_HEADINGS: tuple[str, ...] = (
    "thoughts on", "thought on", "responses to", "response to", "replies to", "reply to",
    "comments on", "comment on", "gedanken zu", "gedanke zu", "kommentare zu", "kommentar zu",
    "antworten zu", "antwort zu", "réponses à", "réponse à", "commentaires sur",
    "commentaire sur", "respuestas a", "comentarios en", "comentario en",
)  # fmt: skip
# Counts written as words before them.
COMMENT_COUNT_WORDS: tuple[str, ...] = (
    "one", "two", "three", "ein", "eine", "zwei", "drei", "un", "une", "deux", "trois", "uno",
    "una", "dos", "tres",
)  # fmt: skip

# The verb after a commenter's name ("Peter sagt:", "Jane says:"): the date under such a
# line is a comment's, never the article's.
COMMENTER_VERBS: tuple[str, ...] = (
    "says", "said", "wrote", "writes", "sagt", "schreibt", "meint", "kommentierte",
    "dit", "a écrit", "écrit", "dice", "escribió", "scrive", "zegt", "schreef",
)  # fmt: skip

# Short lines that open what follows an article's text: related links, comments, share
# bars, newsletter prompts, tags. Matched case-insensitively at the start of a short line;
# the article's text never runs past one (RUN_BREAKS, below). Those that open links to
# other stories, each with its own date:
RELATED_BREAKS: tuple[str, ...] = (
    # English
    "related", "read more", "read also", "also read", "more from", "more on this",
    "more stories", "recommended", "you may also like", "you might also like", "most read",
    "most popular", "trending", "popular posts", "recent posts",
    # German
    "ähnliche beiträge", "ähnliche artikel", "weitere artikel", "weitere beiträge",
    "mehr zum thema", "mehr zu diesem thema", "das könnte sie auch interessieren",
    "das könnte dich auch interessieren", "auch interessant", "lesen sie auch",
    "lesen sie mehr", "verwandte artikel", "verwandte themen", "zum thema", "empfehlungen",
    "meistgelesen", "ähnliche themen", "das könnte sie auch", "mehr aus", "weitere themen",
    # French, Spanish, Italian, Dutch
    "articles similaires", "à lire aussi", "lire aussi", "sur le même sujet",
    "noticias relacionadas", "te puede interesar", "le puede interesar", "relacionados",
    "relacionadas", "lee también", "lea también", "veja também", "leia também",
    "articoli correlati",
    "potrebbe interessarti", "gerelateerde artikelen", "lees ook",
)  # fmt: skip

# ... those that open a share bar, which closes the post it shares:
SHARE_BREAKS: tuple[str, ...] = (
    "share this", "share", "teilen", "diesen artikel teilen", "partager", "compartir",
)  # fmt: skip

RUN_BREAKS: tuple[str, ...] = (
    *RELATED_BREAKS,
    *SHARE_BREAKS,
    # English
    "comments", "comment", "leave a reply", "leave a comment", "newsletter", "tags",
    "filed under", "about the author", "previous post", "next post", "post navigation",
    "sponsored",
    # German
    "kommentare", "kommentar", "schreibe einen kommentar", "schlagwörter", "schlagworte",
    "anzeige", "vorheriger beitrag", "nächster beitrag", "beitragsnavigation",
    # French, Spanish, Italian, Dutch
    "commentaires", "laisser un commentaire", "comentarios", "commenti", "reacties",
)  # fmt: skip

# A line made only of these words is a section menu ("Americas Africa Europe Middle East").
_NAV_WORDS_TEXT = (
    "Home News World UK US England Scotland Wales Ireland Northern Americas America Africa "
    "Europe Middle East South Asia Asia-Pacific Pacific Business Politics Sport Sports "
    "Technology Tech Science Health Education Entertainment Arts Culture Video Videos Audio "
    "Radio TV Weather Opinion Comment Features Analysis Magazine Travel Money Markets "
    "Lifestyle Photos Pictures In Depth Latest Live More Menu Search Sections Contact About "
    "Archive Login Register Subscribe Russia Ukraine China India International Local National "
    # A row of social networks' buttons ("Twitter Facebook Google + Youtube Mail").
    "Facebook Twitter Instagram YouTube LinkedIn Pinterest WhatsApp Xing Telegram Reddit "
    "Tumblr Flipboard Mastodon TikTok Google Google+ + Mail E-Mail Email RSS"
)
NAV_WORDS: frozenset[str] = frozenset(word.casefold() for word in _NAV_WORDS_TEXT.split())

# Separators that make a line a breadcrumb or menu ("Home > World > Europe").
NAV_SEPARATORS: tuple[str, ...] = (" > ", " » ", " | ", " · ", " • ", " / ")


@dataclass(frozen=True)
class LabelPattern:
    """A short line that labels a picture, graphic or video rather than saying anything."""

    pattern: str


LABEL_PATTERNS: tuple[LabelPattern, ...] = (
    LabelPattern(r".{2,80} (?:graphic|map|chart|infographic|factfile|timeline|video|audio)"),
    LabelPattern(r"(?:Photo|Picture|Image|Graphic|Video|Map|Caption)s?\s*[:|].{0,150}"),
    LabelPattern(
        r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3} (?:meets|meets with|greets|"
        r"shakes hands with|talks with|talks to|speaks with|speaks to) "
        r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,4}"
    ),
    LabelPattern(r".{2,200}\((?:left|right|centre|center|pictured|file photo|file)\).{0,200}"),
    LabelPattern(
        r".{10,200} \(\d{1,2} (?:January|February|March|April|May|June|July|August|"
        r"September|October|November|December) \d{4}\)"
    ),
    LabelPattern(
        r".{0,120}(?:AFP|Reuters|AP|EPA|Getty Images?|RIA Novosti)(?: Photo)?\s*/\s*.{1,60}"
    ),
)

# "By Reuters staff", "By BBC News Online staff": an agency name plus these is a credit.
# Words that open a byline in the languages of the archive's sources and of the pages its
# users save: "By", "Von", "Par", "Autor:"; a label may also stand alone above the name.
BYLINE_LABELS: tuple[str, ...] = (
    "By", "BY", "by", "Von", "VON", "von", "Par", "PAR", "par", "Por", "por", "Door", "door",
    "Di", "di", "Av", "av", "Autor", "Autorin", "Autoren", "Author", "Authors", "Auteur",
    "Auteurs", "Autore", "Text", "Texte", "Written by", "Posted by", "Reporting by",
    "Geschrieben von", "Ein Kommentar von", "Ein Gastbeitrag von", "Eine Analyse von",
    "Redaktion", "Interview", "Interview von", "Entretien", "Erstellt von", "Beitrag von",
    "Ein Beitrag von", "Ein Interview von", "Publicado por", "Escrito por", "Publié par",
    "Écrit par", "Pubblicato da", "Scritto da", "Ein Artikel von", "Eine Kolumne von",
    "Verfasst von", "Veröffentlicht von", "Eingestellt von", "Gepostet von", "Artikel von",
    # Gender-inclusive German labels ("Autor*in: Jane Doe", "Autor:innen: ...").
    "Autor*in", "Autor*In", "Autor:in", "AutorIn", "Autor*innen", "Autor:innen", "AutorInnen",
    "Published by", "Published By",
)  # fmt: skip
# An editorial desk signing an article alone on its line, beside the date ("Redaktion").
DESK_BYLINES: frozenset[str] = frozenset(
    {
        "redaktion", "die redaktion", "online-redaktion", "editorial team", "editorial staff",
        "staff", "newsroom", "redacción", "la rédaction", "rédaction", "redazione", "redactie",
    }
)  # fmt: skip
# Lower-case words that may sit inside a name ("Ursula von der Leyen", "Luis de Guindos").
NAME_PARTICLES: tuple[str, ...] = (
    "von", "van", "der", "den", "de", "du", "da", "di", "la", "le", "del", "dos", "bin",
    "al", "zu", "ten", "ter", "y",
)  # fmt: skip
# Joining words between two names in one byline.
NAME_JOINERS: tuple[str, ...] = ("und", "and", "&", "et", "y", "e", "en", "och", "og", "i")

_STAFF_TEXT = (
    "staff writer writers reporter reporters correspondent correspondents desk wire wires "
    "service services agencies team online"
)
STAFF_WORDS: frozenset[str] = frozenset(_STAFF_TEXT.split())

# Words that open a sentence but never a dateline place ("The US - and Russia ...").
_NOT_PLACE_TEXT = (
    "The A An This That These Those It He She We They I You In On At For From With By As But "
    "And Or If When While After Before Today Yesterday Tomorrow Meanwhile However Mr Mrs Ms "
    "Dr President Minister Secretary"
)
NOT_PLACE_WORDS: frozenset[str] = frozenset(_NOT_PLACE_TEXT.split())

# Abbreviations whose final period does not end a sentence.
_ABBREVIATIONS_TEXT = (
    "U.S. U.K. U.N. E.U. U.S.S.R. Mr. Mrs. Ms. Dr. St. Gen. Col. Lt. Maj. Capt. Sgt. Adm. "
    "Cmdr. Rep. Sen. Gov. Pres. Prof. Rev. Hon. Jr. Sr. Inc. Corp. Ltd. Co. No. vs. etc. e.g. "
    "i.e. Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. a.m. p.m. approx. "
    "Dept. Gov't."
)
ABBREVIATIONS: frozenset[str] = frozenset(_ABBREVIATIONS_TEXT.split())

# -- Dates ---------------------------------------------------------------------------------

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAY = r"(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|nesday|sday|urday)?\.?,?\s+)?"
TIME = r"(?P<time>\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)"
ZONE = r"(?P<zone>[A-Z]{2,5}|Z|Moscow time|London time|Washington time)"
# "Last Updated:", "Published:", "Posted on" ... printed before a header date.
DATE_LABEL = (
    r"(?:(?:Last\s+)?Updated|Published|Posted(?:\s+on)?|Date|Dated|Page last updated at)"
    r"\s*:?\s*"
)
# A label right before a date that names it the publication's ("Erscheinungsdatum:").
PUBLISHED_WORDS: frozenset[str] = frozenset(
    {
        "datum", "date", "fecha", "published", "posted", "veröffentlicht", "erschienen",
        "erscheinungsdatum", "erstveröffentlichung", "publiziert", "erstellt", "publié",
        "publicado", "pubblicato", "gepubliceerd",
    }
)  # fmt: skip
# ... of which the labels that name the article's own publication, never a book's release
# or an event's day ("Erscheinungsdatum: 14.08.2017" under a review dates the book).
PUBLICATION_LABELS: frozenset[str] = frozenset(
    {
        "published", "posted", "veröffentlicht", "publiziert", "erstveröffentlichung",
        "erstellt", "publié", "publicado", "pubblicato", "gepubliceerd", "pressemitteilung",
        "medienmitteilung", "pressemeldung", "communiqué",
    }
)  # fmt: skip
# Days of the week, written before a date ("lundi 9 décembre 2019", "Samstag, 9. September").
WEEKDAY_WORDS: frozenset[str] = frozenset(
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "wed", "thu", "fri", "sat", "sun",
        "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend",
        "sonntag",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
        "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica",
        "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
        "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
    }
)  # fmt: skip
# Words near a date that make it an update's, not the publication's ("Aktualisiert am"),
# in lower case and matched inside words ("modifi" is "modified", "modifié", "modifica").
UPDATE_WORDS: tuple[str, ...] = (
    "update", "modifi", "edited", "aktualisiert", "aktualisierung", "geändert", "änderung",
    "bearbeitet", "actualizad", "actualización", "mis à jour", "mise à jour", "aggiornato",
    "bijgewerkt",
)  # fmt: skip
TIME_TAIL = rf"(?:,?\s+(?:at\s+)?{TIME}(?:\s*\(?{ZONE}\)?)?)?"


@dataclass(frozen=True)
class DateFormat:
    """A date as printed in a header line. `numeric`: day and month are both digits and
    need resolving (d/m or m/d) from context."""

    name: str
    pattern: str  # has a (?P<date>...) group; may have (?P<time>) and (?P<zone>)
    numeric: bool = False


DATE_FORMATS: tuple[DateFormat, ...] = (
    DateFormat(
        "weekday month day year",
        rf"(?P<date>{WEEKDAY}{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}){TIME_TAIL}",
    ),
    DateFormat(
        "day month year",
        rf"(?P<date>{WEEKDAY}\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}){TIME_TAIL}",
    ),
    DateFormat(
        "iso",
        r"(?P<date>\d{4}-\d{2}-\d{2})(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
        r"(?P<zone>Z|[+-]\d{2}:?\d{2}|\s*[A-Z]{2,5})?)?",
    ),
    DateFormat(
        "numeric",
        rf"(?P<date>\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}){TIME_TAIL}",
        numeric=True,
    ),
)

# Languages whose month names (full and abbreviated, from dateparser's locale data) are
# read in dates anywhere in a page's header: "19. Oktober 2019", "5 févr. 2019". A name
# that means different months in two of them (Croatian "listopad") is not read at all.
DATE_LANGUAGES: tuple[str, ...] = (
    "en", "de", "fr", "es", "it", "nl", "pt", "pl", "cs", "sk", "sv", "da", "nb", "fi",
    "ru", "uk", "tr", "hu", "ro", "hr", "sl", "el", "ca",
)  # fmt: skip
# Words printed between a day and its month or year ("15 de octubre de 2019").
DATE_FILLERS: tuple[str, ...] = ("de", "del", "di", "du", "of", "le", "el")

# Zone abbreviations printed after times, to IANA zones (never fixed offsets: the tz
# database knows when each place was on summer time).
ZONE_NAMES: dict[str, str] = {
    "GMT": "UTC",
    "UTC": "UTC",
    "UT": "UTC",
    "Z": "UTC",
    "BST": "Europe/London",
    "MSK": "Europe/Moscow",
    "MSD": "Europe/Moscow",
    "Moscow time": "Europe/Moscow",
    "London time": "Europe/London",
    "Washington time": "America/New_York",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "ET": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "EET": "Europe/Kyiv",
    "EEST": "Europe/Kyiv",
    "JST": "Asia/Tokyo",
    "HKT": "Asia/Hong_Kong",
    "SGT": "Asia/Singapore",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
}

MONTH_NUMBERS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
