"""The words of the finder's titles: which are like a typed word, and which titles hold each.

A typed word is compared (rapidfuzz, imported on the first typo) only with the words that share
enough of its letter pairs to be at most one or two typos away, so that a large vocabulary
still answers within a frame.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter

TYPO_MIN_CHARS = 4
"""Typed words shorter than this are matched exactly only (too many words are one letter off)."""
TYPO_WORDS = 40
"""Most words taken as like one typed word."""
CACHED_WORDS = 64
"""Typed words whose look-alikes are remembered (the words before the one being typed)."""


def warm_up() -> None:
    """Import rapidfuzz now (from a worker), so that the first typo typed does not wait the
    tens of milliseconds that takes."""
    # lazy: rapidfuzz, only for fuzzy search
    from rapidfuzz import fuzz, process  # noqa: F401
    from rapidfuzz.distance import Levenshtein  # noqa: F401


def _pairs(word: str) -> set[str]:
    """The word's letter pairs, the first one marked as the start."""
    marked = " " + word
    return {marked[index:index + 2] for index in range(len(word))}


SHORT_TYPO = 0.65
"""How alike a three-letter word is to the start of a word one letter off."""


def near_start(word: str, other: str) -> float:
    """How alike a three-letter ``word`` is to the start of ``other``: 1 if it is the start,
    :data:`SHORT_TYPO` if one letter is wrong, missing or extra there, else 0."""
    if other.startswith(word):
        return 1.0
    if len(word) != TYPO_MIN_CHARS - 1:
        return 0.0
    # lazy: rapidfuzz, only for fuzzy search
    from rapidfuzz.distance import Levenshtein

    size = len(word)
    close = any(Levenshtein.distance(word, other[:length], score_cutoff=1) <= 1
                for length in (size - 1, size, size + 1) if length <= len(other))
    return SHORT_TYPO if close else 0.0


def _typos_allowed(word: str) -> int:
    return 1 if len(word) < 6 else 2


class Vocabulary:
    """Distinct words of the titles (three letters or more, not numbers), with the titles
    that hold each and the words that hold each letter pair, in flat arrays."""

    def __init__(self, titles: list[str]) -> None:
        """``titles`` in rank order: a title is known by its position."""
        counts: dict[str, int] = {}
        for title in titles:
            for word in set(title.split()):
                if len(word) >= TYPO_MIN_CHARS - 1 and not word.isdigit():
                    counts[word] = counts.get(word, 0) + 1
        self._words = sorted(counts)
        self._starts = array("I", [0])
        """The titles holding word ``w`` are ``_titles[_starts[w]:_starts[w + 1]]``."""
        for word in self._words:
            self._starts.append(self._starts[-1] + counts[word])
        del counts
        self._titles = array("I", bytes(4 * self._starts[-1]))
        next_slot = array("I", self._starts[:-1])
        word_ids = {word: word_id for word_id, word in enumerate(self._words)}
        for rank, title in enumerate(titles):
            for word in set(title.split()):
                word_id = word_ids.get(word)
                if word_id is not None:
                    self._titles[next_slot[word_id]] = rank
                    next_slot[word_id] += 1
        del word_ids, next_slot
        self._with_pair: dict[str, array[int]] = {}
        for word_id, word in enumerate(self._words):
            for pair in _pairs(word):
                self._with_pair.setdefault(pair, array("I")).append(word_id)
        self._like_cache: dict[str, dict[str, float]] = {}

    def __len__(self) -> int:
        return len(self._words)

    def titles_with(self, word: str) -> array[int]:
        """The ranks of the titles holding ``word``, shortest title first."""
        word_id = self._word_id(word)
        if word_id < 0:
            return array("I")
        return self._titles[self._starts[word_id]:self._starts[word_id + 1]]

    def title_count(self, word: str) -> int:
        """How many titles hold ``word``."""
        word_id = self._word_id(word)
        return self._starts[word_id + 1] - self._starts[word_id] if word_id >= 0 else 0

    def _word_id(self, word: str) -> int:
        word_id = bisect_left(self._words, word)
        found = word_id < len(self._words) and self._words[word_id] == word
        return word_id if found else -1

    def forget_searches(self) -> None:
        self._like_cache.clear()

    def like(self, word: str) -> dict[str, float]:
        """Words like ``word`` — a letter wrong, missing, extra or swapped, or ``word`` the
        start of them — with how alike they are (0 to 1); empty for a short word."""
        if len(word) < TYPO_MIN_CHARS:
            return {}
        if word in self._like_cache:
            return self._like_cache[word]
        # lazy: rapidfuzz, only for fuzzy search
        from rapidfuzz import fuzz, process

        pairs = _pairs(word)
        needed = len(pairs) - 2 * _typos_allowed(word)
        shared: Counter[int] = Counter()
        for pair in pairs:
            shared.update(self._with_pair.get(pair, ()))
        words = self._words
        candidates = [words[word_id] for word_id, count in shared.items()
                      if count >= needed and len(words[word_id]) >= len(word) - 1]
        cutoff = 75 if len(word) == TYPO_MIN_CHARS else 80
        found = process.extract(word, candidates, scorer=fuzz.partial_ratio,
                                score_cutoff=cutoff, limit=TYPO_WORDS)
        alike = {choice: score / 100 for choice, score, _index in found}
        if len(self._like_cache) >= CACHED_WORDS:
            self._like_cache.clear()
        self._like_cache[word] = alike
        return alike
