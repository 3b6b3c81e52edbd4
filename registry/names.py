"""Name normalisation for search: case, spacing, old spelling and common variants.

"Muhammad", "Muhamad", "Mohammad", "Moch." all become one search key, so a name typed
at the counter finds the record whatever the spelling on the KK. Trigram similarity
(pg_trgm) then tolerates the remaining typos.
"""

from __future__ import annotations

import re
import unicodedata

_NON_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
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
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = _NON_LETTERS.sub(" ", text.lower())
    for old, new in _OLD_SPELLING:
        text = text.replace(old, new)
    text = _REPEATED.sub(r"\1", text)
    tokens = [_TOKEN_VARIANTS.get(t, t) for t in _SPACES.split(text.strip()) if t]
    return " ".join(tokens)
