"""Writes N dossier rows (default 1,000,000) by repeating the sample town's dossiers.csv with fresh
ids, so the browser and the native CLI score the same realistic rows. Usage: make-dossiers.py OUT [N]"""
import sys

src, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
with open(src, encoding="utf-8") as f:
    header, *rows = [line.rstrip("\n") for line in f if line.strip()]
with open(out, "w", encoding="utf-8", newline="\n") as f:
    f.write(header + "\n")
    for i in range(n):
        row = rows[i % len(rows)]
        rest = row.split(",", 1)[1]
        f.write(f"BENCH-{i:08d},{rest}\n")
