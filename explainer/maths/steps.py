"""Running a step generator (a sampler's, an integrator's, a lesson's stream) to its end."""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import TypeVar

from explainer.runtime.problems import Problem

Item = TypeVar("Item")


def drain(items: Iterable[Item]) -> Item:
    """The last item, keeping none of the others (a 1000-step run's states would fill memory)."""
    tail = deque(items, maxlen=1)
    if not tail:
        raise Problem("RUN_EMPTY")
    return tail[0]
