#!/usr/bin/env python3
"""Fits variants of a stack, one setting changed at a time, and prints their accuracies side by side.

    python3 bench/stack-variants.py BASE DATA OUT VARIANT... [--shifts N]

BASE is a stack file (docs/stacks/*.json) or a metrics.json written by `./glassbox mnist` (its
"stack" object: e.g. the default stack as a run recorded it). DATA is an IDX folder, such as the
validation split that bench/validation-split.py writes, so that the settings are chosen without the
real test set, or - for the embedded digits. Each VARIANT is NAME:ID.SETTING=VALUE[,ID.SETTING=VALUE...], ID a stage or readout
id of the stack (L1.whiten, a branch's P.pool, linear, ...) and VALUE a JSON value or a bare word:

    python3 bench/validation-split.py /usr/share/datasets/fashion-mnist /tmp/fashion-val
    ./glassbox mnist --data /tmp/fashion-val --report-images 0 --out /tmp/fashion-val-default
    python3 bench/stack-variants.py /tmp/fashion-val-default/metrics.json /tmp/fashion-val /tmp/variants \\
        l2-5e-5:linear.l2=5e-5 empty-0.05:L1.whiten.emptyNorm=0.05 cosine:L1.code.encoder=COSINE_THRESHOLD

A variant named "base" with no changes (just "base") fits BASE as it is. For each variant the
script writes OUT/NAME.json and runs `./glassbox mnist --data DATA --stack OUT/NAME.json [--shifts N]
--report-images 0 --out OUT/NAME` (the command's default shifts unless --shifts is given), one
after the other; then it
prints one line per variant: its name, changes, linear and kNN accuracy, and fit seconds. OUT must
not exist yet.
"""
import argparse
import copy
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fail(message):
    """One line naming the file or argument, exit code 2."""
    print('stack-variants: ' + message, file=sys.stderr)
    sys.exit(2)


def load_stack(path):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        fail(f'{path}: {e}')
    stack = data.get('stack', data) if isinstance(data, dict) else None
    if not isinstance(stack, dict) or 'stages' not in stack:
        fail(f'{path} is neither a stack file nor a metrics.json with a "stack" object')
    return stack


def parse_variant(text):
    """NAME:ID.SETTING=VALUE,... -> (name, [(id, setting, value)])."""
    name, _, changes = text.partition(':')
    if not name or '/' in name or name.startswith('.'):
        fail(f'variant {text!r}: give NAME:ID.SETTING=VALUE[,...], NAME a plain file name')
    parsed = []
    for change in filter(None, changes.split(',')):
        key, eq, value = change.partition('=')
        target, dot, setting = key.rpartition('.')
        if not eq or not dot or not target or not setting:
            fail(f'variant {text!r}: {change!r} is not ID.SETTING=VALUE')
        try:
            value = json.loads(value)
        except ValueError:
            pass
        parsed.append((target, setting, value))
    if not parsed and name != 'base':
        fail(f'variant {text!r} changes nothing (only "base" may)')
    return name, parsed


def apply(stack, name, changes):
    out = copy.deepcopy(stack)
    branches = [e for branch in out.get('branches', []) for e in branch]
    entries = {e['id']: e for e in out['stages'] + branches + out.get('readouts', [])}
    for target, setting, value in changes:
        if target not in entries:
            fail(f'variant {name}: the stack has no stage or readout {target!r} (it has {", ".join(entries)})')
        spec = entries[target]['spec']
        if setting not in spec:
            fail(f'variant {name}: {target} has no setting {setting!r} (it has {", ".join(spec)})')
        spec[setting] = value
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('base')
    ap.add_argument('data')
    ap.add_argument('out')
    ap.add_argument('variants', nargs='+')
    ap.add_argument('--shifts', type=int, help="the command's --shifts (default: the command's default)")
    a = ap.parse_args()
    stack = load_stack(a.base)
    variants = [parse_variant(v) for v in a.variants]
    names = [n for n, _ in variants]
    if len(set(names)) != len(names):
        fail('two variants have the same name')
    stacks = {name: apply(stack, name, changes) for name, changes in variants}
    if a.data != '-' and not os.path.isdir(a.data):
        fail(f'{a.data} is not a folder (give an IDX folder, or - for the embedded digits)')
    if os.path.exists(a.out):
        fail(f'{a.out} exists; give a new folder')
    os.makedirs(a.out)
    rows = []
    for name, changes in variants:
        stack_file = os.path.join(a.out, name + '.json')
        with open(stack_file, 'w') as f:
            json.dump(stacks[name], f, indent=2)
        run = os.path.join(a.out, name)
        command = [os.path.join(ROOT, 'glassbox'), 'mnist', '--stack', stack_file, '--report-images', '0', '--out', run]
        if a.data != '-':
            command += ['--data', a.data]
        if a.shifts is not None:
            command += ['--shifts', str(a.shifts)]
        print('stack-variants: ' + ' '.join(command), file=sys.stderr, flush=True)
        with open(run + '.log', 'w') as log:
            code = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT)
        if code != 0:
            rows.append((name, changes, None))
            print(f'stack-variants: {name} failed (exit code {code}; {run}.log)', file=sys.stderr)
            continue
        with open(os.path.join(run, 'metrics.json')) as f:
            rows.append((name, changes, json.load(f)))
    print('variant\tchanges\tlinear\tknn\tfit_s')
    for name, changes, metrics in rows:
        described = ', '.join(f'{t}.{s}={json.dumps(v)}' for t, s, v in changes) or 'none'
        if metrics is None:
            print(f'{name}\t{described}\tfailed\tfailed\t-')
        else:
            acc = metrics['accuracy']
            linear, knn = (acc.get(r, float('nan')) for r in ('linear', 'knn'))
            print(f'{name}\t{described}\t{linear:.4f}\t{knn:.4f}\t{metrics["seconds"]["fit"]:.1f}')


if __name__ == '__main__':
    main()
