"""Character classes shared by the cleaner, the metadata reader and the outline detector."""

from __future__ import annotations

import functools
import re

# Han ideographs (BMP blocks, extension A, compatibility, and the supplementary planes' extensions
# B–H: rare name characters such as 𫖯) plus the placeholder ×/〇.
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\U00020000-\U0003134f"
# Full-width punctuation that belongs to Chinese running text.
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"
HAN_RE = re.compile(f"[{HAN}]")
CJK_RE = re.compile(f"[{HAN}{CJK_PUNCT}]")
# Punctuation that ends a sentence or a paragraph.
TERMINAL = "。！？!?…；;：:”’」』)）"
SENTENCE_END = "。！？"
# Characters removed everywhere: zero-width spaces and joiners, BOMs, soft hyphens, and the
# control characters no HTML page or XML feed may hold (tab and line breaks are whitespace).
_CONTROLS = "\x00-\x08\x0e-\x1f\x7f-\x9f"
# (and the bidirectional marks and overrides: U+202E in 一批\u202e专精特新企业 showed 业企新特精专;
# and the noncharacters U+FFFE and U+FFFF, which no XML may hold)
INVISIBLE_RE = re.compile(
    f"[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff\u00ad{_CONTROLS}\ufffe\uffff]"
)
# In a speech file: those controls, and the vertical tab and form feed that Word writes for a
# soft line break and a page break (`without_controls` makes them line breaks).
# U+FFFE and U+FFFF too: no characters at all, and no XML (a feed holding one is not parsed).
CONTROL_RE = re.compile(f"[\x0b\x0c{_CONTROLS}\ufffe\uffff]")
_BREAKS = {0x0B: "\n", 0x0C: "\n"}


_C0 = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def has_controls(raw: bytes, text: str) -> bool:
    """Whether the UTF-8 file `raw`, decoded as `text`, holds a control character. Deleting the
    C0 bytes and comparing lengths takes half a regex search over the text; a C1 control is
    two bytes starting \xc2, which only then sends the text to the regex."""
    return (
        len(raw.translate(None, _C0)) != len(raw)
        or (b"\xc2" in raw and CONTROL_RE.search(text) is not None)
        or b"\xef\xbf\xbe" in raw
        or b"\xef\xbf\xbf" in raw
    )


def without_controls(text: str) -> str:
    if CONTROL_RE.search(text) is None:
        return text
    return CONTROL_RE.sub(lambda found: _BREAKS.get(ord(found.group(0)), ""), text)


# Spaces other than the ideographic space, folded to an ASCII space.
ODD_SPACE_RE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\t\u000b\u000c]")
INDENT_CHARS = " \u3000"


def is_cjk(char: str) -> bool:
    return bool(CJK_RE.match(char))


def is_han(char: str) -> bool:
    return bool(HAN_RE.match(char))


def count_han(text: str) -> int:
    return len(HAN_RE.findall(text))


# An opening address in English, as a speech at an international forum has one (Ladies and
# gentlemen, / Dear friends, / Distinguished guests, ladies and gentlemen, / Good morning!): an
# addressee or several between commas or "and". Its words are a closed list, so no sentence
# reads as one; names (Mr. President, Your Excellency Li Wei) must be capitalised.
_EN_NAME = r"(?-i:[A-Z][\w.'’-]*)"
_EN_MODIFIER = (
    r"(?:my|our|dear|distinguished|honou?rable|honou?red|respected|esteemed|fellow|beloved|"
    r"valued|young|invited|visiting|special|senior|all)"
)
_EN_NOUN = (
    r"(?:friends?|guests?|colleagues?|delegates?|participants?|members?|students?|teachers?|"
    r"graduates?|citizens?|compatriots?|comrades?|partners?|visitors?|representatives?|"
    r"speakers?|panell?ists?|entrepreneurs?|investors?|officials?|ambassadors?|diplomats?|"
    r"experts?|scholars?|journalists?|leaders?|ministers?|governors?|mayors?|heads|chairs?|"
    r"chairm[ae]n|presidents?|parents|alumni|faculty|staff|audience|everyone|everybody|all|"
    r"brothers and sisters|sisters and brothers|boys and girls|sirs?|mesdames)"
)
# (members of the press, friends from the media, guests from around the world)
_EN_FROM = (
    r"(?: (?:of|from) (?:the )?(?:press|media|board|committee|jury|faculty|delegations?|"
    r"business community|diplomatic corps|(?:all over|around) the world|home and abroad|"
    r"near and far|far and near|all walks of life))"
)
# An addressee that opens an address on its own, before a sentence (Ladies and gentlemen,
# today…): not a bare noun, which may be a sentence's subject (Students, teachers and…).
_EN_OPENING = (
    r"(?:ladies and gentlemen|"
    r"(?:good (?:morning|afternoon|evening|day)|hello|hi|greetings)"
    rf"(?: (?:to )?(?:everyone|everybody|all|you all|all of you))?|"
    rf"(?:your |their )?excellenc(?:y|ies)(?: {_EN_NAME}){{0,4}}|"
    rf"(?:mr|mister|madam|madame|mrs|ms)\.? {_EN_NAME}(?: {_EN_NAME}){{0,3}}|"
    rf"(?:{_EN_MODIFIER} ){{1,3}}{_EN_NOUN}{_EN_FROM}?|"
    rf"dear {_EN_NAME}(?: {_EN_NAME}){{0,3}})"
)
_EN_ADDRESSEE = rf"(?:{_EN_OPENING}|{_EN_NOUN}{_EN_FROM}?)"
_EN_MORE = rf"(?:,? and |, |; ){_EN_ADDRESSEE}"
_ADDRESS_END = "[,:!，：！]"
# Letters of an address line in another script, at the most (Уважаемые дамы и господа,): the
# cleaner keeps such a line apart and the metadata reads it as where the speech begins.
ADDRESS_LETTERS = 40


def english_address_line(text: str) -> re.Match[str] | None:
    """A paragraph that is an English address and nothing else (Dear friends, / Good morning,
    everyone!); None at once for one that starts with no Latin letter."""
    return _english_patterns()[0].fullmatch(text) if _latin_start(text) else None


def english_address_opening(text: str) -> re.Match[str] | None:
    """An English address opening a paragraph, with its mark (Ladies and gentlemen, today…)."""
    return _english_patterns()[1].match(text) if _latin_start(text) else None


def _latin_start(text: str) -> bool:
    return text[:1].isascii() and text[:1].isalpha()


@functools.cache
def _english_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compiled when a paragraph first starts with a Latin letter: compiling them took 22 ms,
    which every build and every ingest of Chinese speeches paid on import."""
    return (
        re.compile(rf"{_EN_ADDRESSEE}(?:{_EN_MORE})*{_ADDRESS_END}", re.I),
        re.compile(rf"{_EN_OPENING}(?:{_EN_MORE})*(?:{_ADDRESS_END}(?=\s|$)|$)", re.I),
    )
