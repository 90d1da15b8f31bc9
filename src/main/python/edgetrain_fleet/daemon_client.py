"""The daemon's fleet API (loopback HTTP, bearer token), as the ClientApp uses it."""

import json
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

from . import safetensors_f32


class FleetApiError(RuntimeError):
    """The daemon answered with an error status; the message is its one-line reason."""

    def __init__(self, status: int, reason: str):
        super().__init__(f"daemon fleet API: HTTP {status}: {reason}")
        self.status = status


class DaemonClient:
    def __init__(self, url: str, token: str, timeout: float = 900.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    @classmethod
    def from_token_file(cls, url: str, token_file: str, timeout: float = 900.0) -> "DaemonClient":
        return cls(url, Path(token_file).read_text().strip(), timeout)

    def _call(self, method: str, path: str, body: bytes | None = None) -> bytes:
        req = urllib.request.Request(self.url + path, data=body, method=method,
                                     headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            raise FleetApiError(e.code, e.read().decode(errors="replace").strip()) from None

    def describe(self) -> dict:
        return json.loads(self._call("GET", "/v1/describe"))

    def weights(self) -> dict[str, np.ndarray]:
        return safetensors_f32.decode(self._call("GET", "/v1/weights"))

    def replace_weights(self, tensors: dict[str, np.ndarray]) -> None:
        self._call("PUT", "/v1/weights", safetensors_f32.encode(tensors))

    def train(self, steps: int = 0, windows: int = 0, correction: dict[str, np.ndarray] | None = None) -> dict:
        """Local training; `correction` (SCAFFOLD's c - c_i, trainable names and shapes) moves the weights by
        -lr * correction after every step. The reply's lr_sum is the steps' learning rates added up."""
        q = f"steps={steps}" if steps > 0 else f"windows={windows}"
        body = safetensors_f32.encode(correction) if correction else None
        return json.loads(self._call("POST", "/v1/train?" + q, body))

    def evaluate(self) -> dict:
        return json.loads(self._call("POST", "/v1/evaluate"))
