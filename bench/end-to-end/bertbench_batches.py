"""BertBench's batches, bit for bit, in pure Python (no torch): the generator that hf_peers.py
feeds its peers with, so that a peer runs on the same token ids and lengths as bertbench-cli.

core/util/Random.h (splitmix64 seeding, xoshiro256**, Box-Muller) seeded by core/sweep/SweepSpec.cpp's
cellSeed(seed, batch, seq, pad), then core/batch/Batch.cpp's law: per row length =
trunc(Normal((1 - pad)·S, stdev)) clamped to [1, S], ids uniform in [1, vocab - 2] on real
positions, pad id 0.

Not run on its own: hf_peers.py (beside it) imports it with its own folder on sys.path, since the
folder name (end-to-end) is not a package name; `hf_peers.py --self-test` checks its invariants.
"""
import math
import struct

M64 = (1 << 64) - 1
VOCAB = 30522


def splitmix64(x):
    """One step of splitmix64: (the advanced state, the output), like Rng::splitmix64(uint64_t&)."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return x, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class Rng:
    """core/util/Rng: xoshiro256** seeded by splitmix64, Box-Muller normal keeping the spare."""

    def __init__(self, seed):
        x = seed & M64
        self.s = []
        for _ in range(4):
            x, z = splitmix64(x)
            self.s.append(z)
        self.spare = None

    def next(self):
        s0, s1, s2, s3 = self.s
        result = (rotl((s1 * 5) & M64, 7) * 9) & M64
        t = (s1 << 17) & M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def uniform_int(self, lo, hi):
        return lo + self.next() % (hi - lo + 1)

    def normal(self):
        if self.spare is not None:
            v, self.spare = self.spare, None
            return v
        u1 = self.uniform()
        while u1 <= 0.0:
            u1 = self.uniform()
        u2 = self.uniform()
        r = math.sqrt(-2.0 * math.log(u1))
        theta = 6.283185307179586476925 * u2
        self.spare = r * math.sin(theta)
        return r * math.cos(theta)


def cell_seed(seed, batch, seq, pad):
    """core/sweep/SweepSpec.cpp cellSeed: the task is left out, the pad enters as its double's bits."""
    pad_bits = struct.unpack("<Q", struct.pack("<d", float(pad)))[0]
    x = seed & M64
    x, h = splitmix64(x)
    for v in (batch, seq, pad_bits):
        x = h ^ v
        x, h = splitmix64(x)
    return h


def make_batch(batch, seq, pad, seed=0, stdev=10.0, vocab=VOCAB):
    """core/batch/Batch.cpp makeBatch: (lengths, ids as a flat row-major list)."""
    rng = Rng(cell_seed(seed, batch, seq, pad))
    mean = (1.0 - pad) * seq
    lengths = []
    ids = [0] * (batch * seq)
    for row in range(batch):
        drawn = mean + stdev * rng.normal()
        length = int(min(max(math.trunc(drawn), 1.0), float(seq)))
        lengths.append(length)
        base = row * seq
        for pos in range(length):
            ids[base + pos] = rng.uniform_int(1, vocab - 2)
    return lengths, ids
