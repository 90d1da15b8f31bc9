"""The ClientApp beside each board's daemon: Flower's SuperNode on the board runs it; it talks to the daemon's fleet
API on loopback. Node config (flower-supernode --node-config): daemon-url, token-file."""

import math

from flwr.app import Array, ArrayRecord, ConfigRecord, Context, Message, MetricRecord, RecordDict
from flwr.clientapp import ClientApp

from . import scaffold
from .daemon_client import DaemonClient

app = ClientApp()


def _daemon(context: Context) -> DaemonClient:
    cfg = context.node_config
    url = str(cfg.get("daemon-url", "http://127.0.0.1:8471"))
    return DaemonClient.from_token_file(url, str(cfg.get("token-file", "fleet.token")))


def _member(d: dict) -> ConfigRecord:
    """What the ServerApp checks before it averages an update: same model, same optimizer, same batch."""
    return ConfigRecord({"fingerprint": d["fingerprint"], "precision": d["precision"]})


def _tensors(arrays: ArrayRecord) -> dict:
    return {name: arr.numpy() for name, arr in arrays.items()}


def _finite(v) -> float:
    return float(v) if v is not None and math.isfinite(v) else float("nan")


@app.query()
def query(msg: Message, context: Context) -> Message:
    """The member's description and current weights: the ServerApp starts the fleet from one member's weights."""
    daemon = _daemon(context)
    d = daemon.describe()
    content = RecordDict({
        "arrays": _arrays(daemon.weights()),
        "member": _member(d),
        "metrics": MetricRecord({"num-examples": int(d["train_rows"]), "holdout-rows": int(d["holdout_rows"])}),
    })
    return Message(content=content, reply_to=msg)


def _arrays(tensors: dict) -> ArrayRecord:
    return ArrayRecord({name: Array.from_numpy_ndarray(t) for name, t in tensors.items()})


@app.train()
def train(msg: Message, context: Context) -> Message:
    """Global weights in, local training on the board's own data, the new weights out with the sample count."""
    daemon = _daemon(context)
    cfg = msg.content["config"]
    x = _tensors(msg.content["arrays"])
    daemon.replace_weights(x)
    windows = int(cfg.get("local-windows", 0))
    steps = 0 if windows > 0 else int(cfg.get("local-steps", 20))
    control = msg.content.array_records.get(scaffold.CONTROL)
    if control is not None:  # SCAFFOLD: train with c - c_i, then send c_i's change
        c = _tensors(control)
        c_i = scaffold.member_control(context.state, c)
        r = daemon.train(steps=steps, windows=windows, correction=scaffold.correction(c, c_i))
        y = daemon.weights()
        new_c_i = scaffold.next_member_control(c, c_i, x, y, float(r.get("lr_sum") or 0.0))
        scaffold.keep_member_control(context.state, new_c_i)
    else:
        r = daemon.train(steps=steps, windows=windows)
        y = daemon.weights()
    d = daemon.describe()
    content = RecordDict({
        "arrays": _arrays(y),
        "metrics": MetricRecord({"num-examples": int(r["train_rows"]), "train-loss": _finite(r["loss"]),
                                 "local-steps": int(r["steps"])}),
        "member": _member(d),
    })
    if control is not None:
        content[scaffold.CONTROL_DELTA] = _arrays({k: new_c_i[k] - c_i[k] for k in c})
    return Message(content=content, reply_to=msg)


@app.evaluate()
def evaluate(msg: Message, context: Context) -> Message:
    """The global model on the board's held-out slice."""
    daemon = _daemon(context)
    daemon.replace_weights(_tensors(msg.content["arrays"]))
    e = daemon.evaluate()
    d = daemon.describe()
    content = RecordDict({
        "metrics": MetricRecord({"num-examples": int(e["rows"]), "eval-loss": _finite(e["loss"]),
                                 "eval-accuracy": _finite(e["accuracy"])}),
        "member": _member(d),
    })
    return Message(content=content, reply_to=msg)
