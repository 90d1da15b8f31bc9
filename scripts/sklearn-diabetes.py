#!/usr/bin/python3
"""The regression baseline edgetrain is held to: scikit-learn's diabetes data (shipped by Debian's python3-sklearn),
split 80/20 with random_state 42, features standardized on the training part, and MLPRegressor with one hidden layer
of 32 and its default optimizer (adam, lr 1e-3) given 5000 iterations (its best of 2000, 5000 and 10000 on this split),
over five seeds: 89 test rows make one seed's R² swing by ±0.03.

    /usr/bin/python3 scripts/sklearn-diabetes.py OUT_DIR

writes OUT_DIR/diabetes-train.csv and OUT_DIR/diabetes-test.csv (raw features, header, label column 'target') and
prints 'sklearn_r2 <mean R² on the test part>' and the five R² values.
"""
import sys
import warnings

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import r2_score

out = sys.argv[1]
data = load_diabetes(scaled=False)
x, y = data.data, data.target
names = [n.replace(" ", "_") for n in data.feature_names]
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=42)
for path, xs, ys in ((out + "/diabetes-train.csv", x_train, y_train), (out + "/diabetes-test.csv", x_test, y_test)):
    with open(path, "w") as f:
        f.write(",".join(names + ["target"]) + "\n")
        for row, t in zip(xs, ys):
            f.write(",".join(repr(float(v)) for v in row) + "," + repr(float(t)) + "\n")

scaler = StandardScaler().fit(x_train)
scores = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # ConvergenceWarning at max_iter: the score is what it is
    for seed in range(5):
        mlp = MLPRegressor(hidden_layer_sizes=(32,), max_iter=5000, random_state=seed).fit(scaler.transform(x_train), y_train)
        scores.append(r2_score(y_test, mlp.predict(scaler.transform(x_test))))
print("sklearn_r2 %.4f %s" % (np.mean(scores), " ".join("%.4f" % s for s in scores)))
