#!/usr/bin/python3
"""A second, independent client of an Objector log, written from the specs
alone (no Objector code, no Objector test helper): c2sp.org/signed-note,
tlog-checkpoint, tlog-cosignature, tlog-tiles and tlog-proof, and RFC 9162
§2.1 for the hashes and the inclusion and consistency proofs. If the log's own writer and its
own verifier shared a mistake, this is where it shows.

  c2sp_client.py --log-key VKEY [--witness VKEY]... [--receipt FILE]... SOURCE...

SOURCE is a log's URL (it serves /checkpoint and /tile/) or a folder in the
tlog-tiles layout (publish.dir). For each source, in order:

  1. the checkpoint: the log key's signature, and a tlog-cosignature/v1 from
     each --witness (all of them: the tests' quorum);
  2. every entry bundle and every tile of that tree, hash by hash, up to the
     checkpoint's root;
  3. each receipt: its entry is the log's entry at its proof's index, the
     inclusion proof leads from that entry's leaf hash to the root of the
     receipt's checkpoint (checked as in 1), and the source's tiles, read at
     the receipt's tree size (its partial tiles included), give that root too,
     so the source's tree extends the receipt's;
  4. a URL only: Objector's GET /v1/consistency/<old size> (its JSON from
     docs/INTEGRATION.md) for old sizes at the tile edges, the ends and the
     receipts' sizes: each proof (RFC 9162 §2.1.4.2) leads from the root the
     tiles give at the old size to the checkpoint's.

Every source must hold the same checkpoint. Prints one line per source.
Exit status: 0 verified, 1 a check failed (the message says what and
where), 2 usage or an unreadable input.
"""

import argparse
import base64
import binascii
import hashlib
import json
import os
import sys
import urllib.error
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

TILE_WIDTH = 256  # tlog-tiles: tile height 8


class Failed(Exception):
    """A check failed: exit 1."""


class Unusable(Exception):
    """An argument or input cannot be used: exit 2."""


def b64(text, what):
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Failed(f"{what}: not base64: {text!r}") from None


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(entry):  # RFC 9162 §2.1.1
    return sha256(b"\x00" + entry)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


# --- c2sp.org/signed-note vkeys ---------------------------------------------

class VerifierKey:
    def __init__(self, text, kind):
        try:
            name, key_id, key = text.strip().split("+", 2)
            raw = base64.b64decode(key, validate=True)
        except (ValueError, binascii.Error):
            raise Unusable(f"not a verifier key: {text.strip()!r}") from None
        if len(raw) != 33 or raw[0] != kind:
            raise Unusable(f"{name}: not an Ed25519 key of type 0x{kind:02x}")
        self.name = name
        self.id = sha256(name.encode() + b"\n" + raw)[:4]
        if self.id.hex() != key_id.lower():
            raise Unusable(f"{name}: key ID {key_id} is not the key's hash")
        self.key = Ed25519PublicKey.from_public_bytes(raw[1:])

    def verify(self, signature, message):
        try:
            self.key.verify(signature, message)
            return True
        except InvalidSignature:
            return False


def read_key(arg, kind):
    text = arg
    if os.path.exists(arg):
        with open(arg, encoding="utf-8") as f:
            text = f.read()
    return VerifierKey(text, kind)


# --- checkpoints (signed-note, tlog-checkpoint, tlog-cosignature) ------------

