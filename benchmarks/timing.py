"""One timing helper shared by the benchmark scripts: p50 and p95 of a call, after a warm-up."""
from __future__ import annotations

import statistics
import time


def timings(fn, repeat: int, warmup: int = 2) -> dict:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"p50_ms": statistics.median(samples), "p95_ms": samples[min(len(samples) - 1, int(0.95 * len(samples)))],
            "n": repeat}
