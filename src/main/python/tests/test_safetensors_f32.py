import json
import struct

import numpy as np
import pytest

from edgetrain_fleet import safetensors_f32


def test_round_trip_keeps_names_order_shapes_and_bits():
    t = {"0.weight": np.arange(12, dtype=np.float32).reshape(3, 4) / 7, "0.bias": np.array([1.5, -2.25, 3e-38], np.float32),
         "2.weight": np.full((2, 3), np.float32(-0.1))}
    back = safetensors_f32.decode(safetensors_f32.encode(t))
    assert list(back) == list(t)
    for k in t:
        assert back[k].shape == t[k].shape
        assert back[k].tobytes() == t[k].tobytes()


def test_layout_is_the_python_librarys():
    b = safetensors_f32.encode({"w": np.zeros((2, 2), np.float32)})
    (n,) = struct.unpack("<Q", b[:8])
    assert n % 8 == 0, "data section starts 8-byte aligned"
    header = json.loads(b[8:8 + n])
    assert header == {"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}
    assert len(b) == 8 + n + 16


def test_refuses_other_dtypes_and_truncated_data():
    h = json.dumps({"n": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}}).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with pytest.raises(ValueError, match="dtype I64"):
        safetensors_f32.decode(struct.pack("<Q", len(h)) + h + bytes(8))
    with pytest.raises(ValueError, match="runs past the end"):
        safetensors_f32.decode(struct.pack("<Q", 1000) + b"{}")
