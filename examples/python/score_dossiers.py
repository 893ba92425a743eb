"""Scores a dossier CSV on the Decision 766 index through libchiso's streaming API (ctypes): the
file is pushed in chunks and the scorecard JSON printed, as examples/c/score_dossiers does.

Usage: python3 score_dossiers.py PERIOD DOSSIERS.csv [UNITS.csv [PROCEDURES.csv [FEEDBACK.csv]]]
"""

import sys
from pathlib import Path

from chiso_ctypes import ChisoError, Scorer

CHUNK = 1 << 16


def score_dossiers(period, dossiers, units=None, procedures=None, feedback=None, chunk=CHUNK):
    """The scorecard JSON of a dossier file, pushed in chunks of `chunk` bytes."""
    with Scorer(period) as scorer:
        if units:
            scorer.load_units_csv(Path(units).read_bytes())
        if procedures:
            scorer.load_procedures_csv(Path(procedures).read_bytes())
        if feedback:
            scorer.load_feedback_csv(Path(feedback).read_bytes())
        with open(dossiers, "rb") as f:
            while piece := f.read(chunk):
                scorer.push_csv(piece)
        return scorer.finish()


def main(argv):
    if not 3 <= len(argv) <= 6:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    try:
        print(score_dossiers(*argv[1:]))
    except (ChisoError, OSError) as e:
        print(f"score_dossiers: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
