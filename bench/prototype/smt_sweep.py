"""Hyperparameter sweep for the one-layer SMT prototype (see smt_mnist.py): the codes of each
(dictionary, encoder) setting are computed once and cached; each configuration then varies the
SMT solve, pooling and readouts. Prints one line per configuration."""
import sys, time, json, os
import numpy as np
import scipy.linalg, scipy.sparse as sp
from smt_mnist import load, patches

CACHE = '/tmp/manifold-smt-cache'
os.makedirs(CACHE, exist_ok=True)


def codes_for(ds, atoms, topk, eps, seed=0, patch=6, contrast=0, thresh=0.0):
    key = f'{CACHE}/{ds}-a{atoms}-k{topk}-e{eps}-p{patch}-c{contrast}-t{thresh}-s{seed}.npz'
    xtr, ytr, xte, yte = load(ds, 20261128)
    if os.path.exists(key):
        z = np.load(key)
        return z['itr'], z['vtr'], z['ite'], z['vte'], ytr, yte, int(z['g'])
    rng = np.random.default_rng(seed)
    samp, g = patches(xtr[rng.choice(len(xtr), 2000, replace=False)], patch)
    if contrast:
        samp = samp / np.sqrt(samp.var(1, keepdims=True) + contrast)
    samp = samp[rng.choice(len(samp), 200000, replace=False)]
    C = np.cov(samp.T.astype(np.float64))
    lam, U = np.linalg.eigh(C)
    W = ((U / np.sqrt(lam + eps * lam.max())) @ U.T).astype(np.float32)
    sw = samp @ W
    norms = np.linalg.norm(sw, axis=1)
    cand = sw[norms > np.percentile(norms, 50)]
    D = cand[rng.choice(len(cand), atoms, replace=False)]
    D /= np.linalg.norm(D, axis=1, keepdims=True)

    def enc(x):
        idx_all, val_all = [], []
        for s in range(0, len(x), 500):
            pw, _ = patches(x[s:s + 500], patch)
            if contrast:
                pw = pw / np.sqrt(pw.var(1, keepdims=True) + contrast)
            xw = pw @ W
            if thresh:
                xw = xw / np.maximum(np.linalg.norm(xw, axis=1, keepdims=True), 1e-9)
            z = xw @ D.T
            if topk == 1:
                i = z.argmax(1)[:, None]
            else:
                i = np.argpartition(-z, topk - 1, axis=1)[:, :topk]
            v = np.maximum(np.take_along_axis(z, i, 1), 0)
            if thresh:
                v = (v > thresh).astype(np.float32)
            idx_all.append(i.astype(np.int16))
            val_all.append(v.astype(np.float32))
        return np.concatenate(idx_all).reshape(len(x), g * g, topk), np.concatenate(val_all).reshape(len(x), g * g, topk)

    itr, vtr = enc(xtr)
    ite, vte = enc(xte)
    np.savez(key, itr=itr, vtr=vtr, ite=ite, vte=vte, g=g)
    return itr, vtr, ite, vte, ytr, yte, g


def smt(idx, val, g, K, window, dims, ridge, binary, nsample, rng, second=False):
    sel = rng.choice(len(idx), min(nsample, len(idx)), replace=False)
    I, Vv = idx[sel], val[sel]
    if binary:
        Vv = (Vv > 0).astype(np.float32)
    n, P_, k = I.shape
    rows = np.repeat(np.arange(n * P_), k)
    A = sp.csr_matrix((Vv.ravel(), (rows, I.ravel().astype(np.int64))), shape=(n * P_, K))
    V = (A.T @ A).toarray() / A.shape[0]
    S = np.zeros((K, K))
    pos = np.arange(n * P_).reshape(n, g, g)
    r = window // 2
    cnt = 0
    for dy in range(0, r + 1):
        for dx in range(-r, r + 1):
            if dy == 0 and dx <= 0:
                continue
            if not second:
                i0 = pos[:, 0:g - dy, max(0, -dx):g - max(0, dx)].ravel()
                i1 = pos[:, dy:g, max(0, dx):g + min(0, dx)].ravel()
                Dif = A[i1] - A[i0]
            else:
                ax = abs(dx)
                im = pos[:, dy:g - dy, ax:g - ax].ravel()
                ip = pos[:, 2 * dy:g, ax + dx:g - ax + dx].ravel()
                imn = pos[:, 0:g - 2 * dy, ax - dx:g - ax - dx].ravel()
                Dif = A[ip] + A[imn] - 2 * A[im]
            S += (Dif.T @ Dif).toarray()
            cnt += Dif.shape[0]
    S /= cnt
    d = np.diag(V)
    act = np.flatnonzero(d > 0)
    Va = V[np.ix_(act, act)] + ridge * d.sum() / len(act) * np.eye(len(act))
    Sa = S[np.ix_(act, act)]
    mu, Pa = scipy.linalg.eigh(Sa, Va, subset_by_index=[0, dims])
    P = np.zeros((dims, K), np.float32)
    P[:, act] = Pa[:, 1:].T
    return P, mu


