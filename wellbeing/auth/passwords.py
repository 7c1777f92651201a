"""Which passwords are refused although they are long enough.

Length alone let ``aaaaaaaaaaaa`` through. Attackers try leaked passwords first, then the same
words with digits and symbols around them, repetitions, keyboard walks and words tied to the target
(the product, the person's own address). ``weakness`` refuses all of those; the list of leaked and
common passwords ships with the app in ``data/common-passwords.txt``.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

BLOCKLIST_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
PRODUCT_WORDS = ("welbevinden", "welbevindeninbeeld", "gezondeschool")
# Rows and columns of the keyboards people type on, and the alphabet and digits: neighbours in any of
# these, forwards or backwards, make a walk.
SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm",
             "azertyuiop", "qsdfghjklm", "wxcvbn", "qwertzuiop", "yxcvbnm",
             "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "!qaz@wsx#edc$rfv%tgb^yhn&ujm*ik(ol)p")
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
                      "!": "i", "|": "i", "+": "t"})

TOO_COMMON = _l("This password is too easy to guess: it is a common or leaked password, or follows a "
                "known pattern (repetition, sequence, keyboard walk). Choose a sentence of your own.")
PRODUCT_NAME = _l("Do not use the name of this product in your password.")
PERSONAL = _l("Do not use your e-mail address or your name in your password.")


@cache
def blocklist() -> frozenset[str]:
    lines = BLOCKLIST_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def _neighbours() -> frozenset[tuple[str, str]]:
    pairs = set()
    for sequence in SEQUENCES:
        for a, b in zip(sequence, sequence[1:]):
            pairs.update({(a, b), (b, a)})
    return frozenset(pairs)


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower().translate(LEET))


def _is_pattern(password: str) -> bool:
    """Few distinct characters, a repeated short unit, or mostly neighbouring keys or letters."""
    lowered = password.lower()
    if len(set(lowered)) < 5:
        return True
    if re.fullmatch(r"(.{1,6}?)\1+.{0,5}", lowered):
        return True
    pairs = list(zip(lowered, lowered[1:]))
    walking = sum(1 for pair in pairs if pair in _neighbours() or pair[0] == pair[1])
    return walking >= 0.7 * len(pairs)


def _personal_words(email: str | None, name: str | None) -> set[str]:
    words = set()
    if email:
        local, _, domain = email.lower().partition("@")
        words.add(_compact(local))
        words.update(_compact(part) for part in re.split(r"[._+-]", local))
        words.update(_compact(part) for part in domain.split(".")[:-1])
    if name:
        words.update(_compact(part) for part in name.split())
    return {w for w in words if len(w) >= 4}


def weakness(password: str, email: str | None = None, name: str | None = None):
    """Why ``password`` is refused (a lazy, translatable message), or None when it may be used."""
    lowered = password.lower().strip()
    compact = _compact(password)
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)  # the word inside "!!monkey2024"
    candidates = {lowered, compact, core, _compact(core), lowered.replace(" ", "")}
    words = set(re.findall(r"[a-z]+", lowered))
    if len(words) == 1:  # one word, repeated or wrapped in digits and symbols: "zomer2026zomer"
        candidates |= words
    if any(c in blocklist() for c in candidates if len(c) >= 4) or _is_pattern(password):
        return TOO_COMMON
    if any(word in compact for word in PRODUCT_WORDS):
        return PRODUCT_NAME
    if any(word in compact for word in _personal_words(email, name)):
        return PERSONAL
    return None
