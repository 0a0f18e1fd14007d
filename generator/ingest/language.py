"""The language a speech is written in, where it is not Chinese: an English address at an
international forum, a Russian or Japanese guest's speech at a trade fair, which an archive of
Chinese speeches keeps beside them.

Its page marks its words with `lang` (speech.py's `lang:`), so a screen reader reads them with
the right voice and the browser sets them in the language's fonts and line breaking. Written only
where the text leaves no doubt: a Chinese speech that quotes English (“Digital technologies are
transforming…”), names firms (Microsoft, Alibaba Group), writes abbreviations (AI, GDP, 5G), or
quotes a line of Japanese, Korean, Russian or Arabic stays Chinese, with no `lang` at all, so its
file is as it was before. A text in a language not listed here gets none either (a Kazakh or
Serbian one in Cyrillic, an Urdu one in Arabic letters): a wrong tag is worse than the
archive's. China's own languages in their scripts are told too: Tibetan (bo), Mongolian in its
script (mn-Mong) and Uyghur (ug).

First the script the body is written in, the one whose letters far outnumber any other's and
the Han characters; then the language, by its commonest words (Latin letters) or by its own
letters (the others).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.text import HAN_RE, count_han

# Latin letters, accented ones too (Latin-1 Supplement, Extended-A and -B): French, German and
# Spanish words are counted whole.
_LATIN = r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_WORD_RE = re.compile(f"[{_LATIN}]+")

# The letters of each script this module tells languages in, by ISO 15924 code. Kana leaves out
# ー and ・ (U+30FC, U+30FB), which Chinese texts type for a dash or a name's dot (2023ー2025年,
# 让・雅克・卢梭); Arabic leaves out its digits, punctuation, vowel marks and the tatweel.
_SCRIPT_LETTERS = {
    "Latn": _LATIN,
    "Cyrl": r"\u0400-\u0481\u048a-\u052f",
    "Grek": r"\u0386\u0388-\u03ff\u1f00-\u1fff",
    "Arab": r"\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
    r"\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc",
    "Hebr": r"\u05d0-\u05ea\u05ef-\u05f2\ufb1d-\ufb4f",
    "Hang": r"\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff",
    "Kana": r"\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fd-\u30ff\u31f0-\u31ff"
    r"\uff66-\uff6f\uff71-\uff9d",
    # Tibetan's consonants, vowel signs and subjoined letters (its syllables are parted by the
    # tsheg, ་, which is no letter); the Mongolian script's letters, Todo, Sibe and Manchu's
    # too (U+185D on), which mark those languages.
    "Tibt": r"\u0f40-\u0f6c\u0f71-\u0f84\u0f88-\u0fbc",
    "Mong": r"\u1820-\u18aa",
}
_LETTER_RES = {script: re.compile(f"[{letters}]") for script, letters in _SCRIPT_LETTERS.items()}
_WORD_RES = {script: re.compile(f"[{letters}]+") for script, letters in _SCRIPT_LETTERS.items()}
# Letters of the leading script, at the least, for each of the next script's: a Russian speech
# quoting an English sentence is Russian, a speech half in each is neither.
_SCRIPT_LEAD = 3


@dataclass(frozen=True)
class _Measure:
    """What a body and a title in a script must hold to be written in it."""

    min_letters: int  # a text, not a caption: a few lines decide nothing
    per_han: float  # its letters for each Han character, at the least
    title_per_han: float  # the same in the title (which may name a Chinese place in characters)


# In letters (alphabets, Latin's as the others'): a word is five letters or so, a Chinese one two
# characters, so a speech with a Chinese name or a closing 谢谢大家！ is far above 10 per Han
# character, a bilingual one (each paragraph also in Chinese) and a Chinese one quoting a
# passage far below.
_ALPHABET = _Measure(min_letters=200, per_han=10, title_per_han=4)
_MEASURES = {
    "Latn": _ALPHABET,
    "Cyrl": _ALPHABET,
    "Grek": _ALPHABET,
    "Arab": _ALPHABET,
    "Hebr": _ALPHABET,
    "Tibt": _ALPHABET,
    "Mong": _ALPHABET,
    # Hangul syllables (two or three letters each): a Korean word is two or three of them, so a
    # Korean speech glossing a term in Hanja (經濟) is far above 4 per Han character, a
    # bilingual one (some 1.4 syllables for each character of its Chinese) far below.
    "Hang": _Measure(min_letters=100, per_han=4, title_per_han=2),
    # Kana beside kanji: Japanese prose is some 60% kana, a kanji-heavy government text 40%
    # (0.7 kana per kanji), a Chinese text quoting a line of Japanese a percent or two. Whether
    # the kanji are Japanese ones, not Chinese characters, _japanese() tells; a title may be
    # kanji alone (施政方針演説).
    "Kana": _Measure(min_letters=100, per_han=0.4, title_per_han=0),
}
# A text in an alphabet or in Hangul is written in words: Russian, Greek or Arabic ones are 4 to
# 7 letters long, Korean ones 2 to 4 syllables. Letters run together without spaces are no text
# in it (a file's bytes read in the wrong encoding: Chinese taken for Cyrillic runs a sentence
# into one "word"). Japanese, like Chinese, has no spaces to count.
_MAX_WORD_LETTERS = 10

# Each Latin-script language's commonest words, which make a third or so of any text in it and
# few of another's. (la, de, en and que are French and Spanish both: the other words tell them
# apart.)
_COMMON_WORDS = {
    "en": "the and of to in a is that we our for with this it will are be as on have by",
    "fr": "le la les et des de du un une est que nous pour dans sur au aux qui",
    "de": "der die das und den dem des ist nicht wir ein eine zu mit auf für von",
    "es": "el la los las y de del que en un una es por para con se nuestro",
}
_FUNCTION_WORDS = {tag: frozenset(words.split()) for tag, words in _COMMON_WORDS.items()}
_MIN_SHARE = 0.2  # of the words, in the language's list, at the least
_LEAD = 1.5  # times the next language's share: no tag where two are close

# The other scripts' languages, each by its alphabet (lower case) and the letters that mark it
# among the languages written in that script. A text is in the one language whose alphabet
# holds all its letters but a stray name's, and whose marks it has: Russian's ы and э, which
# Ukrainian and Bulgarian lack; Ukrainian's і, ї and є; Bulgarian's ъ, a vowel there (2% of its
# letters), rare in Russian; Mongolian's ө and ү; Persian's ک and ی where Arabic writes ك and
# ي, and its پ چ ژ گ; Uyghur's vowels ې ۆ ۈ (Xinjiang's speeches in Uyghur). Belarusian (і
# and ы), Kazakh (ә, қ, і; in Arabic letters ٵ ٶ ٷ), Serbian (ј) and the like fit none of the
# alphabets, Urdu (ے, ٹ) none of the Arabic script's, polytonic Greek not the modern one,
# Yiddish (װ, ײ) not Hebrew's: no tag.
_RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_ALPHABETS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "Cyrl": (
        ("ru", _RUSSIAN, "ыэ"),
        ("uk", "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя", "іїє"),
        ("bg", "абвгдежзийклмнопрстуфхцчшщъьюя", "ъ"),
        ("mn", _RUSSIAN + "өү", "өү"),
    ),
    "Grek": (("el", "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ", ""),),
    # (with ٱ, the alif of Quranic quotations; ة, the feminine ending, makes some 3% of it)
    "Arab": (
        ("ar", "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيٱ", "ة"),
        ("fa", "ءآأؤئابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیۀة", "کی"),
        ("ug", "ئابپتجچخدرزژسشغفقكگڭلمنھوۇۆۈۋېىيە", "ېۆۈ"),
    ),
    "Hebr": (("he", "אבגדהוזחטיךכלםמןנסעףפץצקרשת", ""),),
}
_MAX_FOREIGN = 0.003  # letters outside the alphabet, of the text's letters in its script
_MIN_MARKS = 0.005  # the language's marking letters, likewise, at the least

# Han characters outside Japanese's character set (Windows' Shift JIS, code page 932), of a
# text's Han characters, at the most: Japanese kanji are all in it but a rare name's, while
# simplified Chinese writes a fifth or more of its characters in forms Japan does not use
# (们, 这, 说, 经济; the corpus: 22–30%). A Japanese speech quoting a Chinese slogan stays
# Japanese; one with its Chinese translation beside each paragraph does not.
_MAX_NON_JAPANESE_HAN = 0.02
# The Mongolian script's letters for Todo, Sibe and Manchu (Xinjiang's Xibe write Sibe): a text
# with them is no Mongolian one (mn-Mong, the script Inner Mongolia writes Mongolian in).
_MANCHU_RE = re.compile(r"[\u185d-\u18aa]")


def speech_language(title: str, paragraphs: Iterable[str]) -> str | None:
    """The language tag of a speech not written in Chinese (`en`, `ja`, `ru`, `ar`), or None: a
    Chinese speech, whatever it quotes, or a text whose language is not clear.

    The title first: a Chinese one (most of an archive's) leaves no script to look for, and the
    body is never read (its seven scripts' letters took a millisecond a speech)."""
    scripts = [script for script in _LETTER_RES if _title_in(script, title)]
    if not scripts:
        return None
    body = "\n".join(paragraphs)
    script = _script_of(body, scripts)
    return None if script is None else _LANGUAGE_OF[script](title, body)


def _title_in(script: str, title: str) -> bool:
    """Whether the title is in `script`: under a Chinese title, which of the two languages
    would the page's be? A Japanese title may be kanji alone (施政方針演説), but Japanese ones,
    not simplified Chinese (see _non_japanese_han)."""
    letters = len(_LETTER_RES[script].findall(title))
    han = count_han(title)
    if script == "Kana":
        return letters + han > 0 and _non_japanese_han(title) == 0
    return letters > 0 and letters >= _MEASURES[script].title_per_han * han


def _script_of(body: str, scripts: list[str]) -> str | None:
    """Which of `scripts` the body is written in: long enough to tell, Chinese only here and
    there in it, and any other script's letters few beside its own."""
    letters, script = max((len(_LETTER_RES[script].findall(body)), script) for script in scripts)
    measure = _MEASURES[script]
    if letters < measure.min_letters or letters < measure.per_han * count_han(body):
        return None
    others = (
        len(pattern.findall(body)) for other, pattern in _LETTER_RES.items() if other != script
    )
    if letters < _SCRIPT_LEAD * max(others):
        return None
    return script if script in ("Latn", "Kana") or _in_words(script, body, letters) else None


def _in_words(script: str, body: str, letters: int) -> bool:
    """Whether the script's letters stand in words of a language's length, not in runs."""
    return letters <= _MAX_WORD_LETTERS * len(_WORD_RES[script].findall(body))


def _latin_language(title: str, body: str) -> str | None:
    """The language whose commonest words these are, clearly ahead of any other."""
    words = _WORD_RE.findall(f"{title}\n{body}")
    if not words:
        return None
    folded = [word.lower() for word in words]
    shares = sorted(
        [(_share(folded, common), tag) for tag, common in _FUNCTION_WORDS.items()], reverse=True
    )
    (best, tag), (runner_up, _) = shares[0], shares[1]
    return tag if best >= _MIN_SHARE and best >= _LEAD * runner_up else None


def _share(words: list[str], common: frozenset[str]) -> float:
    return sum(word in common for word in words) / len(words)


def _alphabet_language(script: str) -> Callable[[str, str], str | None]:
    """The language of a text in `script`, told by its letters (see _ALPHABETS)."""

    def language(title: str, body: str) -> str | None:
        letters = "".join(_LETTER_RES[script].findall(f"{title}\n{body}")).lower()
        found = [
            tag
            for tag, alphabet, marks in _ALPHABETS[script]
            if _share_of(letters, alphabet, outside=True) <= _MAX_FOREIGN
            and (not marks or _share_of(letters, marks) >= _MIN_MARKS)
        ]
        return found[0] if len(found) == 1 else None

    return language


def _share_of(letters: str, chosen: str, outside: bool = False) -> float:
    """The share of `letters` that are among `chosen` (or, `outside`, not among them)."""
    among = sum(letters.count(letter) for letter in chosen)
    return (len(letters) - among if outside else among) / len(letters)


def _japanese(title: str, body: str) -> str | None:
    """`ja` where the body's kanji are Japanese ones but a few (its title's are all: _title_in)."""
    return "ja" if _non_japanese_han(body) <= _MAX_NON_JAPANESE_HAN else None


def _non_japanese_han(text: str) -> float:
    """The share of the text's Han characters that code page 932 (Shift JIS) cannot encode."""
    han = "".join(HAN_RE.findall(text))
    if not han:
        return 0.0
    return han.encode("cp932", errors="replace").count(b"?") / len(han)


_LANGUAGE_OF: dict[str, Callable[[str, str], str | None]] = {
    "Latn": _latin_language,
    "Cyrl": _alphabet_language("Cyrl"),
    "Grek": _alphabet_language("Grek"),
    "Arab": _alphabet_language("Arab"),
    "Hebr": _alphabet_language("Hebr"),
    "Hang": lambda title, body: "ko",
    "Kana": _japanese,
    "Tibt": lambda title, body: "bo",
    "Mong": lambda title, body: None if _MANCHU_RE.search(f"{title}{body}") else "mn-Mong",
}
