#!/usr/bin/env python3
"""Measures a fleet on one machine: N edgetrain daemons + N Flower SuperNodes + 1 SuperLink, `flwr run`.
Prints the model's size, bytes on the wire per round (SuperNodes <-> SuperLink, counted by a relay in between),
the median round time (train and evaluate), and the resident memory of a SuperNode with its ClientApp process
(peak, sampled every 0.1 s) beside that of its daemon.

  target/pyvenv/bin/python scripts/fleet-bench.py --members 3 --layers "dense(32) leaky_relu dense(10)" --rounds 5
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src/main/python/tests"))
sys.path.insert(0, str(ROOT / "src/main/python"))
import fleet_harness as h  # noqa: E402


class Relay:
    """A TCP relay on a free port that counts the bytes each way."""

    def __init__(self, target_port: int):
        self.target = target_port
        self.port = h.free_port()
        self.up = self.down = 0
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._serve(), self.loop).result()

    async def _serve(self):
        self.server = await asyncio.start_server(self._conn, "127.0.0.1", self.port)

    async def _conn(self, r1, w1):
        r2, w2 = await asyncio.open_connection("127.0.0.1", self.target)

        async def pipe(r, w, up):
            try:
                while data := await r.read(65536):
                    if up:
                        self.up += len(data)
                    else:
                        self.down += len(data)
                    w.write(data)
                    await w.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                w.close()

        await asyncio.gather(pipe(r1, w2, True), pipe(r2, w1, False))


def rss_tree(pid: int) -> int:
    """Resident bytes of a process and its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for t in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (t / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=3)
    ap.add_argument("--layers", default="dense(32) leaky_relu dense(10)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--database", default=":flwr-in-memory:",
                    help="the SuperLink's state (a file: with 10 members on a loaded machine its SQLite file locked up)")
    a = ap.parse_args()
    h.require_components()
    work = Path(tempfile.mkdtemp(prefix="fleet-bench-"))
    f = h.Fleet(work, database=a.database)
    try:
        tmpl = work / "member.conf.tmpl"
        tmpl.write_text((ROOT / "examples/fleet-digits.conf").read_text().replace(
            "layers = dense(64) leaky_relu dense(10)", f"layers = {a.layers}"))
        for i in range(a.members):
            f.start_daemon(f"d{i}", h.split_csv(work / f"m{i}.csv", {c for c in range(10) if c % a.members == i % 10 % a.members}),
                           template=tmpl)
        f.start_superlink()
        relay = Relay(f.link_port)
        link = f.link_port
        f.link_port = relay.port  # SuperNodes go through the relay; flwr run talks to the SuperLink directly
        for i in range(a.members):
            f.start_supernode(f"n{i}", f"d{i}")
        f.link_port = link
        peak = {"node": 0, "daemon": 0}
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak["node"] = max(peak["node"], rss_tree(f.procs["n0"].pid))
                peak["daemon"] = max(peak["daemon"], rss_tree(f.procs["d0"].pid))
                time.sleep(0.1)

        threading.Thread(target=sample, daemon=True).start()
        time.sleep(3)
        idle_up, idle_down = relay.up, relay.down
        t0 = time.time()
        r = f.run({"num-server-rounds": a.rounds, "local-steps": a.steps, "min-available-nodes": a.members,
                   "min-train-nodes": a.members, "min-evaluate-nodes": a.members, "fraction-evaluate": 1.0,
                   "final-model": str(work / "global.safetensors"), "history": str(work / "history.json")})
        wall = time.time() - t0
        stop.set()
        if r.returncode != 0 or not (work / "history.json").exists():
            sys.exit(r.stdout[-3000:])
        hist = json.loads((work / "history.json").read_text())
        model = (work / "global.safetensors").stat().st_size
        rt = list(hist["train_round_seconds"].values())
        print(json.dumps({
            "members": a.members, "layers": a.layers, "model_bytes": model, "rounds": a.rounds,
            "wire_bytes_per_round": round((relay.up + relay.down - idle_up - idle_down) / a.rounds),
            "wire_up_per_round": round((relay.up - idle_up) / a.rounds), "wire_down_per_round": round((relay.down - idle_down) / a.rounds),
            "train_round_seconds_median": round(statistics.median(rt), 2), "run_seconds": round(wall, 1),
            "supernode_with_clientapp_peak_rss_mb": round(peak["node"] / 2**20, 1),
            "daemon_peak_rss_mb": round(peak["daemon"] / 2**20, 1),
            "final_eval_accuracy": hist["evaluate"].get(str(a.rounds), {}).get("eval-accuracy"),
        }))
    finally:
        f.stop()
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
