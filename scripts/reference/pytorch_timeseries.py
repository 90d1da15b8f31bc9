#!/usr/bin/env python3
"""Reference trajectories from PyTorch for edgetrain's time layers (src/test/java/.../TimeSeriesTrajectoryTest).

Writes, into OUT (default src/test/resources/timeseries):
  waves-train.csv     320 windows of 32 steps x 3 channels, 4 classes (the dominant frequency), columns f0..f95 in
                      edgetrain's row order (step-major: f[t*3 + c]), then label
  forecast-train.csv  320 windows of 24 steps x 3 channels, targets next0..next2 = the sample after the window
  <case>-init.safetensors, <case>-final.safetensors, <case>-expected.txt (per-step losses), <case>.conf

The PyTorch twins below read a window as [N, L, C] (batch_first), edgetrain's layout; a convolution or pooling layer
transposes to nn.Conv1d's [N, C, L] and back, so its weight is nn.Conv1d's own [out, in, k] tensor and nn.Flatten
flattens in edgetrain's order. Names are nn.Sequential's (0.weight, 2.weight_ih_l0, ...).

Run from the project root (needs torch, numpy, safetensors; CI does not, the outputs are committed):
    python3 scripts/reference/pytorch_timeseries.py
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_trajectory import record_trajectory  # noqa: E402  (the same recording loop as the MLP fixtures)


class Conv1d(nn.Conv1d):
    """edgetrain's conv1d(out, k, stride, padding=valid|same|causal, dilation) on [N, L, C]."""

    def __init__(self, cin, cout, k, stride=1, padding="valid", dilation=1):
        self.causal = padding == "causal"
        super().__init__(cin, cout, k, stride=stride, padding=0 if self.causal else padding, dilation=dilation)

    def forward(self, x):
        x = x.transpose(1, 2)
        if self.causal:
            x = F.pad(x, (self.dilation[0] * (self.kernel_size[0] - 1), 0))
        return super().forward(x).transpose(1, 2)


class MaxPool1d(nn.MaxPool1d):
    def forward(self, x):
        return super().forward(x.transpose(1, 2)).transpose(1, 2)


class AvgPool1d(nn.AvgPool1d):
    def forward(self, x):
        return super().forward(x.transpose(1, 2)).transpose(1, 2)


class GlobalAvgPool1d(nn.AdaptiveAvgPool1d):
    """nn.AdaptiveAvgPool1d(1) + flatten."""

    def __init__(self):
        super().__init__(1)

    def forward(self, x):
        return super().forward(x.transpose(1, 2)).flatten(1)


class Upsample1d(nn.Upsample):
    def __init__(self, factor):
        super().__init__(scale_factor=factor, mode="nearest")

    def forward(self, x):
        return super().forward(x.transpose(1, 2)).transpose(1, 2)


class GRU(nn.GRU):
    """edgetrain's gru(hidden[, sequences=all]): one layer, batch_first; the last step's h or every step's."""

    def __init__(self, cin, hidden, all_steps=False):
        super().__init__(cin, hidden, batch_first=True)
        self.all_steps = all_steps

    def forward(self, x):
        out, _ = super().forward(x)
        return out if self.all_steps else out[:, -1]


def waves(rng, rows, steps=32, channels=3):
    """Class k: every channel a sine at frequency FREQ[k] (cycles per window), own phase and amplitude, plus noise."""
    freq = [1.0, 2.0, 3.0, 5.0]
    y = rng.integers(0, 4, rows)
    t = np.arange(steps)
    x = np.zeros((rows, steps, channels))
    for r in range(rows):
        for c in range(channels):
            x[r, :, c] = rng.uniform(0.5, 1.5) * np.sin(2 * np.pi * freq[y[r]] * t / steps + rng.uniform(0, 2 * np.pi))
    x += 0.3 * rng.standard_normal(x.shape)
    return np.round(x, 4).astype(np.float32), y  # 4 decimals: what the CSV holds


def forecast(rng, rows, steps=24, channels=3):
    """Windows cut from one long signal (two sines per channel plus noise); the target is the next sample."""
    n = rows * 4 + steps + 1
    t = np.arange(n)
    sig = np.zeros((n, channels))
    for c in range(channels):
        sig[:, c] = np.sin(2 * np.pi * t / (17 + 5 * c)) + 0.5 * np.sin(2 * np.pi * t / (7 + 2 * c) + c)
    sig += 0.1 * rng.standard_normal(sig.shape)
    starts = np.arange(rows) * 4
    sig = np.round(sig, 4)  # 4 decimals: what the CSV holds
    x = np.stack([sig[s:s + steps] for s in starts]).astype(np.float32)
    y = np.stack([sig[s + steps] for s in starts]).astype(np.float32)
    return x, y


