"""The ServerApp: `flwr run` starts it on the SuperLink. Run config (pyproject.toml, or `flwr run -c 'k=v'`):
num-server-rounds, local-steps / local-windows, fraction-train, fraction-evaluate, min-train-nodes,
min-evaluate-nodes, min-available-nodes, min-train-replies, round-timeout, fingerprint, final-model, history,
strategy (scaffold or fedavg), server-momentum."""

import json
from pathlib import Path

from flwr.app import ConfigRecord, Context
from flwr.serverapp import Grid, ServerApp

from . import safetensors_f32
from .strategy import EdgetrainFedAvg

app = ServerApp()


@app.main()
def main(grid: Grid, context: Context) -> None:
    rc = context.run_config
    strategy = EdgetrainFedAvg(
        fraction_train=float(rc["fraction-train"]),
        fraction_evaluate=float(rc["fraction-evaluate"]),
        min_train_nodes=int(rc["min-train-nodes"]),
        min_evaluate_nodes=int(rc["min-evaluate-nodes"]),
        min_available_nodes=int(rc["min-available-nodes"]),
        min_train_replies=int(rc["min-train-replies"]),
        fingerprint=str(rc.get("fingerprint", "")) or None,
        use_scaffold=str(rc.get("strategy", "scaffold")) == "scaffold",
        server_momentum=float(rc.get("server-momentum", 0.0)),
    )
    if str(rc.get("strategy", "scaffold")) not in ("scaffold", "fedavg"):
        raise ValueError(f"run config strategy = {rc['strategy']!r}; allowed: scaffold, fedavg")
    timeout = float(rc["round-timeout"])
    initial = strategy.initial_arrays(grid, timeout)
    train_config = ConfigRecord({"local-steps": int(rc["local-steps"]), "local-windows": int(rc["local-windows"])})
    result = strategy.start(grid=grid, initial_arrays=initial, num_rounds=int(rc["num-server-rounds"]), timeout=timeout,
                            train_config=train_config)
    final = result.arrays if result.arrays is not None else initial
    if rc.get("final-model"):
        Path(str(rc["final-model"])).write_bytes(safetensors_f32.encode({k: a.numpy() for k, a in final.items()}))
    if rc.get("history"):
        history = {
            "train": {r: dict(m) for r, m in result.train_metrics_clientapp.items()},
            "evaluate": {r: dict(m) for r, m in result.evaluate_metrics_clientapp.items()},
            "refused": strategy.refused,
            "train_round_seconds": strategy.round_seconds,
            "accepted": strategy.accepted,
            "fingerprint": strategy.fingerprint,
        }
        Path(str(rc["history"])).write_text(json.dumps(history, indent=1))
