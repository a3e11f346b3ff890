"""A class of students against `python app.py` (not part of pytest): the targets of the classroom issue.

    python benchmarks/classroom.py [--users 60] [--seconds 90] [--processes 1] [--client http|gradio] [--out FILE]

Half the class follows the teacher's link (the same seed and settings for everyone: cached answers), half
explores with their own seeds; every student thinks 1-3 s between clicks. Reported per endpoint and group:
answered, errors, p50/p95 as a student waits (queue included); requests still unanswered at the end; the home
page's latency during the load; the server's memory (with its worker processes) before, right after and 15 s after. Targets (2-core CPU):
0 errors and 0 unanswered; p95 <= 2 s for the shared grid, forward slider and latent decode; <= 10 s for
own-seed grids; <= 30 s for reverse and flow runs and lab training; memory 15 s after within 15% of its start.
Results go to benchmarks/results/classroom.json.
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
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import ServedApp, rss_mb  # noqa: E402  (one way to start and measure `python app.py`)

SETTLE_S = 15
DDIM = "DDIM (eta, 5-250 steps)"
EULER = "Euler (1 evaluation per step)"
TEACHER_SEED = 7
# (endpoint, group) -> p95 target in seconds
TARGETS = {("gan_sample", "shared"): 2, ("forward_step", "shared"): 2, ("latent_decode", "shared"): 2,
           ("gan_sample", "own"): 10, ("forward_step", "own"): 2, ("latent_decode", "own"): 2,
           ("reverse_run", "shared"): 30, ("reverse_run", "own"): 30, ("flow_run", "shared"): 30,
           ("flow_run", "own"): 30, ("lab_train", "own"): 30}


def shared_click(rng: random.Random):
    """What the teacher's link shows, with the few values the teacher asks everyone to try."""
    return rng.choice([
        ("gan_sample", (TEACHER_SEED, 32)),
        ("forward_step", (None, 7, "linear", rng.choice([0.1, 0.3, 0.5, 0.7, 0.9]), 0)),
        ("latent_decode", rng.choice([(0.0, 0.0), (2.0, -2.0), (-1.0, 1.5)])),
        ("reverse_run", ("3", 3, DDIM, 25, 1.0, TEACHER_SEED, 4)),
        ("flow_run", ("5", 3, EULER, 10, TEACHER_SEED, 4)),
    ])


def own_click(rng: random.Random):
    seed = rng.randrange(100_000)
    return rng.choice([
        ("gan_sample", (seed, 32)),
        ("forward_step", (None, rng.randrange(2500), rng.choice(["linear", "cosine", "flow"]), round(rng.random(), 3), seed)),
        ("latent_decode", (round(rng.uniform(-3, 3), 2), round(rng.uniform(-3, 3), 2))),
        ("reverse_run", (str(rng.randrange(10)), 3, DDIM, 25, 1.0, seed, 4)),
        ("flow_run", (str(rng.randrange(10)), 3, EULER, 10, seed, 4)),
        ("lab_train", ("ring of 8 Gaussians", rng.randrange(5), "", rng.choice(["DDPM", "flow matching", "GAN"]))),
    ])


def cpu_s(pid: int | str = "self") -> float:
    """CPU seconds (user + system) a process has used, from /proc: where the two cores went."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def family(pid: int) -> list[int]:
    """The process and its descendants (the server and its worker processes), from /proc."""
    kids = [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
            for c in (task / "children").read_text().split()] if Path(f"/proc/{pid}").exists() else []
    return [pid] + [p for k in kids for p in family(k)]


def pss_mb(pid: int) -> float:
    """Proportional memory of a process: pages shared with another (torch's libraries, mapped by the server and
    by each worker) count once across them, not once per process as in RSS."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no Pss for process {pid}")


def memory_parts_mb(pid: int) -> dict[str, int]:
    """A process's proportional memory split into its heap (anonymous) and mapped files (libraries' code and
    data, which the kernel can drop and read again)."""
    parts = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("Rss", "Pss", "Pss_Anon", "Pss_File"):
            parts[name.lower()] = round(int(value.split()[0]) / 1024)
    return parts


def family_pss_mb(pid: int) -> float:
    return sum(pss_mb(p) for p in family(pid) if Path(f"/proc/{p}").exists())


def family_cpu_s(pid: int) -> float:
    return sum(cpu_s(p) for p in family(pid) if Path(f"/proc/{p}").exists())


def _pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(q * (len(v) - 1) + 0.5))]


