#!/usr/bin/env python3
"""Medians of measure.sh's TSV, per subject, row and profile.

Usage: summary.py RESULTS.tsv [SUBJECT...]   (SUBJECT: a folder's basename;
       all subjects when none is given)

Per operation = median / the subject's number of operations. When an ali-acs
subject (setup.sh `ali-acs`) is in the file, every subject's lib+consumer
figure per operation is also given as a ratio to it, for wall and CPU time.
"""

import collections
import statistics
import sys


def main():
    path, wanted = sys.argv[1], set(sys.argv[2:])
    rows = [line.rstrip("\n").split("\t") for line in open(path)][1:]
    groups = collections.defaultdict(list)
    ops = {}
    for subject, n, what, prof, wall, user, sys_, lb, la in rows:
        if wanted and subject not in wanted:
            continue
        ops[subject] = int(n)
        groups[(subject, what, prof)].append((float(wall), float(user) + float(sys_), float(lb), float(la)))
    print("subject\tops\twhat\tprofile\truns\twall_s\tcpu_s\tms/op(wall)\tms/op(cpu)\tload")
    per_op = {}
    for (subject, what, prof), v in sorted(groups.items()):
        w = statistics.median(x[0] for x in v)
        c = statistics.median(x[1] for x in v)
        lo = min(min(x[2], x[3]) for x in v)
        hi = max(max(x[2], x[3]) for x in v)
        n = ops[subject]
        per_op[(subject, what, prof)] = (1000 * w / n, 1000 * c / n)
        print(f"{subject}\t{n}\t{what}\t{prof}\t{len(v)}\t{w:.1f}\t{c:.1f}\t{1000*w/n:.0f}\t{1000*c/n:.0f}\t{lo:.2f}-{hi:.2f}")
    base = [s for s in ops if "ali-acs" in s]
    if not base:
        return
    print(f"\nlib+consumer per operation, ratio to {base[0]}:")
    print("subject\tprofile\tratio(wall)\tratio(cpu)")
    for (subject, what, prof), (w, c) in sorted(per_op.items()):
        ref = per_op.get((base[0], "lib+consumer", prof))
        if what == "lib+consumer" and ref and subject != base[0]:
            print(f"{subject}\t{prof}\t{w / ref[0]:.2f}\t{c / ref[1]:.2f}")


if __name__ == "__main__":
    main()