class Checkpoint:
    def __init__(self, note, where, log_key, witnesses):
        text, sep, signatures = note.rpartition("\n\n")
        if not sep or not note.endswith("\n"):
            raise Failed(f"{where}: not a signed note (no blank line before the signatures)")
        self.body = text + "\n"
        lines = self.body.split("\n")
        if len(lines) < 4:
            raise Failed(f"{where}: a checkpoint has an origin, a size and a root")
        self.origin, size, root = lines[0], lines[1], lines[2]
        if not size.isdigit() or (size != "0" and size.startswith("0")):
            raise Failed(f"{where}: tree size {size!r} is not a decimal without leading zeros")
        self.size = int(size)
        self.root = b64(root, f"{where}: root")
        if len(self.root) != 32:
            raise Failed(f"{where}: the root is {len(self.root)} bytes, not 32")
        if self.origin != log_key.name:
            raise Failed(f"{where}: origin {self.origin!r} is not the log key's name {log_key.name!r}")
        found = {}
        for line in signatures.rstrip("\n").split("\n"):
            if not line.startswith("\u2014 ") or line.count(" ") != 2:
                raise Failed(f"{where}: not a signature line: {line!r}")
            _, name, sig = line.split(" ")
            found.setdefault(name, []).append(b64(sig, f"{where}: signature of {name}"))
        self.cosigned = []
        self._check_log_signature(found, where, log_key)
        for w in witnesses:
            self._check_cosignature(found, where, w)

    def _by_key(self, found, key):
        return [s for s in found.get(key.name, []) if s[:4] == key.id]

    def _check_log_signature(self, found, where, key):
        sigs = self._by_key(found, key)
        if len(sigs) != 1 or len(sigs[0]) != 68:
            raise Failed(f"{where}: {len(sigs)} signatures by the log key {key.name}, want one of 68 bytes")
        if not key.verify(sigs[0][4:], self.body.encode()):
            raise Failed(f"{where}: the log's signature does not verify")

    def _check_cosignature(self, found, where, key):
        sigs = self._by_key(found, key)
        if len(sigs) != 1 or len(sigs[0]) != 76:
            raise Failed(f"{where}: {len(sigs)} cosignatures by witness {key.name}, want one of 76 bytes")
        time = int.from_bytes(sigs[0][4:12], "big")
        message = f"cosignature/v1\ntime {time}\n".encode() + self.body.encode()
        if time >= 2**63 or not key.verify(sigs[0][12:], message):
            raise Failed(f"{where}: the cosignature of witness {key.name} does not verify")
        self.cosigned.append(key.name)


# --- tlog-tiles ---------------------------------------------------------------

def index_path(n):
    """tlog-tiles: three digits per element, all but the last prefixed with x."""
    parts = [f"{n % 1000:03d}"]
    n //= 1000
    while n > 0:
        parts.insert(0, f"x{n % 1000:03d}")
        n //= 1000
    return "/".join(parts)


def tile_path(level, n, width):
    name = "entries" if level is None else str(level)
    return f"tile/{name}/{index_path(n)}" + ("" if width == TILE_WIDTH else f".p/{width}")


class Source:
    def __init__(self, where):
        self.where = where
        self.url = where.rstrip("/") if where.startswith(("http://", "https://")) else None
        if self.url is None and not os.path.isdir(where):
            raise Unusable(f"{where}: neither a URL nor a folder")
        self.tiles = {}

    def read(self, path):
        if self.url is None:
            try:
                with open(os.path.join(self.where, path), "rb") as f:
                    return f.read()
            except FileNotFoundError:
                raise Failed(f"{self.where}: {path}: missing") from None
        try:
            with urllib.request.urlopen(f"{self.url}/{path}", timeout=10) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            raise Failed(f"{self.where}: {path}: HTTP {e.code}") from None

    def hashes(self, level, n, width):
        """Tile `n` of tree level 8·level, `width` hashes wide."""
        key = (level, n, width)
        if key not in self.tiles:
            path = tile_path(level, n, width)
            data = self.read(path)
            if len(data) != 32 * width:
                raise Failed(f"{self.where}: {path}: {len(data)} bytes, want {32 * width}")
            self.tiles[key] = [data[i:i + 32] for i in range(0, len(data), 32)]
        return self.tiles[key]

    def entries(self, n, width):
        path = tile_path(None, n, width)
        data, out, i = self.read(path), [], 0
        while i < len(data):
            if i + 2 > len(data):
                raise Failed(f"{self.where}: {path}: a length cut short at byte {i}")
            length = int.from_bytes(data[i:i + 2], "big")
            if i + 2 + length > len(data):
                raise Failed(f"{self.where}: {path}: entry {len(out)} runs past the end")
            out.append(data[i + 2:i + 2 + length])
            i += 2 + length
        if len(out) != width:
            raise Failed(f"{self.where}: {path}: {len(out)} entries, want {width}")
        return out


