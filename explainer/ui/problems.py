"""A domain Problem (explainer/runtime/problems.py) said in words: its key's sentence in the reader's language."""
from __future__ import annotations

from explainer.runtime.problems import Problem
from explainer.ui import i18n
from explainer.ui.words.en import problems as problems_en
from explainer.ui.words.ru import problems as problems_ru

WORDS = i18n.Words("problems", problems_en, problems_ru)


def render(problem: Problem, lang: str = "en") -> str:
    return WORDS.get(problem.key, lang).format(**problem.fields)
