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


def with_delta(r, dw, db):
    r.content["scaffold-delta-c"] = ArrayRecord({"0.weight": Array.from_numpy_ndarray(dw), "0.bias": Array.from_numpy_ndarray(db)})
    return r


def test_scaffold_adds_the_members_control_changes_over_the_fleet_size_and_averages_only_the_weights():
    s = EdgetrainFedAvg(fingerprint="abc", use_scaffold=True)
    s._shapes, s._members = dict(SHAPES), 3
    s._control = {"0.weight": np.zeros((3, 2), np.float32), "0.bias": np.zeros(3, np.float32)}
    arrays, _ = s.aggregate_train(1, [with_delta(reply(1, *ones(1.0)), *ones(0.3)), with_delta(reply(2, *ones(3.0)), *ones(0.6))])
    np.testing.assert_allclose(arrays["0.weight"].numpy(), np.full((3, 2), 2.0))
    np.testing.assert_allclose(s._control["0.bias"], np.full(3, 0.3), rtol=1e-6)  # (0.3 + 0.6) / 3 members, one absent
    bad_w, bad_b = ones(0.1)
    bad_b[2] = np.nan
    s.aggregate_train(2, [with_delta(reply(1, *ones(1.0)), bad_w, bad_b)])
    assert "SCAFFOLD control tensor 0.bias holds a non-finite value" in s.refused[-1][2]


def test_server_momentum_carries_the_previous_rounds_step():
    s = EdgetrainFedAvg(fingerprint="abc", server_momentum=0.5)
    s._shapes = dict(SHAPES)
    s._global = ArrayRecord({"0.weight": Array.from_numpy_ndarray(np.zeros((3, 2), np.float32)),
                             "0.bias": Array.from_numpy_ndarray(np.zeros(3, np.float32))})
    first, _ = s.aggregate_train(1, [reply(1, *ones(1.0))])
    np.testing.assert_allclose(first["0.bias"].numpy(), np.ones(3))  # v = 0 - 1: x = 0 - v
    s._global = first
    second, _ = s.aggregate_train(2, [reply(1, *ones(2.0))])
    np.testing.assert_allclose(second["0.bias"].numpy(), np.full(3, 2.5))  # v = 0.5·(−1) + (1 − 2) = −1.5: x = 1 + 1.5


def test_member_control_update_is_scaffolds_option_two():
    from edgetrain_fleet import scaffold
    c, c_i = {"w": np.full(2, 0.2, np.float32)}, {"w": np.full(2, 0.5, np.float32)}
    x, y = {"w": np.full(2, 1.0, np.float32)}, {"w": np.full(2, 0.6, np.float32)}
    np.testing.assert_allclose(scaffold.correction(c, c_i)["w"], np.full(2, -0.3), rtol=1e-6)
    np.testing.assert_allclose(scaffold.next_member_control(c, c_i, x, y, 0.4)["w"], np.full(2, 1.3), rtol=1e-6)  # 0.5 − 0.2 + 0.4/0.4
    assert scaffold.next_member_control(c, c_i, x, y, 0.0) is c_i, "no step taken: c_i stays"
