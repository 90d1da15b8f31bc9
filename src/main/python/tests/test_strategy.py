"""The ServerApp's refusals, on replies built as the ClientApp builds them (no SuperLink needed)."""

from types import SimpleNamespace

import numpy as np
from flwr.app import Array, ArrayRecord, ConfigRecord, MetricRecord, RecordDict

from edgetrain_fleet.strategy import EdgetrainFedAvg

SHAPES = {"0.weight": (3, 2), "0.bias": (3,)}


def reply(node, w, b, fingerprint="abc", n=10, error=None):
    content = RecordDict({
        "arrays": ArrayRecord({"0.weight": Array.from_numpy_ndarray(w), "0.bias": Array.from_numpy_ndarray(b)}),
        "metrics": MetricRecord({"num-examples": n, "train-loss": 0.5}),
        "member": ConfigRecord({"fingerprint": fingerprint, "precision": "fp32"}),
    })
    return SimpleNamespace(content=content, metadata=SimpleNamespace(src_node_id=node), has_error=lambda: error is not None,
                           error=SimpleNamespace(reason=error))


def strategy(min_train_replies=1):
    s = EdgetrainFedAvg(fingerprint="abc", min_train_replies=min_train_replies)
    s._shapes = dict(SHAPES)
    return s


def ones(v):
    return np.full((3, 2), v, np.float32), np.full(3, v, np.float32)


def test_averages_weighted_by_sample_count():
    s = strategy()
    arrays, metrics = s.aggregate_train(1, [reply(1, *ones(1.0), n=10), reply(2, *ones(4.0), n=30)])
    np.testing.assert_allclose(arrays["0.weight"].numpy(), np.full((3, 2), 3.25), rtol=1e-6)  # (10·1 + 30·4) / 40
    assert s.refused == []


def test_non_finite_wrong_shape_and_foreign_fingerprint_are_refused_not_averaged(caplog):
    s = strategy()
    w_nan, b = ones(2.0)
    w_nan[1, 1] = np.nan
    w_inf, b_inf = ones(2.0)
    b_inf[0] = np.inf
    replies = [
        reply(1, *ones(1.0), n=10),
        reply(2, w_nan, b, n=1000),
        reply(3, w_inf, b_inf, n=1000),
        reply(4, np.ones((2, 3), np.float32), np.ones(3, np.float32), n=1000),
        reply(5, *ones(9.0), fingerprint="other", n=1000),
        reply(6, *ones(7.0), error="daemon fleet API: connection refused"),
    ]
    arrays, _ = s.aggregate_train(3, replies)
    np.testing.assert_array_equal(arrays["0.weight"].numpy(), np.ones((3, 2), np.float32)), "only node 1 counts"
    reasons = {node: why for _, node, why in s.refused}
    assert set(reasons) == {2, 3, 4, 5}
    assert "non-finite" in reasons[2] and "non-finite" in reasons[3]
    assert "shape [2, 3]" in reasons[4]
    assert "fingerprint other" in reasons[5]


def test_too_few_acceptable_updates_keep_the_previous_model():
    s = strategy(min_train_replies=2)
    w, b = ones(1.0)
    w[0, 0] = np.nan
    arrays, metrics = s.aggregate_train(2, [reply(1, *ones(1.0)), reply(2, w, b)])
    assert arrays is None and metrics is None
