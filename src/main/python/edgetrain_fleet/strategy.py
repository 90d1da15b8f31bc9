"""Flower's FedAvg (weighted by each member's sample count), refusing what must not be averaged: an update from a
member whose model or optimizer differs (config fingerprint), or whose tensors have other names or shapes than the
global model's, or hold a non-finite value. Refusals are logged, one line each; a round with fewer acceptable updates
than min_train_replies keeps the previous global model."""

from collections import Counter
from logging import INFO, WARNING
import time

import numpy as np
from flwr.app import Array, ArrayRecord, ConfigRecord, Message, MessageType, RecordDict
from flwr.common import log
from flwr.serverapp import Grid
from flwr.serverapp.strategy import FedAvg

from . import scaffold


def refusal(content: RecordDict, fingerprint: str, shapes: dict) -> str | None:
    """Why this update must not be averaged, or None."""
    member = content.get("member")
    found = member.get("fingerprint") if isinstance(member, ConfigRecord) else None
    if found != fingerprint:
        return f"config fingerprint {found}, the fleet's is {fingerprint} (another model, loss, optimizer or batch)"
    weights = [k for k in content.array_records if k != scaffold.CONTROL_DELTA]
    if len(weights) != 1:
        return f"{len(weights)} weight records; expected 1"
    for key in content.array_records:
        arrays = content.array_records[key]
        what = "tensor" if key in weights else "SCAFFOLD control tensor"
        if set(arrays.keys()) != set(shapes):
            return f"{what}s {sorted(arrays.keys())}, the global model has {sorted(shapes)}"
        for name, arr in arrays.items():
            a = arr.numpy()
            if tuple(a.shape) != shapes[name]:
                return f"{what} {name} has shape {list(a.shape)}, the global model's is {list(shapes[name])}"
            if not np.all(np.isfinite(a)):
                return f"{what} {name} holds a non-finite value"
    return None


