"""Compares, on the cached 1-sparse codes of smt_sweep.py, the SMT features with pooled code
histograms (bag of atoms, Coates and Ng 2011 style) and their concatenation."""
import sys, json, time
import numpy as np
from sklearn.linear_model import LogisticRegression
from smt_sweep import codes_for, smt, feats, knn


def bow(idx, val, g, K, pool):
    n = len(idx)
    out = np.zeros((n, pool, pool, K), np.float32)
    edges = np.linspace(0, g, pool + 1).round().astype(int)
    cell = np.zeros(g, int)
    for i in range(pool):
        cell[edges[i]:edges[i + 1]] = i
    pos = np.arange(g * g)
    cy, cx = cell[pos // g], cell[pos % g]
    on = (val[:, :, 0] > 0)
    ii, pp = np.nonzero(on)
    np.add.at(out, (ii, cy[pp], cx[pp], idx[ii, pp, 0].astype(np.int64)), 1.0)
    out = np.sqrt(out.reshape(n, -1))
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-8)


c = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
K = c.get('atoms', 1024)
itr, vtr, ite, vte, ytr, yte, g = codes_for('mnist', K, 1, 0.1)
rng = np.random.default_rng(1)
P, mu = smt(itr, vtr, g, K, 5, 32, 1e-3, 1, 2000, rng)
s_tr = feats(itr, vtr, g, P, 1, 1, 4, 0, 1)
s_te = feats(ite, vte, g, P, 1, 1, 4, 0, 1)
for pool in c.get('pools', [2]):
    b_tr, b_te = bow(itr, vtr, g, K, pool), bow(ite, vte, g, K, pool)
    for name, ftr, fte in [('bow', b_tr, b_te), ('smt+bow', np.hstack([s_tr, b_tr]) / np.sqrt(2), np.hstack([s_te, b_te]) / np.sqrt(2))]:
        t = time.time()
        lin = {C: round(LogisticRegression(C=C, max_iter=500).fit(ftr, ytr).score(fte, yte), 4) for C in c.get('Cs', [100])}
        print(name, 'pool', pool, 'F', ftr.shape[1], 'knn', round(knn(ftr, ytr, fte, yte), 4), 'linear', lin,
              f'{time.time() - t:.0f}s', flush=True)
