#!/usr/bin/env python3
"""What objector-core.wasm is made of: bytes per area and the largest functions.

Reads the wasm's sections and the function names Emscripten writes beside it
(--emit-symbol-map: objector-core.js.symbols), so no extra tools are needed.

  python3 tools/benchmarks/wasm_composition.py build/wasm [--top N]
"""
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path


def leb(data, pos):
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def sections(data):
    assert data[:4] == b"\0asm", "not a wasm module"
    pos = 8
    while pos < len(data):
        kind = data[pos]
        size, pos = leb(data, pos + 1)
        yield kind, data[pos:pos + size]
        pos += size


def imported_functions(body):
    count, pos = leb(body, 0)
    functions = 0
    for _ in range(count):
        for _ in range(2):  # module and field names
            n, pos = leb(body, pos)
            pos += n
        kind = body[pos]
        pos += 1
        if kind == 0:  # function: type index
            _, pos = leb(body, pos)
            functions += 1
        elif kind == 1:  # table: element type, limits
            pos += 1
            flags, pos = leb(body, pos)
            _, pos = leb(body, pos)
            if flags & 1:
                _, pos = leb(body, pos)
        elif kind == 2:  # memory: limits
            flags, pos = leb(body, pos)
            _, pos = leb(body, pos)
            if flags & 1:
                _, pos = leb(body, pos)
        elif kind == 3:  # global: type, mutability
            pos += 2
    return functions


def function_bodies(body):
    count, pos = leb(body, 0)
    for _ in range(count):
        size, start = leb(body, pos)
        yield body[start:start + size]
        pos = start + size


AREAS = [  # (area, pattern on the demangled name), first match wins
    ("nlohmann/json", r"nlohmann"),
    ("core: JSON fields, JCS, UTF-8, base64", r"objector::(canonicalize|parse_json|get_|expect_object|field_path|"
     r"to_valid_utf8|is_valid_utf8|base64|detail::|.*jcs|.*json)"),
    ("core: log (tlog)", r"objector::.*(note|checkpoint|merkle|Merkle|tree|Tree|proof|Proof|policy|Policy|tile|"
     r"cosign|inclusion|consistency|key_id|Verifier|verifier|signer)"),
    ("core: objection, receipt, api", r"objector::"),
    ("libsodium", r"^(crypto_|sodium_|randombytes|ge25519|fe25519|sc25519|blake2b|_?crypto|SHA(256|512)|"
     r"_sha(256|512)|rotr64|load64|store64|load32|store32|be64|le64|be32|slide|escrypt|_?sodium|"
     r"ge25519_|x25519|chacha|poly1305|salsa|argon|curve25519|hsalsa|_?randombytes)"),
    ("libc++ (std::)", r"std::"),
    ("libc, malloc, runtime", r""),
]


def area_of(name):
    for area, pattern in AREAS:
        if re.search(pattern, name):
            return area
    return AREAS[-1][0]


def main():
    build = Path(sys.argv[1] if len(sys.argv) > 1 else "build/wasm")
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 15
    data = (build / "objector-core.wasm").read_bytes()
    names = {}
    for line in (build / "objector-core.js.symbols").read_text().splitlines():
        index, _, name = line.partition(":")
        names[int(index)] = re.sub(r"\\([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), name)
    imports = 0
    by_kind = defaultdict(int)
    areas = defaultdict(list)
    functions = []
    for kind, body in sections(data):
        by_kind[kind] += len(body)
        if kind == 2:
            imports = imported_functions(body)
        if kind == 10:
            for i, code in enumerate(function_bodies(body)):
                name = names.get(imports + i, f"function {imports + i}")
                areas[area_of(name)].append(code)
                functions.append((len(code), name))
    kinds = {1: "types", 2: "imports", 3: "functions", 7: "exports", 10: "code", 11: "data", 0: "custom"}
    total = len(data)
    print(f"  objector-core.wasm: {total} bytes, {len(gzip.compress(data, 9))} gzipped")
    print("  sections: " + ", ".join(f"{kinds.get(k, k)} {n}" for k, n in sorted(by_kind.items(), key=lambda x: -x[1])))
    print("  code by area (bytes, gzipped alone, functions):")
    code_total = sum(len(c) for cs in areas.values() for c in cs)
    for area, codes in sorted(areas.items(), key=lambda x: -sum(len(c) for c in x[1])):
        size = sum(len(c) for c in codes)
        gz = len(gzip.compress(b"".join(codes), 9))
        print(f"    {area:40s} {size:8d} ({100 * size / code_total:4.1f} %) {gz:8d} gz {len(codes):6d}")
    print(f"  the {top} largest functions:")
    for size, name in sorted(functions, reverse=True)[:top]:
        print(f"    {size:7d}  {name[:110]}")


if __name__ == "__main__":
    main()