def students(url: str, ids: list[int], start: float, seconds: float, drain_s: float, client: str = "http") -> dict:
    """The students `ids` (even: the teacher's link, odd: their own seeds) in this process, from the wall-clock
    time `start` for `seconds`: their waits per (endpoint, group), errors, and how many were still waiting.
    `client` "http": each click is Gradio's plain HTTP API (POST /gradio_api/call/NAME, its event stream, then
    every picture of the answer downloaded, as a browser would), all students in one asyncio loop; "gradio": one
    `gradio_client.Client` per student in threads, which costs the shared machine about a core of its own."""
    if client == "http":
        import asyncio

        return asyncio.run(_http_students(url, ids, start, seconds, drain_s))
    from gradio_client import Client

    lat: dict[tuple[str, str], list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    clients = {k: Client(url, verbose=False) for k in ids}
    stop = start + seconds

    def student(k: int):
        rng = random.Random(k)
        group, pick = ("shared", shared_click) if k % 2 == 0 else ("own", own_click)
        time.sleep(max(0.0, start - time.time()) + rng.uniform(0, 3))  # the class does not click in the same instant
        while time.time() < stop:
            name, args = pick(rng)
            t0 = time.perf_counter()
            try:
                clients[k].predict(*args, api_name=f"/{name}")
                with lock:
                    lat.setdefault((name, group), []).append(time.perf_counter() - t0)
            except Exception as e:
                with lock:
                    errors.append(f"{name} ({group}): {str(e)[:200]}")
            time.sleep(rng.uniform(1, 3))  # reading the answer

    threads = [threading.Thread(target=student, args=(k,), daemon=True) for k in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, stop + drain_s - time.time()))
    with lock:
        return {"lat": {f"{n}|{g}": list(v) for (n, g), v in lat.items()}, "errors": list(errors),
                "unanswered": sum(t.is_alive() for t in threads), "cpu_s": cpu_s()}


def _file_urls(value) -> list[str]:
    """Every file an answer points at (Gradio's FileData dicts carry a `url`), wherever it sits in the output."""
    if isinstance(value, dict):
        return [value["url"]] if isinstance(value.get("url"), str) else [u for v in value.values() for u in _file_urls(v)]
    if isinstance(value, list):
        return [u for v in value for u in _file_urls(v)]
    return []


async def http_click(http, url: str, name: str, args: tuple, session: str) -> None:
    """One click through Gradio's HTTP API: join the queue, read the event stream to its end, fetch the pictures.
    `session` is the student's own, as a browser tab keeps one (a request without one makes the server build a
    new session, ~45 ms of its CPU). Raises on an error event or a broken stream."""
    r = await http.post(f"{url}gradio_api/call/{name}", json={"data": list(args), "session_hash": session})
    r.raise_for_status()
    event_id = r.json()["event_id"]
    event, data = None, None
    async with http.stream("GET", f"{url}gradio_api/call/{name}/{event_id}") as stream:
        async for line in stream.aiter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                data = json.loads(line[5:])
                break
    if event != "complete":
        raise RuntimeError(f"{event}: {str(data)[:200]}")
    for file_url in _file_urls(data):
        (await http.get(file_url)).raise_for_status()


async def _http_students(url: str, ids: list[int], start: float, seconds: float, drain_s: float) -> dict:
    import asyncio

    import httpx

    lat: dict[str, list[float]] = {}
    errors: list[str] = []
    stop = start + seconds

    async def student(http, k: int):
        rng = random.Random(k)
        group, pick = ("shared", shared_click) if k % 2 == 0 else ("own", own_click)
        await asyncio.sleep(max(0.0, start - time.time()) + rng.uniform(0, 3))
        while time.time() < stop:
            name, args = pick(rng)
            t0 = time.perf_counter()
            try:
                await http_click(http, url, name, args, f"student-{k}")
                lat.setdefault(f"{name}|{group}", []).append(time.perf_counter() - t0)
            except Exception as e:
                errors.append(f"{name} ({group}): {type(e).__name__}: {str(e)[:200]}")
            await asyncio.sleep(rng.uniform(1, 3))  # reading the answer

    limits = httpx.Limits(max_connections=4 * len(ids) + 8, max_keepalive_connections=2 * len(ids) + 4)
    async with httpx.AsyncClient(timeout=httpx.Timeout(None, connect=30), limits=limits) as http:
        tasks = [asyncio.create_task(student(http, k)) for k in ids]
        await asyncio.wait(tasks, timeout=max(0.0, stop + drain_s - time.time()))
        unanswered = sum(not t.done() for t in tasks)
        for t in tasks:
            t.cancel()
    return {"lat": lat, "errors": errors, "unanswered": unanswered, "cpu_s": cpu_s()}


def _students_in_process(job: tuple) -> dict:
    return students(*job)


