"""SMT prototype with general sparse codes (Chen et al. ICLR 2023, f_gq): a whitened, L2-normalised
patch activates every atom whose cosine similarity exceeds a threshold t (binary code). Codes are
kept as scipy CSR matrices [images * positions, K]. One line per configuration."""
import sys, json, time
import numpy as np
import scipy.linalg, scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from smt_mnist import load, patches
from smt_sweep import knn


def run(c):
    t0 = time.time()
    rng = np.random.default_rng(c.get('seed', 0))
    xtr, ytr, xte, yte = load(c.get('ds', 'mnist'), 20261128)
    if c.get('ntrain'):
        xtr, ytr = xtr[:c['ntrain']], ytr[:c['ntrain']]
        xte, yte = xte[:c.get('ntest', 10000)], yte[:c.get('ntest', 10000)]
    p = c.get('patch', 6)
    samp, g = patches(xtr[rng.choice(len(xtr), 2000, replace=False)], p)
    samp = samp[rng.choice(len(samp), 200000, replace=False)]
    C = np.cov(samp.T.astype(np.float64))
    lam, U = np.linalg.eigh(C)
    W = ((U / np.sqrt(lam + c.get('eps', 0.1) * lam.max())) @ U.T).astype(np.float32)
    sw = samp @ W
    norms = np.linalg.norm(sw, axis=1)
    cand = sw[norms > np.percentile(norms, c.get('pct', 50))]
    K = c['atoms']
    D = cand[rng.choice(len(cand), K, replace=False)]
    D /= np.linalg.norm(D, axis=1, keepdims=True)
    t = c.get('t', 0.5)

    def codes(x):
        out = []
        for s in range(0, len(x), 500):
            pw, _ = patches(x[s:s + 500], p)
            xw = pw @ W
            nrm = np.linalg.norm(xw, axis=1, keepdims=True)
            xw = xw / np.maximum(nrm, 1e-9)
            z = xw @ D.T
            z[nrm[:, 0] < c.get('minnorm', 1e-6)] = 0
            if c.get('topk'):
                kk = c['topk']
                thr = -np.partition(-z, kk - 1, axis=1)[:, kk - 1:kk]
                m = (z >= thr) & (z > t)
            else:
                m = z > t
            out.append(sp.csr_matrix(m.astype(np.float32)))
        return sp.vstack(out).tocsr()

    Atr = codes(xtr)
    Ate = codes(xte)
    t1 = time.time()
    nnz = Atr.nnz / Atr.shape[0]
    # SMT statistics over a sample of training images
    n_s = min(c.get('nsample', 2000), len(xtr))
    sel = np.sort(rng.choice(len(xtr), n_s, replace=False))
    P_ = g * g
    rows = (sel[:, None] * P_ + np.arange(P_)[None, :]).ravel()
    A = Atr[rows]
    V = (A.T @ A).toarray().astype(np.float64) / A.shape[0]
    S = np.zeros((K, K))
    pos = np.arange(n_s * P_).reshape(n_s, g, g)
    r = c.get('window', 5) // 2
    cnt = 0
    for dy in range(0, r + 1):
        for dx in range(-r, r + 1):
            if dy == 0 and dx <= 0:
                continue
            i0 = pos[:, 0:g - dy, max(0, -dx):g - max(0, dx)].ravel()
            i1 = pos[:, dy:g, max(0, dx):g + min(0, dx)].ravel()
            Dif = A[i1] - A[i0]
            S += (Dif.T @ Dif).toarray()
            cnt += Dif.shape[0]
    S /= cnt
    d = np.diag(V)
    act = np.flatnonzero(d > 0)
    dims = c.get('dims', 32)
    skip = c.get('skip', 1)
    Va = V[np.ix_(act, act)] + c.get('ridge', 1e-3) * d.sum() / len(act) * np.eye(len(act))
    mu, Pa = scipy.linalg.eigh(S[np.ix_(act, act)], Va, subset_by_index=[0, dims + skip - 1])
    P = np.zeros((dims, K), np.float32)
    P[:, act] = Pa[:, skip:].T
    t2 = time.time()

    def feats(Acsr, n):
        out = []
        pools = c.get('pools', [4])
        for s in range(0, n, 1000):
            e = min(n, s + 1000)
            beta = np.asarray(Acsr[s * P_:e * P_] @ P.T)
            nb = np.linalg.norm(beta, axis=1, keepdims=True)
            beta = beta / np.maximum(nb, 1e-8)
            beta = beta.reshape(e - s, g, g, dims)
            fs = []
            for o in pools:
                edges = np.linspace(0, g, o + 1).round().astype(int)
                f = np.stack([np.stack([beta[:, edges[i]:edges[i + 1], edges[j]:edges[j + 1]].mean((1, 2))
                                        for j in range(o)], 1) for i in range(o)], 1).reshape(e - s, -1)
                fs.append(f / np.maximum(np.linalg.norm(f, axis=1, keepdims=True), 1e-8))
            f = np.concatenate(fs, 1)
            out.append(f / np.linalg.norm(f, axis=1, keepdims=True))
        return np.concatenate(out).astype(np.float32)

    ftr = feats(Atr, len(xtr))
    fte = feats(Ate, len(xte))
    t3 = time.time()
    kn = knn(ftr, ytr, fte, yte, 30, c.get('T', 0.07))
    lin = {}
    for Cc in c.get('Cs', [100]):
        lin[Cc] = round(LogisticRegression(C=Cc, max_iter=500).fit(ftr, ytr).score(fte, yte), 4)
    t4 = time.time()
    print(json.dumps(c), f'nnz/pos={nnz:.2f} F={ftr.shape[1]} knn={kn:.4f} linear={lin} codes={t1 - t0:.0f}s '
          f'smt={t2 - t1:.0f}s feat={t3 - t2:.0f}s readout={t4 - t3:.0f}s', flush=True)


if __name__ == '__main__':
    for arg in sys.argv[1:]:
        run(json.loads(arg))
