#!/usr/bin/env python3
"""Writes the safetensors fixtures that SafetensorsInteropTest reads, using the reference Python library.

Run from anywhere: python3 scripts/reference/make_safetensors_fixtures.py
Needs torch and safetensors (made with torch 2.13.0+cpu, safetensors 0.8.0). No random values: re-running gives
the same tensors and layout; only the order of several metadata keys may change (the Rust writer keeps them in a
HashMap), so f32_i64.safetensors, with one key, is byte-stable. The Java test recomputes every value below from the
same formulas; change both together.
"""
from pathlib import Path

import torch
from safetensors.torch import save_file

OUT = Path(__file__).resolve().parents[2] / "src" / "test" / "resources" / "safetensors"

inf, nan = float("inf"), float("nan")


def every_dtype():
    """One tensor per dtype edgetrain reads, with exactly known values (special values for the 16-bit floats)."""
    return {
        "f32": torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.25 - 1.0,
        "f64": torch.arange(6, dtype=torch.float64).reshape(2, 3) / 3,  # 1/3, 2/3: Java narrows them to fp32
        "f16": (torch.arange(-8, 8, dtype=torch.float16) * 0.125).reshape(4, 4),
        # zero, negative zero, smallest and largest subnormal, smallest normal, 1 + 1 ulp, max, infinities, NaN
        "f16_special": torch.tensor([0.0, -0.0, 2.0**-24, 1023 * 2.0**-24, 2.0**-14, 1 + 2.0**-10, 65504.0,
                                     inf, -inf, nan], dtype=torch.float16),
        "bf16": (torch.arange(-4, 4, dtype=torch.bfloat16) * 1.5).reshape(2, 4),
        # 1 + 1 ulp, smallest subnormal, largest finite, infinity, NaN
        "bf16_special": torch.tensor([1 + 2.0**-7, 2.0**-133, (2 - 2.0**-7) * 2.0**127, -inf, nan],
                                     dtype=torch.bfloat16),
        "i64": torch.arange(-3, 3, dtype=torch.int64) * 10**12,  # beyond int32
        "i32": torch.arange(-2, 2, dtype=torch.int32) * 100_000,
        "i16": torch.arange(-2, 2, dtype=torch.int16) * 1_000,
        "i8": torch.tensor([-128, -1, 0, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 1, 128, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "num_batches_tracked": torch.tensor(42, dtype=torch.int64),  # scalar, shape []
        "empty": torch.zeros(0, 3, dtype=torch.float32),
    }


def f32_i64_only():
    """Only the dtypes edgetrain writes, so reading and re-writing it in Java must give the same bytes."""
    return {
        "0.weight": torch.arange(6, dtype=torch.float32).reshape(2, 3) * -0.5,
        "0.bias": torch.tensor([0.1, -0.2], dtype=torch.float32),
        "1.num_batches_tracked": torch.tensor(7, dtype=torch.int64),
        "1.running_mean": torch.zeros(0, dtype=torch.float32),
        "2.scale": torch.tensor(3.5, dtype=torch.float32),
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    save_file(every_dtype(), OUT / "every_dtype.safetensors",
              metadata={"format": "pt", "made_by": "make_safetensors_fixtures.py",
                        "note": "ünïcödé \"quoted\" \\ back\nslash"})
    save_file(f32_i64_only(), OUT / "f32_i64.safetensors", metadata={"format": "pt"})
    for f in sorted(OUT.glob("*.safetensors")):
        print(f, f.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
