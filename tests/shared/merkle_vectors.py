#!/usr/bin/env python3
"""Reference vectors for tests/shared/test_merkle.cpp, written from RFC 9162 section 2.1 (the
same definitions as RFC 6962 section 2.1) with nothing but hashlib, independently of
shared/src/merkle.cpp. Run once; its output is pinned in the test, which does not need it.

Leaves are the bytes "entry 0", "entry 1", ... (the test's counting(n) tree).
    python3 tests/shared/merkle_vectors.py
"""
import hashlib
from functools import lru_cache

N = 130  # every tree size 1..N, every index and every older size of each


def sha(b):
    return hashlib.sha256(b).digest()


LEAVES = [b"entry %d" % i for i in range(N)]


@lru_cache(maxsize=None)
def mth(lo, hi):
    """MTH(D[lo:hi]), RFC 9162 2.1.1."""
    n = hi - lo
    if n == 0:
        return sha(b"")
    if n == 1:
        return sha(b"\x00" + LEAVES[lo])
    k = split(n)
    return sha(b"\x01" + mth(lo, lo + k) + mth(lo + k, hi))


def split(n):
    """The largest power of two smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def path(m, lo, hi):
    """PATH(m, D[lo:hi]), RFC 9162 2.1.3.1: the inclusion proof of leaf m."""
    n = hi - lo
    if n == 1:
        return []
    k = split(n)
    if m < k:
        return path(m, lo, lo + k) + [mth(lo + k, hi)]
    return path(m - k, lo + k, hi) + [mth(lo, lo + k)]


def subproof(m, lo, hi, b):
    """SUBPROOF(m, D[lo:hi], b), RFC 9162 2.1.4.1."""
    n = hi - lo
    if m == n:
        return [] if b else [mth(lo, hi)]
    k = split(n)
    if m <= k:
        return subproof(m, lo, lo + k, b) + [mth(lo + k, hi)]
    return subproof(m - k, lo + k, hi, False) + [mth(lo, lo + k)]


def proof(m, n):
    """PROOF(m, D[n]): the consistency proof from size m to size n."""
    return subproof(m, 0, n, True)


def hexes(hs):
    return " ".join(h.hex() for h in hs)


def digest(lines):
    return hashlib.sha256("".join(lines).encode()).hexdigest()


if __name__ == "__main__":
    roots = ["%d %s\n" % (n, mth(0, n).hex()) for n in range(1, N + 1)]
    print("roots digest", len(roots), digest(roots))
    for n in list(range(9, 41)) + [63, 64, 65, 127, 128, 129, 130]:
        print("root", n, mth(0, n).hex())
    # One line per proof, "n i hash hash ...\n", sizes ascending, then indexes (or older sizes).
    inclusion = ["%d %d %s\n" % (n, i, hexes(path(i, 0, n))) for n in range(1, N + 1)
                 for i in range(n)]
    consistency = ["%d %d %s\n" % (n, m, hexes(proof(m, n))) for n in range(1, N + 1)
                   for m in range(1, n + 1)]
    print("inclusion digest", len(inclusion), digest(inclusion))
    print("consistency digest", len(consistency), digest(consistency))
    for n, i in [(9, 0), (9, 8), (13, 6), (17, 16), (31, 30), (33, 32), (40, 23), (129, 128),
                 (130, 65)]:
        print("inclusion", i, "in", n, hexes(path(i, 0, n)))
    for m, n in [(8, 9), (5, 13), (16, 17), (9, 40), (31, 33), (64, 129), (100, 130)]:
        print("consistency", m, "->", n, hexes(proof(m, n)))
