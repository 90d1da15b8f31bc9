#!/usr/bin/env python3
"""The edgetrain bench cases in PyTorch, one thread, for a side-by-side comparison on the same machine.

Same models (Linear + LeakyReLU(0.01)), loss (CrossEntropyLoss), optimizer (SGD, lr 0.001, momentum 0.9), batch sizes and
synthetic data as `edgetrain bench`; a warm-up of the same length as the measurement. Prints the same table columns.
The time-layer rows and the conv forward are per second of this thread's CPU time (time.thread_time), as edgetrain
bench measures them, so that other load on a shared machine skews neither side; the dense rows are wall-clock.
Usage: python3 scripts/bench_pytorch.py [seconds]
"""
import sys, time
import torch
from torch import nn

CASES = [((64, 128, 64, 10), 1), ((64, 128, 64, 10), 32), ((784, 256, 128, 10), 32)]


def model(widths):
    layers = []
    for i in range(1, len(widths)):
        layers.append(nn.Linear(widths[i - 1], widths[i]))
        if i < len(widths) - 1:
            layers.append(nn.LeakyReLU(0.01))
    return nn.Sequential(*layers)


class LastStep(nn.Module):
    def forward(self, out):
        return out[0][:, -1]


# edgetrain bench's time-layer rows, in PyTorch's own layouts: [N, C, L] for the convolutions, [N, L, C] for the GRU
TIME_CASES = [
    ("conv 128x3", lambda: nn.Sequential(nn.Conv1d(3, 16, 5), nn.ReLU(), nn.MaxPool1d(2), nn.Conv1d(16, 32, 5), nn.ReLU(),
                                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 10)), (3, 128)),
    ("gru32 64x3", lambda: nn.Sequential(nn.GRU(3, 32, batch_first=True), LastStep(), nn.Linear(32, 10)), (64, 3)),
]


def run(widths, batch, seconds, make=None, shape=None):
    torch.manual_seed(7)
    net = make() if make else model(widths)
    opt = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    rows = 2048
    x = torch.randn(rows, *(shape or (widths[0],)))
    y = torch.randint(0, 10 if make else widths[-1], (rows,))
    frm = 0

    def steps(k):
        nonlocal frm
        for _ in range(k):
            opt.zero_grad(set_to_none=False)
            loss = loss_fn(net(x[frm:frm + batch]), y[frm:frm + batch])
            loss.backward()
            opt.step()
            frm = 0 if frm + 2 * batch > rows else frm + batch

    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        steps(16)
    n = 0
    t0, c0 = time.perf_counter(), time.thread_time()
    end = t0 + seconds
    while True:
        steps(16)
        n += 16
        now = time.perf_counter()
        if now >= end:
            break
    spent = time.thread_time() - c0 if make else now - t0
    return n * batch / spent, spent * 1e6 / n


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    torch.set_num_threads(1)
    print(f"pytorch {torch.__version__}, 1 thread")
    print(f"{'model':16s} {'batch':>6s} {'samples/s':>12s} {'us/step':>10s}")
    for widths, batch in CASES:
        sps, us = run(widths, batch, seconds)
        print(f"{'-'.join(map(str, widths)):16s} {batch:6d} {sps:12,.0f} {us:10.2f}")
    print("time layers, per second of this thread's CPU time")
    for name, make, shape in TIME_CASES:
        for batch in (1, 32):
            sps, us = run(None, batch, seconds, make, shape)
            print(f"{name:16s} {batch:6d} {sps:12,.0f} {us:10.2f}")
    # the conv model's forward alone (no grad), as edgetrain bench's "conv forward GFLOP/s"
    flops = 2.0 * (124 * 16 * 3 * 5 + 58 * 32 * 16 * 5)
    for batch in (1, 32):
        torch.manual_seed(7)
        net = TIME_CASES[0][1]().eval()
        x = torch.randn(batch, 3, 128)
        with torch.no_grad():
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                net(x)
            n, t0, c0 = 0, time.perf_counter(), time.thread_time()
            while time.perf_counter() - t0 < seconds:
                for _ in range(16):
                    net(x)
                n += 16
            dt = time.thread_time() - c0
        print(f"conv forward GFLOP/s (per CPU-second) batch {batch}: {n * batch * flops / dt / 1e9:.2f}")


if __name__ == "__main__":
    main()
