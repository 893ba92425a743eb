"""The chiso wheel as a Python program uses it, in a fresh virtual environment: the shared golden
vectors (core/tests/golden), byte for byte through the *_json functions and as dicts; the streaming
scorer with chunks cut anywhere; errors with the core's codes; DataFrames when installed."""

import datetime
import importlib.util
import json
import os
import pathlib
import threading

import pytest

import chiso

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "core" / "tests" / "golden"
SAMPLE766 = GOLDEN / "score766" / "sample-town-records"
SAMPLE_EVAL = GOLDEN / "evaluate" / "sample-town"


def golden_evaluate_cases():
    return sorted(p for p in (GOLDEN / "evaluate").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", golden_evaluate_cases(), ids=lambda p: p.name)
def test_evaluate_golden_vectors(case):
    as_of = (case / "as_of").read_text().strip()
    units = case / "units.csv"
    plan = case / "plan.json"
    doc = chiso.evaluate(
        (case / "observations.csv").read_bytes(),
        units=units.read_bytes() if units.exists() else None,
        plan=plan.read_bytes() if plan.exists() else None,
        as_of=as_of,
    )
    assert doc == json.loads((case / "expected.json").read_text())
    # The exact bytes, through the extension module.
    text = chiso._chiso.evaluate_json(
        (case / "observations.csv").read_bytes(), "observations.csv",
        units=units.read_bytes() if units.exists() else None,
        plan=plan.read_bytes() if plan.exists() else None, as_of=as_of)
    assert text == (case / "expected.json").read_text()


def golden_score766_cases():
    return sorted(p for p in (GOLDEN / "score766").iterdir() if (p / "expected.json").exists())


@pytest.mark.parametrize("case", golden_score766_cases(), ids=lambda p: p.name)
def test_score766_golden_vectors(case):
    expected = (case / "expected.json").read_text()
    profile = (case / "profile").read_text().strip() if (case / "profile").exists() else None
    opt = lambda name: (case / name) if (case / name).exists() else None  # noqa: E731
    if (case / "dossiers.csv").exists():
        period = (case / "period").read_text().strip()
        scorer = chiso.Scorer766(period, profile=profile)
        for load, name in [(scorer.load_units, "units.csv"), (scorer.load_procedures, "procedures.csv"),
                           (scorer.load_counts, "counts.json"), (scorer.load_feedback, "feedback.csv")]:
            if opt(name):
                load(opt(name).read_bytes())
        data = (case / "dossiers.csv").read_bytes()
        # Chunks cut at odd places, inside lines and multi-byte characters.
        for i in range(0, len(data), 997):
            scorer.push(data[i:i + 997])
        assert scorer.finish_json() == expected
        # The one-call form reading the file by path (the parallel driver) gives the same document.
        doc = chiso.score766(period=period, dossiers=case / "dossiers.csv", units=opt("units.csv"),
                             procedures=opt("procedures.csv"), counts=opt("counts.json"),
                             feedback=opt("feedback.csv"), profile=profile, jobs=2)
        assert doc == json.loads(expected)
    else:
        doc = chiso.score766(counts=case / "counts.json", profile=profile)
        assert doc == json.loads(expected)


def test_errors_carry_the_core_codes():
    with pytest.raises(chiso.ChisoError) as e:
        chiso.evaluate(b"unit,period\nx,2025\n", as_of="2026-11-28")
    assert e.value.code == "missing_column"
    assert "`indicator`" in str(e.value)
    with pytest.raises(chiso.ChisoError) as e:
        chiso.Scorer766("2026-13")
    assert e.value.code == "invalid_argument"
    with pytest.raises(chiso.ChisoError) as e:
        chiso.evaluate(pathlib.Path("/nonexistent/observations.csv"))
    assert e.value.code == "io"
    scorer = chiso.Scorer766("2026-10")
    scorer.push((SAMPLE766 / "dossiers.csv").read_bytes().split(b"\n")[0] + b"\n")
    with pytest.raises(chiso.ChisoError) as e:
        scorer.load_units(b"id,name,parent,level\n")
    assert e.value.code == "misuse"
    strict = b"unit,indicator,period,numerator,denominator\na,dossiers_fully_online,2024,11,10\n"
    with pytest.raises(chiso.ChisoError) as e:
        chiso.evaluate(strict, as_of="2026-11-28", strict=True)
    assert e.value.code == "rejected_row"
    with pytest.raises(TypeError):
        chiso.evaluate(b"", colour=True)


def test_dates_plans_roles_and_pro_rata():
    observations = SAMPLE_EVAL / "observations.csv"
    units = SAMPLE_EVAL / "units.csv"
    by_date = chiso.evaluate(observations, units=units, as_of=datetime.date(2026, 11, 28))
    assert by_date == chiso.evaluate(observations, units=units, as_of="2026-11-28")
    plan = chiso.builtin_plan()
    assert chiso.evaluate(observations, units=units, as_of="2026-11-28", plan=plan) == by_date
    roles = chiso.report_by_role(observations, units=units, as_of="2026-11-28")
    police = next(r for r in roles["roles"] if r["id"] == "town_police")
    assert police["attention"] == 6 and police["results"][0]["status"] == "off_track"
    pro = chiso.evaluate(observations, units=units, as_of="2026-11-28", pro_rata=True)
    staff = next(r for r in pro["results"] if r["unit"] == "tt-phu-my" and r["target"] == "staff_informed.yearly"
                 and r["period"] == "2026")
    assert staff["status"] == "at_risk" and staff["pro_rata"]["expected_numerator"] == 39


def test_series_and_threads():
    period = "2026-09..2026-10"
    doc = chiso.score766(period=period, dossiers=SAMPLE766 / "dossiers.csv", units=SAMPLE766 / "units.csv")
    assert doc["periods"] == ["2026-09", "2026-10"] and len(doc["scorecards"]) == 2
    # Sessions on other threads run in parallel (the GIL is released) and agree.
    out = {}

    def work(i):
        out[i] = chiso.score766(period="2026-10", dossiers=SAMPLE766 / "dossiers.csv", units=SAMPLE766 / "units.csv")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(out[i] == out[0] for i in range(4))


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_frames_when_installed(library):
    if importlib.util.find_spec(library) is None:
        # The test command installs both and sets CHISO_REQUIRE_FRAMES: there, a skip is a failure.
        assert not os.environ.get("CHISO_REQUIRE_FRAMES"), f"{library} is not installed"
        pytest.skip(f"{library} is not installed (an optional dependency)")
    evaluation = chiso.evaluate(SAMPLE_EVAL / "observations.csv", units=SAMPLE_EVAL / "units.csv", as_of="2026-11-28")
    df = chiso.frame(evaluation, library)
    assert len(df) == len(evaluation["results"])
    card = chiso.score766(counts=SAMPLE766 / "counts.json")
    metrics = sum(len(g["metrics"]) for u in card["units"] for g in u["groups"])
    assert len(chiso.frame(card, library)) == metrics
    derived = chiso.derive(SAMPLE766 / "dossiers.csv", from_="2026-09", to="2026-10",
                           procedures=SAMPLE766 / "procedures.csv")
    assert len(chiso.frame(derived, library)) == len(derived["observations"]) > 0
    listed = chiso.explain_indicator(SAMPLE766 / "dossiers.csv", indicator="dossiers_fully_online",
                                     unit="tt-phu-my", period="2026-10", limit=7)
    assert len(chiso.frame(listed, library)) == 7


def test_version_is_the_crate_version():
    cargo = (ROOT / "Cargo.toml").read_text()
    assert f'version = "{chiso.version()}"' in cargo


EXPORTS = ROOT / "core" / "tests" / "fixtures" / "exports"


def test_real_exports_through_the_input_options():
    # A workbook (its header found under the title block) evaluates as its canonical CSV.
    canonical = chiso.evaluate(EXPORTS / "observations.csv", as_of="2026-11-28")
    assert chiso.evaluate(EXPORTS / "observations.xlsx", as_of="2026-11-28") == canonical
    # A `;` file with its own headers, read through a column map.
    text = (EXPORTS / "observations.csv").read_text().replace(",", ";").replace("numerator", "TuSo")
    mapped = chiso.evaluate(text.encode(), as_of="2026-11-28",
                            options={"delimiter": ";", "columns": {"numerator": "TuSo"}})
    assert mapped["results"] == canonical["results"]
    # The dossier workbook scores as the canonical dossiers, by path or as bytes.
    csv = chiso.score766(period="2026-08", dossiers=EXPORTS / "dossiers.csv")
    assert chiso.score766(period="2026-08", dossiers=EXPORTS / "dossiers.xlsx") == csv
    # A bad option is the core's error.
    with pytest.raises(chiso.ChisoError) as e:
        chiso.evaluate(text.encode(), options={"columns": {"nowhere": "x"}})
    assert e.value.code == "invalid_input"


def _sample_scorer(feedback_and_counts):
    scorer = chiso.Scorer766("2026-10")
    scorer.load_units(SAMPLE766 / "units.csv")
    scorer.load_procedures(SAMPLE766 / "procedures.csv")
    if feedback_and_counts:
        scorer.load_counts(SAMPLE766 / "counts.json")
        scorer.load_feedback(SAMPLE766 / "feedback.csv")
    return scorer


def test_partials_save_load_and_merge(tmp_path):
    expected = (SAMPLE766 / "expected.json").read_text()
    data = (SAMPLE766 / "dossiers.csv").read_bytes()
    header_end = data.index(b"\n") + 1
    cut = data.index(b"\n", len(data) // 2) + 1
    first, second = _sample_scorer(True), _sample_scorer(False)
    first.push(data[:cut])
    # The second half keeps its rows' numbers (the first half's lines blank), so that its rejected
    # rows are listed as one pass lists them.
    second.push(data[:header_end] + b"\n" * data[header_end:cut].count(b"\n"))
    second.push(data[cut:])
    saved = first.save()
    assert isinstance(saved, bytes) and saved.startswith(b"CHISOPRT")
    path = tmp_path / "second.partial"
    path.write_bytes(second.save())
    # Loaded from bytes and from a path, merged in either order: the golden scorecard.
    for a, b in [(saved, path), (path, saved)]:
        merged = chiso.Scorer766.load(a)
        merged.merge(chiso.Scorer766.load(b))
        assert merged.finish_json() == expected
    # Saving leaves the session usable.
    assert first.finish_json() != expected
    for damaged in [saved[:-1], saved[:20] + bytes([saved[20] ^ 1]) + saved[21:], b"not a partial"]:
        with pytest.raises(chiso.ChisoError) as e:
            chiso.Scorer766.load(damaged)
        assert e.value.code == "partial_corrupt"
    with pytest.raises(chiso.ChisoError) as e:
        chiso.Scorer766.load(saved[:8] + b"\x07\x00" + saved[10:])
    assert e.value.code == "partial_version"
    itself = chiso.Scorer766.load(saved)
    with pytest.raises(chiso.ChisoError) as e:
        itself.merge(itself)
    assert e.value.code == "misuse"
    # Refused, and unchanged: it still finishes as the partial it was loaded from.
    assert itself.finish_json() == chiso.Scorer766.load(saved).finish_json()
    other = chiso.Scorer766.load(chiso.Scorer766("2026-09").save())
    mine = chiso.Scorer766.load(saved)
    with pytest.raises(chiso.ChisoError) as e:
        mine.merge(other)
    assert e.value.code == "partial_mismatch"



def _sample_records():
    return dict(dossiers=SAMPLE766 / "dossiers.csv", procedures=SAMPLE766 / "procedures.csv",
                feedback=SAMPLE766 / "feedback.csv", counts=[SAMPLE766 / "counts.json"])


def test_derive_and_explain_an_indicator_from_records():
    records = _sample_records()
    doc = chiso.derive(from_="2026-09", to="2026-10", units=SAMPLE766 / "units.csv", **records)
    assert (doc["from"], doc["to"]) == ("2026-09", "2026-10")
    observed = {(o["unit"], o["indicator"], o["period"]): o for o in doc["observations"]}
    online = observed[("tt-phu-my", "dossiers_fully_online", "2026-10")]
    # The README's figures for the sample town (chiso derive … --from 2026-09 --to 2026-10).
    assert (online["numerator"], online["denominator"], online["source"]) == (312, 412, "online_dossiers")
    assert observed[("tt-phu-my", "service_quality_improves", "2026-10")]["numerator"] == 8252
    assert [r["row"] for r in doc["rejected"]] == [794, 795]
    # Every derived indicator's shortfall is listed record by record: exactly denominator − numerator.
    for (unit, indicator, period), o in observed.items():
        if indicator == "service_quality_improves":
            continue
        listed = chiso.explain_indicator(SAMPLE766 / "dossiers.csv", indicator=indicator, unit=unit, period=period,
                                         units=SAMPLE766 / "units.csv", procedures=SAMPLE766 / "procedures.csv",
                                         limit=3)
        assert (listed["numerator"], listed["denominator"]) == (o["numerator"], o["denominator"])
        assert len(listed["items"]) == min(3, o["denominator"] - o["numerator"])
        assert len(listed["items"]) + listed["omitted"] == o["denominator"] - o["numerator"]
    with pytest.raises(chiso.ChisoError) as e:
        chiso.derive(SAMPLE766 / "dossiers.csv", from_="2026-10", to="2026-13")
    assert e.value.code == "invalid_argument"
    with pytest.raises(chiso.ChisoError) as e:
        chiso.explain_indicator(SAMPLE766 / "dossiers.csv", indicator="service_quality_improves", unit="tt-phu-my",
                                period="2026-10")
    assert e.value.code == "invalid_argument"


def test_evaluate_with_records_alone_and_beside_typed_observations():
    records = _sample_records()
    alone = chiso.evaluate(units=SAMPLE766 / "units.csv", as_of="2026-11-28", unit="tt-phu-my", **records)
    results = {(r["indicator"], r["period"]): r for r in alone["results"]}
    online = results[("dossiers_fully_online", "2026")]
    # September and October summed: 282/380 + 312/412 (the README's 594/792).
    assert (online["numerator"], online["denominator"]) == (594, 792)
    assert (online["source"], online["rule"]) == ("derived", "online_dossiers")
    # A typed observation of the same unit, indicator and month wins over the derived one.
    typed = b"unit,indicator,period,numerator,denominator\ntt-phu-my,dossiers_fully_online,2026-10,400,412\n"
    mixed = chiso.evaluate(typed, units=SAMPLE766 / "units.csv", as_of="2026-11-28", unit="tt-phu-my", **records)
    online = {(r["indicator"], r["period"]): r for r in mixed["results"]}[("dossiers_fully_online", "2026")]
    assert (online["numerator"], online["denominator"]) == (282 + 400, 792)
    assert online["source"] == "mixed"
    with pytest.raises(chiso.ChisoError) as e:
        chiso.evaluate(as_of="2026-11-28")
    assert e.value.code == "invalid_argument"
    with pytest.raises(TypeError):
        chiso.evaluate(typed, procedures=SAMPLE766 / "procedures.csv")


def test_scorer_explains_a_metric_as_the_scorecard_counts_it():
    card = chiso.score766(period="2026-10", dossiers=SAMPLE766 / "dossiers.csv", units=SAMPLE766 / "units.csv",
                          procedures=SAMPLE766 / "procedures.csv", feedback=SAMPLE766 / "feedback.csv",
                          counts=SAMPLE766 / "counts.json")
    unit = next(u for u in card["units"] if u["unit"] == "tt-phu-my")
    on_time = next(m for g in unit["groups"] for m in g["metrics"] if m["code"] == "ON_TIME")
    # After the units and procedures, before any record (feedback and counts included).
    with pytest.raises(chiso.ChisoError) as e:
        _sample_scorer(False).set_explain("tt-phu-my", "NO_SUCH_METRIC")
    assert e.value.code == "invalid_argument"
    scorer = _sample_scorer(False)
    scorer.set_explain("tt-phu-my", "ON_TIME")
    scorer.load_counts(SAMPLE766 / "counts.json")
    scorer.load_feedback(SAMPLE766 / "feedback.csv")
    scorer.push_file(SAMPLE766 / "dossiers.csv")
    listed = scorer.explain()
    assert (listed["numerator"], listed["denominator"]) == (on_time["numerator"], on_time["denominator"])
    assert listed["total_shortfall"] == on_time["denominator"] - on_time["numerator"] == len(listed["items"]) > 0
    assert all(item["reason"] for item in listed["items"])
    late = _sample_scorer(True)
    with pytest.raises(chiso.ChisoError) as e:
        late.set_explain("tt-phu-my", "ON_TIME")
    assert e.value.code == "misuse"