def width_at(size, level, n):
    """How many hashes tile n of tile level `level` holds in a tree of `size` leaves."""
    return min(TILE_WIDTH, (size >> (8 * level)) - TILE_WIDTH * n)


class Tree:
    """The tree of `size` leaves, from the source's tiles as they are at tree
    size `read_at` (by default `size`: the partial tiles of that size; a larger
    one reads the wider tiles of a later tree, whose prefixes they are)."""

    def __init__(self, source, size, read_at=None):
        self.source, self.size, self.read_at = source, size, size if read_at is None else read_at

    def node(self, height, index):
        """MTH of the full subtree of 2^height leaves starting at index·2^height."""
        level, rest = divmod(height, 8)
        if rest == 0:
            n, i = divmod(index, TILE_WIDTH)
            return self.source.hashes(level, n, width_at(self.read_at, level, n))[i]
        return node_hash(self.node(height - 1, 2 * index), self.node(height - 1, 2 * index + 1))

    def root(self):
        return mth(0, self.size, self.node)


def mth(start, count, full):
    """RFC 9162 §2.1.1: the hash of leaves [start, start+count); full(height,
    index) gives the hash of an aligned full subtree of 2^height leaves."""
    if count == 0:
        return sha256(b"")
    height = count.bit_length() - 1
    if count == 1 << height and start % count == 0:
        return full(height, start >> height)
    k = 1 << ((count - 1).bit_length() - 1)  # the largest power of two below count
    return node_hash(mth(start, k, full), mth(start + k, count - k, full))


def merkle(hashes):
    """MTH of a list of hashes (a full tile's worth at most)."""
    def full(height, index):
        if height == 0:
            return hashes[index]
        return node_hash(full(height - 1, 2 * index), full(height - 1, 2 * index + 1))
    return mth(0, len(hashes), full)


