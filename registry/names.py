"""Name normalisation for search: case, spacing, old spelling and common variants.

"Muhammad", "Muhamad", "Mohammad", "Moch." all become one search key, so a name typed
at the counter finds the record whatever the spelling on the KK. Trigram similarity
(pg_trgm) then tolerates the remaining typos.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_NON_LETTERS = re.compile(r"[^a-z ]+")
_REPEATED = re.compile(r"([a-z])\1+")
# Van Ophuijsen / Soewandi spellings still on many KKs.
_OLD_SPELLING = (
    ("dj", "j"),
    ("tj", "c"),
    ("oe", "u"),
    ("sj", "sy"),
    ("nj", "ny"),
    ("ch", "kh"),
)
# Canonical forms of very common name words, after the rules above.
_TOKEN_VARIANTS = {
    "muhamad": "muhamad",
    "muhamed": "muhamad",
    "muhamat": "muhamad",
    "mohamad": "muhamad",
    "mohamed": "muhamad",
    "mokhamad": "muhamad",
    "mokh": "muhamad",
    "mukh": "muhamad",
    "mukhamad": "muhamad",
    "mohd": "muhamad",
    "moh": "muhamad",
    "muh": "muhamad",
    "mhd": "muhamad",
    "akhmad": "ahmad",
    "ahmed": "ahmad",
    "ahmat": "ahmad",
    "akhmat": "ahmad",
    "abdul": "abdul",
    "abdol": "abdul",
    "nur": "nur",
    "nurul": "nurul",
    "siti": "siti",
    "sity": "siti",
}


def normalize_name(name: str | None) -> str:
    if not name:
        return ""
    text = name
    if not name.isascii():  # most names are: NFKD would give them back unchanged
        text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = text.lower()
    if not text.replace(" ", "").isalpha():  # a clean name skips the regex: 3x cheaper
        text = _NON_LETTERS.sub(" ", text)
    return " ".join(map(_normalize_word, text.split()))


@functools.lru_cache(maxsize=65536)
def _normalize_word(word: str) -> str:
    """One word of a name (letters only). The rules never cross a space, so names
    are normalised word by word, and the same given names recur across a city: an
    import of a million rows normalises each distinct word once."""
    for old, new in _OLD_SPELLING:
        word = word.replace(old, new)
    word = _REPEATED.sub(r"\1", word)
    return _TOKEN_VARIANTS.get(word, word)
