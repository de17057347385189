"""Is a statement about the topic? By default: North Korean military personnel in Russia's war.

The terms come from `lexicon/topic_terms.csv` (groups nk, personnel, movement, materiel); a
caller may pass its own terms instead."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon, _word_pattern


@dataclass(frozen=True)
class Topic:
    """Compiled topic terms: one pattern per group."""

    nk: re.Pattern
    personnel: re.Pattern
    movement: re.Pattern
    materiel: re.Pattern

    def names_subject(self, text: str) -> bool:
        """True when text names the subject country (North Korea, Pyongyang, DPRK...)."""
        return bool(self.nk.search(text))

    def names_personnel(self, text: str) -> bool:
        """True when text speaks of personnel, or of sending/deploying without naming materiel."""
        if self.personnel.search(text):
            return True
        return bool(self.movement.search(text)) and not self.materiel.search(text)

    def is_about(self, text: str, context_subject: bool = False) -> bool:
        """True when text is about the topic; `context_subject` says the subject country was
        named just before (so "they will be deployed" counts after a sentence about North Korea)."""
        return (context_subject or self.names_subject(text)) and self.names_personnel(text)


def build_topic(lex: Lexicon, terms: dict[str, str] | None = None) -> Topic:
    """Topic from `terms` ({term: group}) or, by default, from the lexicon's topic_terms.csv."""
    terms = terms if terms is not None else lex.topic_terms
    by_group: dict[str, list[str]] = {"nk": [], "personnel": [], "movement": [], "materiel": []}
    for term, group in terms.items():
        by_group.setdefault(group, []).append(term)
    return Topic(**{group: _word_pattern(words) for group, words in by_group.items()
                    if group in ("nk", "personnel", "movement", "materiel")})
