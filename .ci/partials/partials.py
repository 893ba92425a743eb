"""The Python front end of the cross-front-end partials test (.ci/stages/55-partials.sh), through
the installed wheel: python partials.py OUT PARTIAL... loads the partials (Scorer766.load), merges
them in order and writes the series JSON."""

import sys

import chiso

out, first, *rest = sys.argv[1:]
merged = chiso.Scorer766.load(first)
for path in rest:
    merged.merge(chiso.Scorer766.load(path))
with open(out, "w", encoding="utf-8") as f:
    f.write(merged.finish_series_json())
