#!/usr/bin/env python3
"""The edgetrain bench cases in PyTorch, one thread, for a side-by-side comparison on the same machine.

Same models (Linear + LeakyReLU(0.01)), loss (CrossEntropyLoss), optimizer (SGD, lr 0.001, momentum 0.9), batch sizes and
synthetic data as `edgetrain bench`; a warm-up of the same length as the measurement. Prints the same table columns.
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


def run(widths, batch, seconds):
    torch.manual_seed(7)
    net = model(widths)
    opt = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    rows = 2048
    x = torch.randn(rows, widths[0])
    y = torch.randint(0, widths[-1], (rows,))
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
    t0 = time.perf_counter()
    end = t0 + seconds
    while True:
        steps(16)
        n += 16
        now = time.perf_counter()
        if now >= end:
            break
    return n * batch / (now - t0), (now - t0) * 1e6 / n


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    torch.set_num_threads(1)
    print(f"pytorch {torch.__version__}, 1 thread")
    print(f"{'model':16s} {'batch':>6s} {'samples/s':>12s} {'us/step':>10s}")
    for widths, batch in CASES:
        sps, us = run(widths, batch, seconds)
        print(f"{'-'.join(map(str, widths)):16s} {batch:6d} {sps:12,.0f} {us:10.2f}")


if __name__ == "__main__":
    main()
