#!/usr/bin/env python3
"""Reference trajectories from PyTorch for edgetrain's interop test (src/test/java/.../TrajectoryTest).

For each case: build the nn.Sequential below with PyTorch's default init (seed 0), save its state_dict as
<case>-init.safetensors, train on data/digits-train.csv (standardized with population std, constant columns
divided by 1, like edgetrain), batch 32, no shuffle, and save <case>-final.safetensors plus the per-step losses
and the eval-mode logits of the first 8 test rows (<case>-expected.txt).

Run from the project root (needs torch and safetensors; CI does not, the outputs are committed):
    python3 scripts/reference/pytorch_trajectory.py src/test/resources/trajectory
"""
import sys, os, csv
import numpy as np
import torch
from torch import nn
from safetensors.torch import save_file


class Residual(nn.Sequential):
    """edgetrain's residual(...): y = x + block(x); its tensors are named <index>.<inner index>.weight."""
    def forward(self, x):
        return x + super().forward(x)


def load(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    header, data = rows[0], np.array(rows[1:], dtype=np.float64)
    label = header.index("label")
    y = data[:, label].astype(np.int64)
    x = np.delete(data, label, axis=1)
    return x, y


def standardize(train, other):
    mean = train.mean(axis=0)
    std = train.std(axis=0)  # population std, as edgetrain's Standardizer
    std[std <= 1e-12] = 1.0
    mean32, std32 = mean.astype(np.float32), std.astype(np.float32)
    f = lambda a: ((a.astype(np.float32) - mean32) / std32).astype(np.float32)
    return f(train), f(other)


CASES = {
    # name: (model factory, optimizer factory, epochs)
    "sgd": (lambda: nn.Sequential(nn.Linear(64, 32), nn.BatchNorm1d(32), nn.LeakyReLU(0.01),
                                  Residual(nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 32)), nn.Linear(32, 10)),
            lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-4), 2),
    "adam": (lambda: nn.Sequential(nn.Linear(64, 32), nn.PReLU(), nn.Linear(32, 10)),
             lambda p: torch.optim.Adam(p, lr=1e-3, weight_decay=1e-4), 1),
}


def save_state(model, path):
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, path)


def record_trajectory(model, optimizer, loss_fn, X, Y, epochs, out, name):
    """The recording both reference scripts make: <name>-init.safetensors, then training in batches of 32 in order
    (no shuffle) for `epochs`, then <name>-final.safetensors; returns every step's loss."""
    save_state(model, f"{out}/{name}-init.safetensors")
    losses = []
    model.train()
    for _ in range(epochs):
        for i in range(0, len(X), 32):
            optimizer.zero_grad()
            loss = loss_fn(model(X[i:i + 32]), Y[i:i + 32])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    save_state(model, f"{out}/{name}-final.safetensors")
    return losses


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    xtr, ytr = load("data/digits-train.csv")
    xte, _ = load("data/digits-test.csv")
    xtr, xte = standardize(xtr, xte)
    X, Y, XT = torch.from_numpy(xtr), torch.from_numpy(ytr), torch.from_numpy(xte[:8])
    for name, (make, opt, epochs) in CASES.items():
        torch.manual_seed(0)
        model = make()
        losses = record_trajectory(model, opt(model.parameters()), nn.CrossEntropyLoss(), X, Y, epochs, out, name)
        model.eval()
        with torch.no_grad():
            logits = model(XT)
        with open(f"{out}/{name}-expected.txt", "w") as f:
            f.write(f"# torch {torch.__version__}: per-step training losses, then eval-mode logits of test rows 0..7\n")
            f.write("losses " + " ".join(repr(v) for v in losses) + "\n")
            for r in logits.tolist():
                f.write("logits " + " ".join(repr(v) for v in r) + "\n")
        print(f"{name}: {len(losses)} steps, first loss {losses[0]:.6f}, last {losses[-1]:.6f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/trajectory")
