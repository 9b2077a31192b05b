#!/usr/bin/env python3
"""The worst single file within the documented limits, per command (issue 12, item 11).

    python benchmarks/worst_file.py [--keep DIR]

Writes files that sit at the limits of yamlfile.py (5 MiB; MAX_PURE_CHARS for what only the
YAML 1.2 parser reads) in the shapes that cost most: long scalars, many words, an error at the
very end, a duplicate key at the end, and syntax that libyaml refuses. Each is given on its own
to `validate`, `score`, `report` and `compare` (beside a small valid profile), and the wall-clock
time of the slowest is printed. The target is at most 5 s per file on the 2-core machine. Not a
test: times depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ncm_toolkit.read.yamlfile import MAX_FILE_BYTES, MAX_PURE_CHARS

HEAD = "schema_version: 1\nname: Worst case\nobjectives:\n  integrating_primary_care: 4\n"
WORDS = ("word " * 1000).strip()  # a 5,000-character risk of 1,000 words


def risks_block(budget: int) -> str:
    n = min(1000, budget // (len(WORDS) + 5))
    return "risks:\n" + "".join(f"  - {WORDS}\n" for _ in range(n))


def risks_flow(budget: int, first: str) -> str:
    n = min(1000, budget // (len(WORDS) + 4)) - 1
    return f"risks: [{first}, " + ", ".join(json.dumps(WORDS) for _ in range(n)) + "]\n"


def cases() -> dict[str, str]:
    big, pure = MAX_FILE_BYTES - 10_000, MAX_PURE_CHARS - 10_000
    return {
        "5MiB-valid": HEAD + risks_block(big),
        "5MiB-duplicate-key-at-end": HEAD + risks_block(big) + "name: again\n",
        "5MiB-syntax-error-at-end": HEAD + risks_block(big) + "bad: [unclosed\n",
        "5MiB-libyaml-refuses": HEAD + risks_flow(big, ":x"),
        "pure-limit-libyaml-refuses-valid": HEAD + risks_flow(pure, ":x"),
        "pure-limit-libyaml-refuses-unknown-key": HEAD + "extra: [:x]\n" + risks_block(pure),
        "pure-limit-syntax-error-at-end": HEAD + risks_flow(pure, ":x")[:-2] + "\n",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="ncm-worst-"))
    root.mkdir(parents=True, exist_ok=True)
    ncm = shutil.which("ncm") or sys.exit("worst_file: `ncm` not on PATH")
    small = root / "small.yaml"
    small.write_text(HEAD, encoding="utf-8")
    print(f"| file | size | validate | score | report | compare |\n|{'---|' * 6}")
    worst = 0.0
    for name, text in cases().items():
        path = root / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        out = root / "out"
        commands = {
            "validate": [ncm, "validate", str(path)],
            "score": [ncm, "score", str(path), "--format", "json"],
            "report": [ncm, "report", str(path), "--format", "html", "-o", str(out), "--force"],
            "compare": [ncm, "compare", str(small), str(path)],
        }
        times = []
        for cmd in commands.values():
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, timeout=600)
            times.append(time.perf_counter() - start)
        worst = max(worst, *times)
        cells = " | ".join(f"{t:.2f} s" for t in times)
        print(f"| {name} | {len(text.encode()) / 2**20:.2f} MiB | {cells} |", flush=True)
    print(f"\nslowest: {worst:.2f} s (target: at most 5 s)")
    if not args.keep:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