def run_class(url: str, users: int, seconds: float, drain_s: float, processes: int, client: str = "http") -> dict:
    """The class in `processes` client processes (one process: every student shares one Python interpreter,
    whose lock then slows the students' own side of each request), plus the home page loaded every 2 s."""
    import multiprocessing

    start = time.time() + 5.0  # time for every process to connect its students
    jobs = [(url, list(range(p, users, processes)), start, seconds, drain_s, client) for p in range(processes)]
    home: list[float] = []

    def page_loads():
        time.sleep(max(0.0, start - time.time()))
        while time.time() < start + seconds:
            t0 = time.perf_counter()
            with urllib.request.urlopen(url, timeout=60) as r:
                r.read()
            home.append(time.perf_counter() - t0)
            time.sleep(2)

    loader = threading.Thread(target=page_loads, daemon=True)
    loader.start()
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        parts = pool.map(_students_in_process, jobs)
    loader.join()
    lat: dict[tuple[str, str], list[float]] = {}
    for part in parts:
        for key, values in part["lat"].items():
            lat.setdefault(tuple(key.split("|")), []).extend(values)
    per = {f"{name} ({group})": {"n": len(v), "p50_s": round(statistics.median(v), 2), "p95_s": round(_pct(v, 0.95), 2),
                                 "target_p95_s": TARGETS.get((name, group))}
           for (name, group), v in sorted(lat.items())}
    errors = [e for part in parts for e in part["errors"]]
    return {"users": users, "seconds": seconds, "client": client, "client_processes": processes,
            "answered": sum(len(v) for v in lat.values()), "errors": len(errors),
            "unanswered": sum(part["unanswered"] for part in parts), "error_samples": errors[:5], "endpoints": per,
            "students_cpu_s": round(sum(part["cpu_s"] for part in parts), 1),
            "home_page": {"n": len(home), "p50_s": round(statistics.median(home), 3) if home else None,
                          "p95_s": round(_pct(home, 0.95), 3) if home else None}}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=60)
    p.add_argument("--seconds", type=float, default=90)
    p.add_argument("--drain", type=float, default=120)
    p.add_argument("--processes", type=int, default=1, help="client processes the students are spread over")
    p.add_argument("--client", choices=["http", "gradio"], default="http",
                   help="http: Gradio's HTTP API from one asyncio loop (light); gradio: a gradio_client per student")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "classroom.json")
    args = p.parse_args()
    report = {"cpus": os.cpu_count(), "load_average_before": os.getloadavg()}
    app = ServedApp()
    try:
        from gradio_client import Client

        warm = Client(app.url, verbose=False)  # every endpoint once: lazy loads happen before the baseline
        for click in (shared_click, own_click):
            for name, args_ in {n: a for n, a in (click(random.Random(i)) for i in range(40))}.items():
                warm.predict(*args_, api_name=f"/{name}")
        before = family_pss_mb(app.pid)
        by_process = {"before": {p: memory_parts_mb(p) for p in family(app.pid)}}
        cpu_before, wall_before = family_cpu_s(app.pid), time.perf_counter()
        result = run_class(app.url, args.users, args.seconds, args.drain, args.processes, args.client)
        wall = time.perf_counter() - wall_before
        after = family_pss_mb(app.pid)
        # The students run on the same machine as the server: their share of the CPU is the benchmark's own cost.
        result["cpu_cores_used"] = {"server": round((family_cpu_s(app.pid) - cpu_before) / wall, 2),
                                    "students": round(result.pop("students_cpu_s") / wall, 2)}
        time.sleep(SETTLE_S)
        settled = family_pss_mb(app.pid)
        by_process["settled"] = {p: memory_parts_mb(p) for p in family(app.pid)}
        result |= {"server_processes": len(family(app.pid)), "memory_by_process_mb": by_process,
                   "pss_before_mb": round(before), "pss_after_mb": round(after), "pss_settled_mb": round(settled),
                   "pss_settled_growth": round(settled / before - 1, 3), "server_alive": app.alive()}
    finally:
        app.close()
    report |= result | {"load_average_after": os.getloadavg()}
    met = [r["p95_s"] <= r["target_p95_s"] for r in result["endpoints"].values() if r["target_p95_s"]]
    print(f"{args.users} students, {args.seconds:.0f} s: {result['answered']} answered, {result['unanswered']} unanswered, "
          f"{result['errors']} errors; home page p50/p95 {result['home_page']['p50_s']}/{result['home_page']['p95_s']} s; "
          f"memory {result['pss_before_mb']} -> {result['pss_after_mb']} MB, {result['pss_settled_mb']} MB "
          f"({result['pss_settled_growth']:+.1%}) after {SETTLE_S} s; cores used: server "
          f"{result['cpu_cores_used']['server']}, students {result['cpu_cores_used']['students']}")
    print(f"{'endpoint (group)':<26} {'n':>5} {'p50 s':>7} {'p95 s':>7} {'target':>7}")
    for name, r in result["endpoints"].items():
        target = "" if r["target_p95_s"] is None else f"{r['target_p95_s']:g}{'' if r['p95_s'] <= r['target_p95_s'] else ' MISS'}"
        print(f"{name:<26} {r['n']:>5} {r['p50_s']:7.2f} {r['p95_s']:7.2f} {target:>7}")
    print(f"p95 targets met: {sum(met)} of {len(met)}")
    for s in result["error_samples"]:
        print("error:", s)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