def write_csv(path, x, y, label_names):
    rows, steps, channels = x.shape
    names = [f"f{i}" for i in range(steps * channels)] + label_names
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for r in range(rows):
            vals = [f"{v:.4f}" for v in x[r].reshape(-1)]
            lab = [str(int(y[r]))] if y.ndim == 1 else [f"{v:.4f}" for v in y[r]]
            f.write(",".join(vals + lab) + "\n")


# name: (data, model factory, edgetrain layers, optimizer factory, edgetrain [optimizer] lines, epochs)
MOMENTUM = (lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=1e-4),
            "type = momentum\nlr = 0.1\nmomentum = 0.9\nweight_decay = 0.0001")
ADAM = (lambda p: torch.optim.Adam(p, lr=1e-2, weight_decay=1e-4), "type = adam\nlr = 0.01\nweight_decay = 0.0001")
CONV_A = (lambda: nn.Sequential(Conv1d(3, 8, 5, padding="same"), nn.ReLU(), MaxPool1d(2), Conv1d(8, 8, 3, stride=2),
                                nn.LeakyReLU(0.01), GlobalAvgPool1d(), nn.Linear(8, 4)),
          "conv1d(8, 5, padding=same) relu maxpool1d(2) conv1d(8, 3, stride=2) leaky_relu global_avgpool1d dense(4)")
CONV_B = (lambda: nn.Sequential(Conv1d(3, 6, 3, padding="causal", dilation=2), nn.Tanh(), AvgPool1d(4, 2),
                                Upsample1d(2), MaxPool1d(3, 3), nn.Flatten(), nn.Linear(6 * 10, 4)),
          "conv1d(6, 3, padding=causal, dilation=2) tanh avgpool1d(4, stride=2) upsample1d(2) maxpool1d(3) flatten dense(4)")
GRU_A = (lambda: nn.Sequential(GRU(3, 16), nn.Linear(16, 3)), "gru(16) dense(3)")
GRU_B = (lambda: nn.Sequential(GRU(3, 8, all_steps=True), nn.Flatten(), nn.Linear(8 * 24, 3)),
         "gru(8, sequences=all) flatten dense(3)")
CASES = {
    "conv-momentum": ("waves", CONV_A, MOMENTUM, 2),
    "conv-adam": ("waves", CONV_B, ADAM, 2),
    "gru-momentum": ("forecast", GRU_B, MOMENTUM, 2),
    "gru-adam": ("forecast", GRU_A, ADAM, 2),
}


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    rng = np.random.default_rng(12)
    data = {"waves": waves(rng, 320), "forecast": forecast(rng, 320)}
    write_csv(f"{out}/waves-train.csv", *data["waves"], ["label"])
    write_csv(f"{out}/forecast-train.csv", *data["forecast"], ["next0", "next1", "next2"])
    for name, (dname, (make, layers), (opt, opt_conf), epochs) in CASES.items():
        x, y = data[dname]
        X = torch.from_numpy(x)
        Y = torch.from_numpy(y)
        classify = dname == "waves"
        torch.manual_seed(0)
        model = make()
        loss_fn = nn.CrossEntropyLoss() if classify else nn.MSELoss()
        losses = record_trajectory(model, opt(model.parameters()), loss_fn, X, Y, epochs, out, name)
        with open(f"{out}/{name}-expected.txt", "w") as f:
            f.write(f"# torch {torch.__version__}: per-step training losses\n")
            f.write("losses " + " ".join(repr(v) for v in losses) + "\n")
        with open(f"{out}/{name}.conf", "w") as f:
            f.write(f"# Mirrors CASES[\"{name}\"] in scripts/reference/pytorch_timeseries.py\n"
                    f"[model]\nchannels = 3\nlayers = {layers}\n"
                    f"[loss]\ntype = {'cross_entropy' if classify else 'mse'}\n"
                    f"[optimizer]\n{opt_conf}\n[clip]\nnorm = 0\n"
                    f"[train]\nbatch = 32\nepochs = {epochs}\nshuffle = false\n"
                    f"[data]\nlabel = {'label' if classify else 'next0, next1, next2'}\nstandardize = false\n"
                    + ("" if classify else "standardize_targets = false\n"))
        print(f"{name}: {len(losses)} steps, first loss {losses[0]:.6f}, last {losses[-1]:.6f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/timeseries")
