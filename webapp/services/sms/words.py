"""What an SMS to the board says: yes, no, STOP, START, or something for a person to read.

Yes and no are understood in the languages the board writes in (Danish,
English, Arabic, Turkish, Somali, Ukrainian), in any case, with or without
punctuation around them; anything longer than the one word is for a person.
"""

from __future__ import annotations

from enum import StrEnum


class Word(StrEnum):
    """The kinds of SMS the board understands."""

    YES = "yes"
    NO = "no"
    STOP = "stop"
    START = "start"
    OTHER = "other"


WORDS = {
    Word.YES: {"ja", "yes", "y", "ok", "نعم", "evet", "haa", "haan", "так"},
    Word.NO: {"nej", "no", "n", "لا", "hayır", "hayir", "maya", "ні", "нi"},
    Word.STOP: {"stop", "stopp", "afmeld", "unsubscribe"},
    Word.START: {"start", "tilmeld"},
}
PUNCTUATION = " .,!?¡¿\"'()-؟،\n\t"


def read(text: str) -> Word:
    """The kind of SMS `text` is."""
    word = text.strip(PUNCTUATION).casefold()
    for kind, spellings in WORDS.items():
        if word in spellings:
            return kind
    return Word.OTHER
