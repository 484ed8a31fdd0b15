"""What the glue judge must know about each language beyond word frequencies.

Frequency lists say which strings are words; they do not say which words are closed-class,
which ones double as word-forming prefixes, or which strings are suffixes. These short lists
do. They are curated by hand and kept deliberately small: every word in them widens what the
judge may split, so a word goes in only when its glue is common and its confusions are rare.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


def _w(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class LanguageData:
    # Closed-class words that glue to a neighbour: articles, prepositions, conjunctions,
    # auxiliaries, relatives. Personal pronouns are left out: name endings (``Augme``,
    # ``Programus``) and dialect spellings (``eatyou``) make them unsafe.
    function_words: frozenset[str]
    # Function words that may follow another one in a short token (``ofthe``, ``wasa``);
    # tokens of five letters or more may pair any two function words (``waswith``).
    determiners: frozenset[str] = frozenset()
    # Function words that form old compounds with others (``whereon``, ``therein``).
    bound_heads: frozenset[str] = frozenset()
    # Articles: never followed by another determiner (``Thea`` is a name, not ``the a``).
    articles: frozenset[str] = frozenset()
    # Function words that only come before a vowel (``anemail``, never ``anarchy``-like).
    vowel_heads: frozenset[str] = frozenset()
    # Function words after which a capitalised common word is glue, not a name (``Howto``).
    strong_tails: frozenset[str] = frozenset()
    # Words that glue to a capitalised word (``fromEarth``, ``ofNazi``, ``saidBrent``, and
    # where a page's blocks ran together, ``thisPence``, ``moreReader``) but that camelCase
    # identifiers seldom start with (unlike ``is``, ``to``, ``on``, ``for``, ``get``).
    case_heads: frozenset[str] = frozenset()
    # Function words that no name or word ends with after a listed word (``Dempseyof``,
    # ``Bluetoothwith``), unlike ``in``, ``on``, ``to``, ``as`` (``Martin``, ``Otto``).
    sure_tails: frozenset[str] = frozenset()
    # Function words that may open a capitalised glued token (``Thefourth``, ``Inshort``).
    openers: frozenset[str] = frozenset()
    # Function words that are also word-forming prefixes (``inrushing``, ``byplay``,
    # ``noalias``): before a content word they need a case change at the seam or the
    # content word used on its own in the document.
    prefix_heads: frozenset[str] = frozenset()
    # Function words that also end names after a short word (``Coaston``, ``Lawan``).
    name_endings: frozenset[str] = frozenset()
    # One-letter words that may end a glued token (``killeda``, ``gota``).
    single_tails: frozenset[str] = frozenset()
    # Derivation: a content head in ``prefixes`` or any tail in ``suffixes`` makes a word,
    # not glue (``underdelivering``, ``impeachable``).
    prefixes: frozenset[str] = frozenset()
    suffixes: frozenset[str] = frozenset()
    # Function words that are also inflections after some head endings: Portuguese
    # ``alfabetizar``+``em`` is the personal infinitive ``alfabetizarem``, not glue.
    inflection_tails: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Endings that mark a head as inflected (``closing``, ``muddled``, ``economic``): such a
    # head rarely starts a solid compound, so two content words may be split after it.
    # Empty = two content words are never split in this language.
    inflected_heads: tuple[str, ...] = ()
    # A plural head (``finds``-, ``metrics``-) marks glue: compounds pluralise their tail.
    plural_heads: bool = False
    # Endings of a verb's past form which, after a name the document uses on its own, mark
    # glue (``Marthaadded``, ``Trumptapped``): a name rarely heads a compound, and never one
    # whose tail is a verb's past.
    past_tails: tuple[str, ...] = ()
    # Heads after which a one-letter tail may follow, by their last letter (Portuguese
    # ``quea``, ``nossoa``: ``que a``, ``nosso a``); empty = any head (English ``killeda``).
    single_tail_after: tuple[str, ...] = ()
    # Languages that write compounds solid (German, Dutch): no content+content splits, and
    # function-word tails only from ``safe_tails``.
    compounding: bool = False
    safe_tails: frozenset[str] = frozenset()


_ROMANCE_CLITICS = "lo la le li los las les se si me mi te ti nos os vos gli ne ci vi lhe lhes"

LANGUAGES: Mapping[str, LanguageData] = {
    "en": LanguageData(
        function_words=_w(
            "an the and or but nor of in on at to for from with by as is was are were been"
            " has have had will would could should might must not than"
            " that this these those their his its who which what when where into onto about"
            " after before between through during without within against among while because"
            " since despite also very some every more many such both each all most other only"
            " just even still never once upon whether although though until unless via said"
            " says however whilst your"
        ),
        determiners=_w("the a an this that these those their his its"),
        articles=_w("the a an"),
        bound_heads=_w("where there here"),
        name_endings=_w("on an in is as at a all"),
        openers=_w(
            "the this these those in on for from with by and but when while after before"
            " during into about without within against among because what although though"
            " even never once since despite whether until unless also most many every each"
        ),
        prefix_heads=_w("in on at as for by with into"),
        case_heads=_w("in of from by with at into this that these those are were than more said says"),
        vowel_heads=_w("an"),
        strong_tails=_w("the of to and for with from that"),
        sure_tails=_w("of and with from"),
        single_tails=_w("a"),
        prefixes=_w(
            "un re non pre post anti co counter de dis mis over under out up down off inter"
            " intra micro macro mega mini multi poly pro pseudo semi sub super hyper ultra tri"
            " bi auto self cross ex extra fore mid neo eco bio geo cyber tele trans back after"
            " well ill half quasi"
        ),
        suffixes=_w(
            "able ible ably ally ness less lessly ment ments ship ships hood hoods dom wise"
            " ward wards ful fully ism isms ist ists ize ized izes izing ise ised ises ising"
            " ity ities ive ively ous ously er ers est ed ing ings ly es al als ic ics ical ion"
            " ions ation ations age ages ance ence ant ants ent ents ate ated ates ating like"
            " fold some man men woman women proof free wide style type based ware"
        ),
        inflected_heads=(
            "ing", "ed", "ly", "al", "ic", "ous", "ive", "ful", "ent", "ant", "ary", "ern",
            "ese", "ian", "ish", "less", "able", "ible",
        ),
        plural_heads=True,
        past_tails=("ed",),
    ),
    "de": LanguageData(
        function_words=_w(
            "der die das den dem des ein eine einen einem einer eines und oder aber in im an"
            " am auf aus bei mit nach von vom zu zum zur für über unter vor durch gegen ohne um"
            " ist sind war waren wird werden hat haben nicht auch als wie dass"
        ),
        openers=_w("der die das den dem des ein eine und in im an am auf mit von für"),
        case_heads=_w(
            "in im an am auf aus bei mit nach von vom zu zum zur für über unter vor durch gegen ohne um"
        ),
        prefix_heads=_w(
            "in im an am auf aus bei mit nach von vom zu zum zur für über unter vor durch"
            " gegen ohne um ab ein eine einen einem einer eines der die das den dem des"
        ),
        suffixes=_w("ist isten ismus chen lein ung ungen heit keit schaft lich isch"),
        compounding=True,
        safe_tails=_w("und oder mit von für auf bei nach durch gegen ohne über unter zum zur nicht"),
    ),
    "nl": LanguageData(
        function_words=_w(
            "de het een en of maar in op aan bij met naar van voor door over uit tot om te is"
            " zijn was waren wordt werd heeft hebben niet ook als dat die dit deze"
        ),
        openers=_w("de het een en in op aan bij met van voor"),
        prefix_heads=_w("in op aan bij met naar van voor door over uit tot om te de het een"),
        suffixes=_w("heid heden lijk lijke schap ing ingen tje tjes je jes isch ische"),
        compounding=True,
        safe_tails=_w("en met van voor naar door bij niet"),
    ),
    "fr": LanguageData(
        function_words=_w(
            "le la les un une des du de et ou mais en dans sur sous avec pour par sans chez au"
            " aux est sont était ont que qui ne pas plus"
        ),
        openers=_w("le la les un une des du de et en dans sur avec pour par"),
        prefix_heads=_w("de en sur sous par entre contre"),
        suffixes=_w("ment ments tion tions age ages isme iste istes ité ités eur eurs euse ette"),
    ),
    "es": LanguageData(
        function_words=_w(
            "el la los las un una unos unas de del al y o pero en con por para sin sobre entre"
            " es son era fue está están ha han que no su sus como más muy"
        ),
        openers=_w("el la los las un una de del en con por para"),
        prefix_heads=_w("de en con sin sobre entre para contra por"),
        suffixes=_w(f"mente ción ciones dad dades ista istas ismo ito ita itos itas {_ROMANCE_CLITICS}"),
        single_tails=_w("a"),
        single_tail_after=("o", "e"),
    ),
    "it": LanguageData(
        function_words=_w(
            "il lo la gli le un una uno di del della dei delle degli da dal dalla in nel nella"
            " con su sul sulla per tra fra ed ma che non è sono era ha hanno come più anche"
        ),
        openers=_w("il lo la gli le un una uno di del della da in nel con per"),
        prefix_heads=_w("di in con su per tra fra da"),
        suffixes=_w(f"mente zione zioni ità ista isti ismo ino ina ini ine etto etta {_ROMANCE_CLITICS}"),
    ),
    "pt": LanguageData(
        function_words=_w(
            "o a os as um uma uns umas de do da dos das em no na nos nas por pelo pela para"
            " com sem sobre entre e ou mas que se não é são era foi está estão como mais muito"
            " seu sua seus suas ao aos"
        ),
        openers=_w("o a os as um uma de do da em no na para com por"),
        prefix_heads=_w("de em com se para sobre entre por sem contra"),
        suffixes=_w(
            f"mente ção ções dade dades ista istas ismo inho inha inhos inhas zinho zinha"
            f" eiro eira ável ível {_ROMANCE_CLITICS}"
        ),
        inflection_tails={"em": ("r",), "es": ("r",), "mos": ("r",)},
        single_tails=_w("a"),
        single_tail_after=("o", "e"),
    ),
}