class EdgetrainFedAvg(FedAvg):
    """With `use_scaffold`, SCAFFOLD's control variates travel beside the weights (see scaffold.py); with
    `server_momentum` m > 0, the server applies the averaged update through momentum (FedAvgM, Hsu et al. 2019):
    v = m * v + (x - average), x = x - v."""

    def __init__(self, *, fingerprint: str | None = None, min_train_replies: int = 1, use_scaffold: bool = False,
                 server_momentum: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        self.use_scaffold = use_scaffold
        self.server_momentum = server_momentum
        self._global: ArrayRecord | None = None   # the weights this round started from
        self._velocity: dict | None = None
        self._control: dict | None = None          # SCAFFOLD's c
        self._members = 0                          # members that train (SCAFFOLD's N)
        self.fingerprint = fingerprint
        self.min_train_replies = min_train_replies
        self._shapes: dict = {}
        self.refused: list[tuple[int, int, str]] = []  # (round, node, reason), for the caller and the tests
        self.accepted: dict[int, int] = {}  # round -> updates averaged (0: round skipped)
        self.round_seconds: dict[int, float] = {}  # configure_train to aggregated: the round's wall time
        self._round_start = 0.0
        self.excluded: set[int] = set()  # members whose fingerprint differs: sent nothing to average

    def initial_arrays(self, grid: Grid, timeout: float) -> ArrayRecord:
        """Waits for min_available_nodes members, asks each for its description and weights, settles the fleet's
        fingerprint (the configured one, else the most common) and starts from the weights of a member that has it."""
        while len(nodes := sorted(grid.get_node_ids())) < self.min_available_nodes:
            log(INFO, "waiting for members: %d connected (min-available-nodes %d)", len(nodes), self.min_available_nodes)
            time.sleep(1.0)
        replies = list(grid.send_and_receive(
            [Message(RecordDict(), dst_node_id=n, message_type=MessageType.QUERY) for n in nodes], timeout=timeout))
        ok = [m for m in replies if not m.has_error()]
        for m in replies:
            if m.has_error():
                log(WARNING, "member node %d did not describe itself: %s", m.metadata.src_node_id, m.error.reason)
        if not ok:
            raise RuntimeError("no member answered; is each SuperNode's daemon running with the fleet API on?")
        prints = {m.metadata.src_node_id: m.content["member"]["fingerprint"] for m in ok}
        if not self.fingerprint:
            self.fingerprint = Counter(prints.values()).most_common(1)[0][0]
        for node, fp in sorted(prints.items()):
            if fp != self.fingerprint:
                self.excluded.add(node)
                self.refused.append((0, node, f"config fingerprint {fp}, the fleet's is {self.fingerprint}"))
                log(WARNING, "refusing member node %d: config fingerprint %s, the fleet's is %s (another model, loss, "
                    "optimizer or batch); it takes part in no average", node, fp, self.fingerprint)
        first = min((m for m in ok if prints[m.metadata.src_node_id] == self.fingerprint), key=lambda m: m.metadata.src_node_id)
        self._members = len(ok) - len(self.excluded)
        log(INFO, "fleet fingerprint %s; %d members; initial weights from node %d", self.fingerprint, len(ok),
            first.metadata.src_node_id)
        return first.content["arrays"]

    def configure_train(self, server_round, arrays, config, grid):
        self._shapes = {name: tuple(a.shape) for name, a in arrays.items()}
        self._round_start = time.monotonic()
        self._global = arrays
        messages = self._without_excluded(super().configure_train(server_round, arrays, config, grid))
        if self.use_scaffold:
            if self._control is None:
                self._control = {k: np.zeros_like(a.numpy()) for k, a in arrays.items()}
            for m in messages:
                m.content[scaffold.CONTROL] = ArrayRecord({k: Array.from_numpy_ndarray(v) for k, v in self._control.items()})
        return messages

    def configure_evaluate(self, server_round, arrays, config, grid):
        return self._without_excluded(super().configure_evaluate(server_round, arrays, config, grid))

    def _without_excluded(self, messages):
        return [m for m in messages if m.metadata.dst_node_id not in self.excluded]

    def _accepted(self, server_round: int, replies, what: str, check_arrays: bool) -> list[Message]:
        out = []
        for m in replies:
            if m.has_error():
                out.append(m)  # counted and logged as a failure by FedAvg
                continue
            if check_arrays:
                why = refusal(m.content, self.fingerprint, self._shapes)
            else:
                member = m.content.get("member")
                fp = member.get("fingerprint") if isinstance(member, ConfigRecord) else None
                why = None if fp == self.fingerprint else f"config fingerprint {fp}, the fleet's is {self.fingerprint}"
            if why:
                node = m.metadata.src_node_id
                log(WARNING, "round %d: refusing %s from member node %d: %s", server_round, what, node, why)
                self.refused.append((server_round, node, why))
            else:
                out.append(m)
        return out

    def aggregate_train(self, server_round, replies):
        self.round_seconds[server_round] = time.monotonic() - self._round_start
        replies = list(replies)
        kept = self._accepted(server_round, replies, "update", True)
        good = sum(1 for m in kept if not m.has_error())
        self.accepted[server_round] = good if good >= self.min_train_replies else 0
        if good < self.min_train_replies:
            log(WARNING, "round %d: %d acceptable updates of %d, fewer than min-train-replies %d: keeping the previous "
                "global model", server_round, good, len(replies), self.min_train_replies)
            return None, None
        deltas = []
        for m in kept:
            if not m.has_error() and scaffold.CONTROL_DELTA in m.content.array_records:
                deltas.append({k: a.numpy() for k, a in m.content.array_records[scaffold.CONTROL_DELTA].items()})
                del m.content[scaffold.CONTROL_DELTA]  # FedAvg averages the weights only
        arrays, metrics = super().aggregate_train(server_round, kept)
        if arrays is None:
            return arrays, metrics
        if self.use_scaffold and deltas and self._control is not None:
            n = max(self._members, len(deltas))  # c += (|S| / N) * mean(delta c_i) = sum / N
            self._control = {k: (c + sum(d[k] for d in deltas) / n).astype(np.float32) for k, c in self._control.items()}
        if self.server_momentum > 0 and self._global is not None:
            x = {k: a.numpy() for k, a in self._global.items()}
            step = {k: x[k] - a.numpy() for k, a in arrays.items()}
            if self._velocity is None:
                self._velocity = step
            else:
                self._velocity = {k: self.server_momentum * self._velocity[k] + step[k] for k in step}
            arrays = ArrayRecord({k: Array.from_numpy_ndarray((x[k] - self._velocity[k]).astype(np.float32)) for k in step})
        return arrays, metrics

    def aggregate_evaluate(self, server_round, replies):
        return super().aggregate_evaluate(server_round, self._accepted(server_round, list(replies), "evaluation", False))