def feats(idx, val, g, P, binary, posnorm, pool, poolwin, stride, finalnorm=True):
    out = []
    f = P.shape[0]
    PT = P.T
    for s in range(0, len(idx), 1000):
        I, Vv = idx[s:s + 1000].astype(np.int64), val[s:s + 1000]
        if binary:
            Vv = (Vv > 0).astype(np.float32)
        beta = (PT[I] * Vv[..., None]).sum(2)  # [n, P, f]
        if posnorm:
            beta /= np.maximum(np.linalg.norm(beta, axis=2, keepdims=True), 1e-8)
        beta = beta.reshape(-1, g, g, f)
        if poolwin == 0:
            edges = np.linspace(0, g, pool + 1).round().astype(int)
            o = np.stack([np.stack([beta[:, edges[i]:edges[i + 1], edges[j]:edges[j + 1]].mean((1, 2))
                                    for j in range(pool)], 1) for i in range(pool)], 1)
        else:
            n_out = (g - poolwin) // stride + 1
            o = np.stack([np.stack([beta[:, i * stride:i * stride + poolwin, j * stride:j * stride + poolwin].mean((1, 2))
                                    for j in range(n_out)], 1) for i in range(n_out)], 1)
        o = o.reshape(len(o), -1)
        if finalnorm:
            o /= np.maximum(np.linalg.norm(o, axis=1, keepdims=True), 1e-8)
        out.append(o.astype(np.float32))
    return np.concatenate(out)


def knn(ftr, ytr, fte, yte, k=30, T=0.07):
    correct = 0
    for s in range(0, len(fte), 1000):
        sim = fte[s:s + 1000] @ ftr.T
        nn = np.argpartition(-sim, k, axis=1)[:, :k]
        w = np.exp((np.take_along_axis(sim, nn, 1) - 1) / T)
        votes = np.zeros((len(nn), 10))
        np.add.at(votes, (np.repeat(np.arange(len(nn)), k), ytr[nn].ravel()), w.ravel())
        correct += (votes.argmax(1) == yte[s:s + 1000]).sum()
    return correct / len(fte)


def main():
    from sklearn.linear_model import LogisticRegression
    configs = [json.loads(line) for line in sys.argv[1:]]
    for c in configs:
        t0 = time.time()
        ds = c.get('ds', 'mnist')
        itr, vtr, ite, vte, ytr, yte, g = codes_for(ds, c['atoms'], c.get('topk', 1), c.get('eps', 0.1),
                                                   patch=c.get('patch', 6), contrast=c.get('contrast', 0),
                                                   thresh=c.get('thresh', 0.0))
        t1 = time.time()
        rng = np.random.default_rng(1)
        P, mu = smt(itr, vtr, g, c['atoms'], c.get('window', 5), c.get('dims', 32), c.get('ridge', 1e-3),
                    c.get('binary', 1), c.get('nsample', 2000), rng, c.get('second', False))
        t2 = time.time()
        ftr, fte = [], []
        for pool in c.get('pools', [c.get('pool', 4)]):
            args = (g, P, c.get('binary', 1), c.get('posnorm', 1), pool, c.get('poolwin', 0), c.get('stride', 1))
            ftr.append(feats(itr, vtr, *args))
            fte.append(feats(ite, vte, *args))
        ftr, fte = np.concatenate(ftr, 1), np.concatenate(fte, 1)
        ftr /= np.linalg.norm(ftr, axis=1, keepdims=True)
        fte /= np.linalg.norm(fte, axis=1, keepdims=True)
        t3 = time.time()
        kn = knn(ftr, ytr, fte, yte, 30, c.get('T', 0.07))
        lin = {}
        for C in c.get('Cs', [10.0]):
            clf = LogisticRegression(C=C, max_iter=500).fit(ftr, ytr)
            lin[C] = round(clf.score(fte, yte), 4)
        t4 = time.time()
        print(json.dumps(c), f'F={ftr.shape[1]} knn={kn:.4f} linear={lin} codes={t1 - t0:.0f}s smt={t2 - t1:.0f}s '
              f'feat={t3 - t2:.0f}s readout={t4 - t3:.0f}s', flush=True)


if __name__ == '__main__':
    main()
