"""The safetensors format for F32 tensors, in and out (the daemon's fleet API speaks it). Small enough to keep here
instead of depending on the safetensors package, which has no wheel for every board."""

import json
import struct

import numpy as np


def decode(data: bytes) -> dict[str, np.ndarray]:
    """Tensors of a safetensors file held in memory, in file order, as float32 arrays (F32 only)."""
    if len(data) < 8:
        raise ValueError(f"safetensors data of {len(data)} bytes is shorter than its 8-byte header length")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"safetensors header length {n} runs past the end ({len(data) - 8} bytes)")
    header = json.loads(data[8 : 8 + n])
    base = 8 + n
    out = {}
    entries = sorted(((k, v) for k, v in header.items() if k != "__metadata__"), key=lambda kv: kv[1]["data_offsets"][0])
    for name, info in entries:
        if info["dtype"] != "F32":
            raise ValueError(f"tensor {name}: dtype {info['dtype']}; allowed: F32")
        begin, end = info["data_offsets"]
        shape = tuple(info["shape"])
        arr = np.frombuffer(data, dtype="<f4", count=(end - begin) // 4, offset=base + begin)
        out[name] = arr.reshape(shape).copy()
    return out


def encode(tensors: dict[str, np.ndarray]) -> bytes:
    """A safetensors file of float32 tensors in the given order, laid out as the Python library lays it out."""
    header, offset, blobs = {}, 0, []
    for name, arr in tensors.items():
        b = np.ascontiguousarray(arr, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)
