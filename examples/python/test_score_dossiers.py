"""Tests of the ctypes example: python3 -m unittest discover -s examples/python"""

import json
import os
import subprocess
import unittest
from pathlib import Path

import chiso_ctypes
from chiso_ctypes import ChisoError, Scorer
from score_dossiers import score_dossiers

SAMPLE = Path(__file__).resolve().parents[1] / "cli" / "sample"
FILES = [SAMPLE / name for name in ("dossiers.csv", "units.csv", "procedures.csv", "feedback.csv")]


class ScoreDossiers(unittest.TestCase):
    def test_the_sample_town_is_scored(self):
        card = json.loads(score_dossiers("2026-09", *FILES))
        self.assertEqual(card["profile"], "portal-2026")
        self.assertEqual(card["period"], "2026-09")
        units = {u["unit"]: u for u in card["units"]}
        self.assertIn("tt-phu-my", units)
        town = units["tt-phu-my"]
        self.assertTrue(0 < town["total"] <= 100)
        self.assertEqual(round(sum(g["score"] for g in town["groups"]), 2), town["total"])

    def test_chunk_size_does_not_matter(self):
        whole = score_dossiers("2026-09", *FILES, chunk=1 << 30)
        for chunk in (1, 3, 1000):
            self.assertEqual(score_dossiers("2026-09", *FILES, chunk=chunk), whole)

    def test_merged_halves_give_the_whole(self):
        whole = score_dossiers("2026-09", FILES[0], FILES[1], FILES[2])
        lines = FILES[0].read_bytes().splitlines(keepends=True)
        half = len(lines) // 2
        parts = [b"".join(lines[:half]), lines[0] + b"".join(lines[half:])]
        scorers = [Scorer("2026-09"), Scorer("2026-09")]
        try:
            for scorer, part in zip(scorers, parts):
                scorer.load_units_csv(FILES[1].read_bytes())
                scorer.load_procedures_csv(FILES[2].read_bytes())
                scorer.push_csv(part)
            scorers[0].merge(scorers[1])
            merged, whole = json.loads(scorers[0].finish()), json.loads(whole)
            # The scores are the same; rejected rows keep the row numbers of their own part.
            self.assertEqual(merged["units"], whole["units"])
            self.assertEqual(len(merged["rejected"]), len(whole["rejected"]))
        finally:
            for scorer in scorers:
                scorer.close()

    def test_errors_carry_their_status(self):
        with self.assertRaises(ChisoError) as e:
            Scorer("2026-13")
        self.assertEqual(e.exception.status, "invalid_argument")
        self.assertIn("2026-13", e.exception.message)
        with Scorer("2026-09") as scorer:
            with self.assertRaises(ChisoError) as e:
                scorer.push_csv(b"dossier_id,unit\xff\n")
            self.assertEqual(e.exception.status, "invalid_utf8")
            scorer.finish()
            with self.assertRaises(ChisoError) as e:
                scorer.push_csv(b"dossier_id\n")
            self.assertEqual(e.exception.status, "misuse")
        with self.assertRaises(ChisoError) as e:
            chiso_ctypes.score766_counts_json("{")
        self.assertEqual(e.exception.status, "bad_json")

    def test_one_call_functions(self):
        self.assertRegex(chiso_ctypes.version(), r"^\d+\.\d+\.\d+$")
        counts = (SAMPLE / "counts.json").read_text()
        self.assertEqual(json.loads(chiso_ctypes.score766_counts_json(counts))["period"], "2026-10")
        evaluation = json.loads(chiso_ctypes.evaluate_json((SAMPLE / "observations.csv").read_bytes(), "2026-11-28",
                                                           units_csv=(SAMPLE / "units.csv").read_bytes()))
        self.assertEqual(evaluation["as_of"], "2026-11-28")
        self.assertTrue(evaluation["results"])


@unittest.skipUnless(os.environ.get("CHISO_CLI"), "set CHISO_CLI to the chiso command (the C stage does)")
class SameBytesAsTheCommandLine(unittest.TestCase):
    """The library's JSON is what `chiso … --format json` prints, less its final newline. The command
    runs in the sample folder so that it names its sources as the library does (`units.csv`, …)."""

    def cli(self, *args):
        return subprocess.run([os.environ["CHISO_CLI"], *args, "--format", "json"], cwd=SAMPLE, check=True,
                              capture_output=True, text=True).stdout

    def test_evaluate(self):
        expected = self.cli("evaluate", "--observations", "observations.csv", "--units", "units.csv",
                            "--as-of", "2026-11-28")
        actual = chiso_ctypes.evaluate_json((SAMPLE / "observations.csv").read_bytes(), "2026-11-28",
                                            units_csv=(SAMPLE / "units.csv").read_bytes())
        self.assertIn('"rejected": [', actual)
        self.assertEqual(actual + "\n", expected)

    def test_score766_counts(self):
        expected = self.cli("score766", "--counts", "counts.json")
        self.assertEqual(chiso_ctypes.score766_counts_json((SAMPLE / "counts.json").read_text()) + "\n", expected)

    def test_score766_records(self):
        expected = self.cli("score766", "--dossiers", "dossiers.csv", "--units", "units.csv", "--procedures",
                            "procedures.csv", "--feedback", "feedback.csv", "--period", "2026-09")
        self.assertEqual(score_dossiers("2026-09", *FILES, chunk=4096) + "\n", expected)


if __name__ == "__main__":
    unittest.main()