def check_every_tile(source, size):
    """Entry bundles give level 0; each tile level is the hashes of the full tiles below."""
    level_hashes, count = [], 0
    for n in range((size + TILE_WIDTH - 1) // TILE_WIDTH):
        for entry in source.entries(n, width_at(size, 0, n)):
            level_hashes.append(leaf_hash(entry))
    level = 0
    while level_hashes:
        for n in range((len(level_hashes) + TILE_WIDTH - 1) // TILE_WIDTH):
            width = min(TILE_WIDTH, len(level_hashes) - TILE_WIDTH * n)
            got = source.hashes(level, n, width)
            want = level_hashes[TILE_WIDTH * n:TILE_WIDTH * n + width]
            count += 1
            for i, (g, w) in enumerate(zip(got, want)):
                if g != w:
                    raise Failed(f"{source.where}: {tile_path(level, n, width)}: hash {i} is not what the level "
                                 f"below gives")
        full = len(level_hashes) // TILE_WIDTH
        level_hashes = [merkle(level_hashes[TILE_WIDTH * n:TILE_WIDTH * (n + 1)]) for n in range(full)]
        level += 1
    return count


# --- tlog-proof and RFC 9162 inclusion ----------------------------------------

def verify_inclusion(index, size, leaf, path, root):  # RFC 9162 §2.1.3.2
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, path):  # RFC 9162 §2.1.4.2
    if first == second:
        return not path and first_root == second_root  # FORMAT.md §4.5: equal sizes, empty proof
    if not path or first == 0 or first > second:
        return False
    if first & (first - 1) == 0:
        path = [first_root] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


def parse_tlog_proof(text, where):
    head, sep, note = text.partition("\n\n")
    lines = head.split("\n")
    if not sep or lines[0] != "c2sp.org/tlog-proof@v1":
        raise Failed(f"{where}: not a c2sp.org/tlog-proof@v1")
    lines = lines[1:]
    if lines and lines[0].startswith("extra "):
        lines = lines[1:]
    if not lines or not lines[0].startswith("index ") or not lines[0][6:].isdigit():
        raise Failed(f"{where}: no index line")
    path = [b64(h, f"{where}: proof hash") for h in lines[1:]]
    if any(len(h) != 32 for h in path):
        raise Failed(f"{where}: a proof hash is not 32 bytes")
    return int(lines[0][6:]), path, note


def check_receipt(path, source, log_key, witnesses):
    try:
        with open(path, encoding="utf-8") as f:
            receipt = json.load(f)
        entry, proof = receipt["entry"], receipt["proof"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise Unusable(f"{path}: not a receipt: {e}") from None
    index, hashes, note = parse_tlog_proof(proof, f"{path}: proof")
    cp = Checkpoint(note, f"{path}: proof's checkpoint", log_key, witnesses)
    n = index // TILE_WIDTH
    logged = source.entries(n, width_at(cp.size, 0, n))[index % TILE_WIDTH]
    if json.loads(logged) != entry:
        raise Failed(f"{path}: the entry is not the log's entry {index}")
    if not verify_inclusion(index, cp.size, leaf_hash(logged), hashes, cp.root):
        raise Failed(f"{path}: the inclusion proof of entry {index} does not lead to the root of tree size {cp.size}")
    if Tree(source, cp.size).root() != cp.root:
        raise Failed(f"{source.where}: its tiles at tree size {cp.size} do not give the root of {path}'s checkpoint")
    return cp.size


def consistency_sizes(size, receipts):
    """Old sizes around tile edges, the ends, and the receipts' (a few: the intake limits reads)."""
    edges = {1, 2, 3, 255, 256, 257, 511, 512, 513, 65535, 65536, 65537, size - 1, size}
    return sorted(m for m in edges | set(receipts) if 1 <= m <= size)


def check_consistency(source, cp, note, sizes):
    """Objector's GET /v1/consistency/<old size> (docs/INTEGRATION.md): an RFC 9162 proof to the latest checkpoint."""
    for m in sizes:
        path = f"v1/consistency/{m}"
        try:
            body = json.loads(source.read(path))
            got = (body["old_size"], body["new_size"], body["checkpoint"])
            proof = [b64(h, f"{source.where}: {path}: proof hash") for h in body["proof"]]
        except (ValueError, KeyError, TypeError) as e:
            raise Failed(f"{source.where}: {path}: not a consistency answer: {e}") from None
        if got != (m, cp.size, note):
            raise Failed(f"{source.where}: {path}: answers for sizes {got[0]} to {got[1]}, not {m} to {cp.size}")
        if not verify_consistency(m, cp.size, Tree(source, m, read_at=cp.size).root(), cp.root, proof):
            raise Failed(f"{source.where}: {path}: the proof does not lead from the tiles' root at size {m} to "
                         f"the checkpoint's")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--log-key", required=True)
    parser.add_argument("--witness", action="append", default=[])
    parser.add_argument("--receipt", action="append", default=[])
    parser.add_argument("sources", nargs="+")
    args = parser.parse_args()
    try:
        log_key = read_key(args.log_key, 0x01)
        witnesses = [read_key(w, 0x04) for w in args.witness]
        held = None
        for where in args.sources:
            source = Source(where)
            note = source.read("checkpoint").decode("utf-8")
            if held is not None and note != held:
                raise Failed(f"{where}: its checkpoint is not the first source's")
            held = note
            cp = Checkpoint(note, f"{where}: checkpoint", log_key, witnesses)
            tiles = check_every_tile(source, cp.size)
            if Tree(source, cp.size).root() != cp.root:
                raise Failed(f"{where}: the tiles do not give the checkpoint's root")
            receipt_sizes = [check_receipt(r, source, log_key, witnesses) for r in args.receipt]
            proofs = ""
            if source.url is not None:
                sizes = consistency_sizes(cp.size, receipt_sizes)
                check_consistency(source, cp, note, sizes)
                proofs = f", {len(sizes)} consistency proofs"
            print(f"{where}: verified: {cp.origin} at tree size {cp.size}; {1 + len(cp.cosigned)} signatures, "
                  f"{tiles} tiles, {(cp.size + TILE_WIDTH - 1) // TILE_WIDTH} entry bundles, "
                  f"{len(args.receipt)} receipts{proofs}")
    except Failed as e:
        print(f"c2sp_client: FAILED: {e}", file=sys.stderr)
        return 1
    except (Unusable, UnicodeDecodeError) as e:
        print(f"c2sp_client: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
