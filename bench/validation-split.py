#!/usr/bin/env python3
"""Writes a validation split of an IDX folder's training set as an IDX folder of its own.

    python3 bench/validation-split.py SOURCE OUT [--holdout 6000] [--seed 1]

SOURCE holds train-images-idx3-ubyte and train-labels-idx1-ubyte (optionally gzipped), as the
folders `./glassbox mnist --data` reads. OUT receives the same four files, gzipped: its train part
is SOURCE's training set less a stratified, seeded holdout (each class keeps its share, rounded
down, the rest going to the largest remainders), and its t10k part is the holdout. SOURCE's own test
set is not read, so settings chosen on OUT never see it:

    python3 bench/validation-split.py /usr/share/datasets/fashion-mnist /tmp/fashion-val
    ./glassbox mnist --data /tmp/fashion-val --stack FILE --report-images 0 --out DIR

OUT must not exist yet (nothing is replaced); the files are written to OUT.partial and renamed at
the end. The images and labels keep SOURCE's order within each part.
"""
import argparse
import gzip
import os
import sys

import numpy as np


def fail(message):
    """One line naming the file or option, exit code 2."""
    print('validation-split: ' + message, file=sys.stderr)
    sys.exit(2)


def read_idx(folder, stem, magic, ndim):
    """The array of an IDX file, reading no more than its header promises (at most 2^31 bytes)."""
    for name in (stem, stem + '.gz'):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            break
    else:
        fail(f'{folder} has no {stem} (nor {stem}.gz)')
    opener = gzip.open if path.endswith('.gz') else open
    header = 4 + 4 * ndim
    try:
        with opener(path, 'rb') as f:
            head = f.read(header)
            if len(head) < header or int.from_bytes(head[:4], 'big') != magic:
                fail(f'{path} is not an IDX file of {ndim} dimensions (magic {magic:#010x})')
            dims = [int.from_bytes(head[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
            size = int(np.prod(dims, dtype=object))
            if size > 1 << 31:
                fail(f'{path} declares {size} bytes of data, more than this script reads (2^31)')
            data = f.read(size + 1)
    except (OSError, EOFError) as e:
        fail(f'{path}: {e}')
    if len(data) != size:
        fail(f'{path} holds {"more" if len(data) > size else len(data)} bytes after its header, not the {size} it declares')
    return np.frombuffer(data, np.uint8).reshape(dims)


def write_idx(path, array, magic):
    header = magic.to_bytes(4, 'big') + b''.join(d.to_bytes(4, 'big') for d in array.shape)
    with gzip.open(path, 'wb') as f:
        f.write(header + array.tobytes())


def holdout_indices(labels, count, seed):
    """A stratified, seeded choice of `count` indices: each class in proportion to its size."""
    classes, sizes = np.unique(labels, return_counts=True)
    share = sizes * count / len(labels)
    take = np.floor(share).astype(int)
    for c in np.argsort(-(share - take), kind='stable')[:count - take.sum()]:
        take[c] += 1
    rng = np.random.default_rng(seed)
    chosen = [rng.choice(np.flatnonzero(labels == c), t, replace=False) for c, t in zip(classes, take)]
    return np.sort(np.concatenate(chosen))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('source')
    ap.add_argument('out')
    ap.add_argument('--holdout', type=int, default=6000, help='images held out as the validation part (6000)')
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    if os.path.exists(a.out):
        fail(f'{a.out} exists; give a new folder')
    images = read_idx(a.source, 'train-images-idx3-ubyte', 0x803, 3)
    labels = read_idx(a.source, 'train-labels-idx1-ubyte', 0x801, 1)
    if len(images) != len(labels):
        fail(f'{a.source} has {len(images)} training images and {len(labels)} labels')
    if not 0 < a.holdout < len(labels):
        fail(f'--holdout {a.holdout}: give 1 to {len(labels) - 1} (the source has {len(labels)} training images)')
    held = np.zeros(len(labels), bool)
    held[holdout_indices(labels, a.holdout, a.seed)] = True
    partial = a.out + '.partial'
    if os.path.exists(partial):
        fail(f'{partial} exists (left by an interrupted run?); remove it or give a new folder')
    os.makedirs(partial)
    write_idx(os.path.join(partial, 'train-images-idx3-ubyte.gz'), images[~held], 0x803)
    write_idx(os.path.join(partial, 'train-labels-idx1-ubyte.gz'), labels[~held], 0x801)
    write_idx(os.path.join(partial, 't10k-images-idx3-ubyte.gz'), images[held], 0x803)
    write_idx(os.path.join(partial, 't10k-labels-idx1-ubyte.gz'), labels[held], 0x801)
    os.rename(partial, a.out)
    print(f'{a.out}: {int((~held).sum())} training images, {int(held.sum())} held out (seed {a.seed})')


if __name__ == '__main__':
    main()
