"""Deployment mode on one machine: edgetrain daemons (the jar), a Flower SuperLink, one SuperNode per daemon, and
`flwr run`. Digits split so that each member sees only some classes (non-IID)."""

import json
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

import fleet_harness as h
from edgetrain_fleet.daemon_client import DaemonClient, FleetApiError
from edgetrain_fleet import safetensors_f32

SPLITS = [{0, 1, 2, 3}, {4, 5, 6}, {7, 8, 9}]
EVAL_CONF = """[model]
layers = dense(64) leaky_relu dense(10)
[loss]
type = cross_entropy
[train]
batch = 32
[data]
label = label
standardize = false
"""


@pytest.fixture
def fleet(tmp_path):
    h.require_components()
    f = h.Fleet(tmp_path)
    yield f
    f.stop()


def accuracy_on_test_set(work: Path, weights: dict, name: str) -> float:
    """The weights as an edgetrain model, evaluated by `edgetrain eval` on the digits test set."""
    st = work / f"{name}.safetensors"
    st.write_bytes(safetensors_f32.encode(weights))
    conf = work / "eval.conf"
    conf.write_text(EVAL_CONF)
    jar = ["java", "-jar", str(h.JAR)]
    subprocess.run(jar + ["train", "--config", str(conf), "--train", str(h.TRAIN_CSV), "--init-from", str(st), "--epochs", "0",
                          "--out", str(work / f"{name}.etm"), "--kernels", "java", "--quiet"], check=True, capture_output=True)
    out = subprocess.run(jar + ["eval", "--model", str(work / f"{name}.etm"), "--data", str(h.TEST_CSV)], check=True,
                         capture_output=True, text=True).stdout
    return float(re.search(r"^accuracy (\S+)", out, re.M).group(1))


def start_members(f: h.Fleet, splits=SPLITS):
    for i, classes in enumerate(splits):
        f.start_daemon(f"d{i}", h.split_csv(f.work / f"m{i}.csv", classes))
    f.start_superlink()
    for i in range(len(splits)):
        f.start_supernode(f"n{i}", f"d{i}")


# the must-show: at most 20 rounds of 40 local steps (SCAFFOLD with server momentum 0.5, pyproject.toml's defaults)
ROUNDS, STEPS = int(os.environ.get("EDGETRAIN_FLEET_ROUNDS", "20")), 40


def test_three_non_iid_members_learn_what_none_learns_alone(fleet):
    start_members(fleet)
    # EDGETRAIN_FLEET_STRATEGY=fedavg EDGETRAIN_FLEET_MOMENTUM=0: the README's plain-FedAvg row (misses the target)
    r = fleet.run({"num-server-rounds": ROUNDS, "local-steps": STEPS, "min-available-nodes": 3, "min-train-nodes": 3,
                   "strategy": os.environ.get("EDGETRAIN_FLEET_STRATEGY", "scaffold"),
                   "server-momentum": float(os.environ.get("EDGETRAIN_FLEET_MOMENTUM", "0.5")),
                   "fraction-evaluate": 0.0, "final-model": str(fleet.work / "global.safetensors"),
                   "history": str(fleet.work / "history.json")})
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    history = json.loads((fleet.work / "history.json").read_text())
    assert {int(k): v for k, v in history["accepted"].items()} == {r: 3 for r in range(1, ROUNDS + 1)}, "every round averages all three"
    assert history["refused"] == []
    fed = accuracy_on_test_set(fleet.work, safetensors_f32.decode((fleet.work / "global.safetensors").read_bytes()), "global")

    # the same member alone, the same number of steps on its own classes; and the same model with all the data
    fleet.start_daemon("alone", fleet.work / "m0.csv")
    fleet.start_daemon("central", h.TRAIN_CSV)
    time.sleep(1)
    solo, central = DaemonClient(fleet.daemon_url("alone"), h.TOKEN), DaemonClient(fleet.daemon_url("central"), h.TOKEN)
    solo.train(steps=ROUNDS * STEPS)
    central.train(steps=ROUNDS * STEPS * 3)
    alone_acc = accuracy_on_test_set(fleet.work, solo.weights(), "alone")
    central_acc = accuracy_on_test_set(fleet.work, central.weights(), "central")
    print(f"\nfederated {fed:.4f}  member 0 alone {alone_acc:.4f}  central {central_acc:.4f}  ({ROUNDS} rounds × {STEPS} steps)")
    (fleet.work / "accuracy.json").write_text(json.dumps({"federated": fed, "alone": alone_acc, "central": central_acc}))
    assert alone_acc < 0.5, "a member that sees 4 classes of 10 cannot pass 0.4"
    assert fed > alone_acc + 0.3, f"the fleet learns the classes no member has alone: {fed} vs {alone_acc}"
    # central: the same model, optimizer and batch, as many steps as the three members took together
    assert central_acc - fed <= 0.02, f"within 2 points of the central model: {fed} vs {central_acc}"


def wait_for(pattern: str, path: Path, count: int, seconds: float):
    end = time.time() + seconds
    while time.time() < end:
        if path.exists() and len(re.findall(pattern, path.read_text(errors="replace"))) >= count:
            return
        time.sleep(0.2)
    raise TimeoutError(f"{pattern!r} did not appear {count} times in {path} within {seconds} s")


