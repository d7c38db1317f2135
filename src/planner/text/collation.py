"""Comparing and ordering people's and organisations' names as a reader expects: accents do not count.

Python orders text by code point, so "Élodie" came after "Yves" and "Équipe wallonne" after every other
delegation. Locale-exact collation (ICU) is not among planner's dependencies; with the accents set aside,
the order is the dictionary's for the French, Dutch and German names of a mission, and ties (names that
differ only by their accents or case) keep one fixed order.
"""

from __future__ import annotations

import re
import unicodedata


def folded(text: str) -> str:
    """Lower case without accents: 'Eléonore' → 'eleonore' (what a search or a header match compares)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def alphabetical(text: str) -> tuple[str, str, str]:
    """The key that sorts names alphabetically, accents and case aside, then by them, then as written."""
    return folded(text), text.casefold(), text


def mentions(text: str, words: str) -> bool:
    """Whether `text` holds `words` as whole words, accents and case aside: "Google — AI partnerships"
    mentions "google", "Université de Liège" mentions "universite de liege"; "Googleplex" does not."""
    wanted = folded(words).strip()
    return bool(wanted) and re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", folded(text)) is not None
