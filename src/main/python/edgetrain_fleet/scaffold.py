"""SCAFFOLD (Karimireddy et al., 2020, option II): control variates that correct the drift of members whose data
differ. The server keeps c, each member its own c_i; a member trains with every gradient shifted by c - c_i (the
daemon applies it after each step as weights -= lr * (c - c_i)), then sets c_i+ = c_i - c + (x - y) / (K * lr) from
the global weights x it started from and the weights y it ended with (K * lr: the daemon's lr_sum, schedules
included). The server adds the mean of the members' c_i changes to c. With members that share no class, FedAvg
pulls each round's average towards whichever classes the members last saw; the correction removes that pull."""

import numpy as np
from flwr.app import Array, ArrayRecord, RecordDict

CONTROL = "scaffold-c"              # server -> member: the server's control variate c
CONTROL_DELTA = "scaffold-delta-c"  # member -> server: c_i+ - c_i
_KEPT = "scaffold-c-i"              # the member's c_i in its Flower context state (kept across rounds by the SuperNode)


def zeros_like(arrays: ArrayRecord) -> ArrayRecord:
    return ArrayRecord({k: Array.from_numpy_ndarray(np.zeros_like(a.numpy())) for k, a in arrays.items()})


def member_control(state: RecordDict, c: dict) -> dict:
    """This member's c_i (zeros the first time, or when the model's tensors changed)."""
    kept = state.array_records.get(_KEPT) if hasattr(state, "array_records") else None
    if kept is not None and set(kept.keys()) == set(c) and all(kept[k].numpy().shape == c[k].shape for k in c):
        return {k: kept[k].numpy() for k in c}
    return {k: np.zeros_like(v) for k, v in c.items()}


def keep_member_control(state: RecordDict, c_i: dict) -> None:
    state[_KEPT] = ArrayRecord({k: Array.from_numpy_ndarray(v.astype(np.float32)) for k, v in c_i.items()})


def correction(c: dict, c_i: dict) -> dict:
    return {k: (c[k] - c_i[k]).astype(np.float32) for k in c}


def next_member_control(c: dict, c_i: dict, x: dict, y: dict, lr_sum: float) -> dict:
    """c_i+ = c_i - c + (x - y) / lr_sum; unchanged when no step was taken."""
    if not lr_sum > 0:
        return c_i
    return {k: (c_i[k] - c[k] + (x[k] - y[k]) / lr_sum).astype(np.float32) for k in c}