def test_faults_killed_daemon_restarted_supernode_and_a_foreign_member(fleet):
    start_members(fleet)
    # a fourth member with another model (other fingerprint): refused by the ServerApp, never averaged
    other = fleet.work / "other.conf.tmpl"
    other.write_text((h.ROOT / "examples/fleet-digits.conf").read_text().replace("dense(64) leaky_relu", "dense(32) leaky_relu"))
    fleet.start_daemon("d3", fleet.work / "m2.csv", template=other)
    fleet.start_supernode("n3", "d3")
    rounds = 6
    run = {}
    t = threading.Thread(target=lambda: run.update(r=fleet.run(
        {"num-server-rounds": rounds, "local-steps": 20, "min-available-nodes": 4, "min-train-nodes": 3,
         "fraction-evaluate": 0.0, "round-timeout": 120.0, "history": str(fleet.work / "history.json")})))
    t.start()
    d1_log = fleet.work / "d1.log"
    replaced = r"fleet API: weights replaced"
    wait_for(replaced, d1_log, 2, 300)           # d1 is in round 2: SIGKILL it mid-round
    fleet.kill("d1")
    # the round goes on without it (its ClientApp's reply is an error); then it comes back
    wait_for(r"Received \d+ results and [1-9] failures", fleet.work / "flwr-run.log", 1, 300)
    before = len(re.findall(replaced, d1_log.read_text()))
    fleet.restart_daemon("d1")
    wait_for(replaced, d1_log, before + 1, 300)  # taken into a later round again
    fleet.kill("n2", signal.SIGTERM)              # a SuperNode restarted
    fleet.restart_supernode("n2")
    t.join(900)
    r = run["r"]
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    history = json.loads((fleet.work / "history.json").read_text())
    accepted = {int(k): v for k, v in history["accepted"].items()}
    print("\nupdates averaged per round:", accepted)
    assert sorted(accepted) == list(range(1, rounds + 1)), "every round ran to its end"
    assert sum(1 for v in accepted.values() if v > 0) >= rounds - 2, "a fault costs a round at most (skipped by min-train-replies)"
    assert accepted[rounds] == 3, "after the restarts all three members are averaged again"
    refused_nodes = {node for _, node, _ in history["refused"]}
    assert len(refused_nodes) == 1 and all("fingerprint" in why for *_, why in history["refused"])
    log = r.stdout + r.stderr
    assert "refusing member node" in log
    assert re.search(r"Received \d+ results and [1-9]\d* failures", log), "the killed daemon's round counted it as a failure"
    d1 = DaemonClient(fleet.daemon_url("d1"), h.TOKEN)
    assert d1.describe()["steps"] > 0
    assert "resumed from" in d1_log.read_text(), "the restarted daemon resumed from its checkpoint"
    with pytest.raises(FleetApiError) as e:
        DaemonClient(fleet.daemon_url("d1"), "wrong-token-0123456789").weights()
    assert e.value.status == 401


def test_two_rounds_over_tls_with_an_int16_member_among_fp32_ones(tmp_path):
    h.require_components()
    f = h.Fleet(tmp_path, tls=True)
    try:
        # int16 keeps its rows on the standardized scale, so every member standardizes (frozen after 200 rows); on
        # shares of the same distribution (every third row) their statistics, hence their input scales, agree
        template = tmp_path / "standardized.conf.tmpl"
        template.write_text((h.ROOT / "examples/fleet-digits.conf").read_text()
                            .replace("standardize = off ", "standardize = frozen ").replace("warmup = 0", "warmup = 200"))
        for i in range(3):
            extra = "[engine]\nprecision = fixed\n" if i == 2 else ""  # the third member trains in int16
            f.start_daemon(f"d{i}", h.split_rows(tmp_path / f"m{i}.csv", i, 3), extra=extra, template=template)
        int16 = DaemonClient(f.daemon_url("d2"), h.TOKEN)
        assert int16.describe()["precision"] == "int16"
        assert int16.describe()["fingerprint"] == DaemonClient(f.daemon_url("d0"), h.TOKEN).describe()["fingerprint"]
        f.start_superlink()
        for i in range(3):
            f.start_supernode(f"n{i}", f"d{i}")
        r = f.run({"num-server-rounds": 2, "local-steps": 10, "min-available-nodes": 3, "min-train-nodes": 3,
                   "min-evaluate-nodes": 3, "fraction-evaluate": 1.0, "final-model": str(tmp_path / "global.safetensors"),
                   "history": str(tmp_path / "history.json")})
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        history = json.loads((tmp_path / "history.json").read_text())
        assert list(history["train"]) == ["1", "2"] and list(history["evaluate"]) == ["1", "2"]
        assert {int(k): v for k, v in history["accepted"].items()} == {1: 3, 2: 3}, "the int16 member's update is averaged"
        assert history["refused"] == []
        assert "--insecure" not in " ".join(f.daemon_cmds["n0"])
        d2 = (tmp_path / "d2.log").read_text()
        assert d2.count("fleet API: weights replaced") >= 4, "train and evaluate messages of both rounds reached the int16 daemon"
        assert int16.describe()["steps"] == 20, "two rounds of 10 int16 steps"
        # the last global model it took (the evaluation's) is what it holds now, up to its int16 grid
        final = safetensors_f32.decode((tmp_path / "global.safetensors").read_bytes())
        held = int16.weights()
        for name, w in final.items():
            assert abs(held[name] - w).max() <= 1e-3 * max(1.0, abs(w).max()), name
        assert (tmp_path / "d2/checkpoints/checkpoint-000000000020.ckpt").exists(), "the last replacement was checkpointed"
    finally:
        f.stop()
