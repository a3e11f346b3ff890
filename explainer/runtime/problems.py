"""A refusal the domain raises: a key and its values, no sentence.

The sentences live in explainer/ui/words/<lang>/problems.py, one per key in each language, and
explainer.ui.problems.render says a Problem in the reader's language; the CLIs, which speak English, read
explainer/ui/words/en/problems.py themselves.
A ValueError, so every `except ValueError` keeps catching it.
"""
from __future__ import annotations


class Problem(ValueError):
    def __init__(self, key: str, **fields):
        self.key, self.fields = key, fields
        super().__init__(key)

    def __str__(self) -> str:
        values = ", ".join(f"{k}={v!r}" for k, v in self.fields.items())
        return f"{self.key}({values})"

    def __reduce__(self):  # the fields are keyword arguments, which pickle's default (args only) would drop
        return _rebuild, (type(self), self.key, self.fields)


class WrongType(Problem, TypeError):
    """A Problem with a value of the wrong kind (a number where a picture belongs): also a TypeError."""


def _rebuild(cls: type, key: str, fields: dict) -> Problem:
    return cls(key, **fields)
