"""Names are normalised word by word (registry.names): the same key as normalising
the whole name at once, which is what the search index was built with."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from registry.names import _OLD_SPELLING, _TOKEN_VARIANTS, normalize_name


def _whole_name_reference(name: str) -> str:
    """The former implementation, rule by rule over the whole name."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z ]+", " ", text.lower())
    for old, new in _OLD_SPELLING:
        text = text.replace(old, new)
    text = re.sub(r"([a-z])\1+", r"\1", text)
    return " ".join(
        _TOKEN_VARIANTS.get(t, t) for t in re.split(r"\s+", text.strip()) if t
    )


NAME_TEXT = st.text(
    alphabet=st.sampled_from(list("abcdehjmnostuyADJMOST .'-éö\t")), max_size=40
)


@given(NAME_TEXT)
def test_word_by_word_matches_whole_name_rules(name):
    assert normalize_name(name) == _whole_name_reference(name)


def test_spelling_variants_share_one_key():
    assert normalize_name("Moch. Djoko") == normalize_name("muhamad joko")
