"""A classroom against `python app.py`: N concurrent gradio_client users for S seconds (not part of pytest).

    python benchmarks/load.py [--users 50] [--seconds 60] [--batch-seconds 20] [--drain 120] [--out FILE]

Phase 1 (mixed): every user loops over the main public endpoints with valid random inputs; reports each
endpoint's p50/p95 latency as a user sees it (queue wait included), errors, and the server's resident
memory growth. Phase 2 (batching): the same number of users call only /gan_sample, once against the
default server and once against one started with EXPLAINER_BATCH_GRIDS=1 (Gradio batch=True), and the
throughput ratio is reported. Results go to benchmarks/results/load.json.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import ServedApp, rss_mb  # noqa: E402  (one way to start and measure `python app.py`)


SETTLE_S = 15  # idle seconds before the second memory reading


def _mixed(rng: random.Random):
    """(api name, arguments) of one classroom click; valid inputs, varied so caches do not hide the work."""
    return rng.choice(_clicks(rng))


def _clicks(rng: random.Random) -> list:
    seed = rng.randrange(100_000)
    return [
        ("gan_sample", (seed, 32)),
        ("gan_sample", (seed, 64)),
        ("gan_walk", (seed, seed + 1, 12, "spherical (slerp)")),
        ("gan_history", (rng.randrange(0, 3),)),
        ("forward_step", (None, rng.randrange(2500), rng.choice(["linear", "cosine", "flow"]), rng.random(), seed)),
        ("forward_batch", (rng.choice(["linear", "cosine", "flow"]), seed, 8)),
    ]


def _grid_only(rng: random.Random):
    return "gan_sample", (rng.randrange(100_000), 64)


def run_users(url: str, users: int, seconds: float, pick, drain_s: float = 180) -> dict:
    """`users` threads, each with its own gradio_client, calling pick(rng) until the time is up."""
    from gradio_client import Client

    lat: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    clients = [Client(url, verbose=False) for _ in range(users)]
    start = time.perf_counter() + 1.0
    stop = start + seconds

    def user(k: int):
        rng = random.Random(k)
        while time.perf_counter() < start:
            time.sleep(0.01)
        while time.perf_counter() < stop:
            name, args = pick(rng)
            t0 = time.perf_counter()
            try:
                clients[k].predict(*args, api_name=f"/{name}")
                with lock:
                    lat.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
            except Exception as e:  # every one is a failure of the gate
                with lock:
                    errors.append(f"{name}: {str(e)[:200]}")

    threads = [threading.Thread(target=user, args=(k,), daemon=True) for k in range(users)]
    for t in threads:
        t.start()
    for t in threads:  # requests still in flight at `stop` may take a while to drain, but not for ever
        t.join(timeout=max(0.0, stop + drain_s - time.perf_counter()))
    unanswered = sum(t.is_alive() for t in threads)
    wall = time.perf_counter() - start  # the last requests finish after `stop`
    with lock:  # stragglers past the drain time must not change the numbers while they are computed
        snapshot = {k: sorted(v) for k, v in lat.items()}
    done = sum(len(v) for v in snapshot.values())
    per = {name: {"n": len(v), "p50_ms": statistics.median(v), "p95_ms": v[int(0.95 * (len(v) - 1))]}
           for name, v in sorted(snapshot.items())}
    return {"users": users, "seconds": round(wall, 1), "requests": done, "errors": len(errors), "unanswered": unanswered,
            "error_samples": errors[:5], "throughput_rps": round(done / wall, 2), "endpoints": per}


def warm_up(url: str) -> None:
    """Every kind of click once, then a few users for a while: lazy model loads, caches and Gradio's per-session
    state exist before the baseline is taken, so the growth measured is what the load itself adds."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    for name, args in _clicks(random.Random(0)):
        client.predict(*args, api_name=f"/{name}")
    run_users(url, 4, 10, _mixed)


def served(env: dict | None = None) -> ServedApp:
    old = dict(os.environ)
    os.environ.update(env or {})
    try:
        return ServedApp()
    finally:
        os.environ.clear()
        os.environ.update(old)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--batch-seconds", type=float, default=20, help="per server in the batching phase; 0 skips it")
    p.add_argument("--drain", type=float, default=120, help="seconds to wait for requests in flight at the end")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "load.json")
    args = p.parse_args()
    report = {"load_average_before": os.getloadavg(), "cpus": os.cpu_count()}

    app = served()
    try:
        warm_up(app.url)
        before = rss_mb(app.pid)
        mixed = run_users(app.url, args.users, args.seconds, _mixed, args.drain)
        after = rss_mb(app.pid)
        time.sleep(SETTLE_S)  # idle: the server's trimmer (explainer/runtime/memory.py) hands free pages back
        settled = rss_mb(app.pid)
        mixed |= {"rss_before_mb": round(before), "rss_after_mb": round(after),
                  "rss_growth": round(after / before - 1, 3), "rss_settled_mb": round(settled),
                  "rss_settled_growth": round(settled / before - 1, 3), "server_alive": app.alive()}
        report["mixed"] = mixed
        if args.batch_seconds:
            report["unbatched_grid"] = run_users(app.url, args.users, args.batch_seconds, _grid_only, args.drain)
    finally:
        app.close()
    if args.batch_seconds:
        app = served({"EXPLAINER_BATCH_GRIDS": "1"})
        try:
            run_users(app.url, 4, 3, _grid_only)
            report["batched_grid"] = run_users(app.url, args.users, args.batch_seconds, _grid_only, args.drain)
        finally:
            app.close()
        report["batched_vs_unbatched_throughput"] = round(
            report["batched_grid"]["throughput_rps"] / report["unbatched_grid"]["throughput_rps"], 2)
    report["load_average_after"] = os.getloadavg()

    print(f"{args.users} users, {mixed['seconds']} s: {mixed['requests']} answered, {mixed['unanswered']} unanswered, "
          f"{mixed['errors']} errors, "
          f"{mixed['throughput_rps']} req/s; server RSS {mixed['rss_before_mb']} -> {mixed['rss_after_mb']} MB "
          f"({mixed['rss_growth']:+.1%}), {mixed['rss_settled_mb']} MB ({mixed['rss_settled_growth']:+.1%}) "
          f"after {SETTLE_S} s idle")
    print(f"{'endpoint':<16} {'n':>6} {'p50 ms':>9} {'p95 ms':>9}")
    for name, r in mixed["endpoints"].items():
        print(f"{name:<16} {r['n']:>6} {r['p50_ms']:9.0f} {r['p95_ms']:9.0f}")
    if args.batch_seconds:
        u, b = report["unbatched_grid"], report["batched_grid"]
        print(f"/gan_sample x64 only: unbatched {u['throughput_rps']} req/s ({u['errors']} errors), batched "
              f"{b['throughput_rps']} req/s ({b['errors']} errors): ratio {report['batched_vs_unbatched_throughput']}")
    print(f"load average before {report['load_average_before']}, after {report['load_average_after']}")
    for s in mixed["error_samples"]:
        print("error:", s)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
