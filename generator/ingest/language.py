"""The language a speech is written in, where it is not Chinese: an English address at an
international forum, which an archive of Chinese speeches keeps beside them.

Its page marks its words with `lang` (speech.py's `lang:`), so a screen reader reads them with an
English voice and the browser sets them as English. Written only where the text leaves no doubt:
a Chinese speech that quotes English (“Digital technologies are transforming…”), names firms
(Microsoft, Alibaba Group) or abbreviations (AI, GDP, 5G) stays Chinese, with no `lang` at all, so
its file is as it was before. A Latin-script text in a language not listed here gets none either:
a wrong tag is worse than the archive's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.text import count_han

# Latin letters, accented ones too (Latin-1 Supplement, Extended-A and -B): French, German and
# Spanish words are counted whole.
_LATIN_LETTER_RE = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")

# Letters for each Han character, at the least, for a text in Latin letters: a word is five
# letters or so, a Chinese one two characters, so an English speech with a Chinese name or a
# closing 谢谢大家！ is far above it, a bilingual one (each paragraph also in Chinese) and a
# Chinese one quoting English far below.
_LETTERS_PER_HAN = 10
_TITLE_LETTERS_PER_HAN = 4  # (a title may name a Chinese place in characters)
_MIN_LETTERS = 200  # a text, not a caption: a few lines in Latin letters decide nothing

# Each language's commonest words, which make a third or so of any text in it and few of
# another's. (la, de, en and que are French and Spanish both: the other words tell them apart.)
_COMMON_WORDS = {
    "en": "the and of to in a is that we our for with this it will are be as on have by",
    "fr": "le la les et des de du un une est que nous pour dans sur au aux qui",
    "de": "der die das und den dem des ist nicht wir ein eine zu mit auf für von",
    "es": "el la los las y de del que en un una es por para con se nuestro",
}
_FUNCTION_WORDS = {tag: frozenset(words.split()) for tag, words in _COMMON_WORDS.items()}
_MIN_SHARE = 0.2  # of the words, in the language's list, at the least
_LEAD = 1.5  # times the next language's share: no tag where two are close


def speech_language(title: str, paragraphs: Iterable[str]) -> str | None:
    """The language tag of a speech written in Latin letters (`en`), or None: a Chinese speech,
    whatever English it quotes, or a text whose language is not clear."""
    body = "\n".join(paragraphs)
    if not (_in_latin_letters(title, _TITLE_LETTERS_PER_HAN) and _latin_text(body)):
        return None
    return _language_of(_WORD_RE.findall(f"{title}\n{body}"))


def _in_latin_letters(text: str, per_han: int) -> bool:
    """Whether Latin letters outnumber Han characters `per_han` times over, and there are some."""
    letters = len(_LATIN_LETTER_RE.findall(text))
    return letters > 0 and letters >= per_han * count_han(text)


def _latin_text(body: str) -> bool:
    """A body in Latin letters: long enough to tell, and Chinese only here and there in it."""
    return len(_LATIN_LETTER_RE.findall(body)) >= _MIN_LETTERS and _in_latin_letters(
        body, _LETTERS_PER_HAN
    )


def _language_of(words: list[str]) -> str | None:
    """The language whose commonest words these are, clearly ahead of any other."""
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
