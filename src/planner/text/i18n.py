"""Words in the reader's language: gettext catalogues for labels, Babel (CLDR) for lists and numbers.

Labels are written in English in the code and the templates (`gettext("free time")`, `{% trans %}`) and
translated by the catalogues `planner/text/locale/<language>/LC_MESSAGES/planner.po`, one per language of
`planner.domain.LANGUAGES` but English (the source). Babel's extraction tools keep the catalogues in step with
the code (`babel.cfg` at the root of the repository; docs/languages.md gives the commands, and a test fails
when a message is missing, empty or fuzzy in any language). The .po files ship in the package and are
compiled to the binary .mo form by Babel when a language is first used (a few milliseconds), so an installed
planner never depends on a build step having run. Titles, descriptions and names are the organiser's words
and never pass through a catalogue.
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from io import BytesIO

from babel import Locale
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from planner.domain import DEFAULT_LANGUAGE, LANGUAGES

DOMAIN = "planner"
"""The gettext domain: the catalogues' file name."""
SOURCE_LANGUAGE = "en"
"""The language the messages are written in; it has no catalogue."""
TRANSLATED_LANGUAGES = tuple(language for language in LANGUAGES if language != SOURCE_LANGUAGE)


class UnknownLanguage(ValueError):
    """A language planner has no catalogue for (the loader refuses it in a mission file first)."""


def catalogue_path(language: str) -> object:
    """The shipped .po file of `language` (an importlib.resources Traversable)."""
    return files("planner.text") / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The catalogue of `language`, compiled from its .po on first use; English: the messages as written."""
    if language == SOURCE_LANGUAGE:
        return gettext_module.NullTranslations()
    if language not in TRANSLATED_LANGUAGES:
        raise UnknownLanguage(f"planner speaks {', '.join(LANGUAGES)}, not {language!r}")
    with catalogue_path(language).open("rb") as po:  # type: ignore[attr-defined]
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    # A fuzzy entry is a guess left by a catalogue update: English is better than a wrong translation.
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


@dataclass(frozen=True, slots=True)
class Words:
    """What one reader reads: labels from the catalogue of `language`, lists joined by its CLDR rules.

    Views take a `Words` and call `gettext`/`ngettext`/`pgettext` on it (Babel's extractor finds the calls
    by these names); formatting of dates, clocks and durations lives in `planner.text.format`, which takes
    `language` as its locale."""

    language: str = DEFAULT_LANGUAGE

    @property
    def locale(self) -> Locale:
        return _locale(self.language)

    def gettext(self, message: str) -> str:
        return translations(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return translations(self.language).ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        """A message whose English words mean two things (a verb, a noun), told apart by `context`."""
        return translations(self.language).pgettext(context, message)

    def join(self, items: Iterable[str]) -> str:
        """`A, B and C` (`A, B et C`, `A, B en C`, `A, B und C`)."""
        listed = list(items)
        return format_list(listed, locale=self.locale) if listed else ""


@cache
def words_for(language: str) -> Words:
    translations(language)  # an unknown language fails here, not at the first label
    return Words(language)


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    # English as the mission's Belgian readers know it (6 October 2025), not the American default.
    return Locale.parse("en_GB" if language == "en" else language)
