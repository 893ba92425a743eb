"""chiso ("chỉ số"): the indicators of Vietnam's online-public-service plans and the Decision 766
scorecard, evaluated exactly by the Rust core (the same numbers as the ``chiso`` command, libchiso
and the WASM package: the JSON documents are byte for byte theirs).

Inputs: ``bytes`` (or any bytes-like object) are the file's content; ``str`` and ``os.PathLike``
are paths. Results are dicts (the JSON of ``formats.md``); ``frame(doc, "pandas" | "polars")``
gives a DataFrame when that library is installed (neither is required). Errors are
``ChisoError`` with the core's stable ``code`` (``"rejected_row"``, ``"missing_column"``, …), the
same as libchiso's status names and the WASM errors' codes.
"""

from __future__ import annotations

import datetime as _datetime
import json as _json
import os as _os
from typing import Any, Dict, List, Optional, Union

from . import _chiso
from ._chiso import ChisoError

__all__ = [
    "ChisoError",
    "Scorer766",
    "builtin_plan",
    "derive",
    "evaluate",
    "explain_indicator",
    "frame",
    "report_by_role",
    "score766",
    "version",
]

Input = Union[bytes, bytearray, memoryview, str, "_os.PathLike[str]"]


def version() -> str:
    """The library's version (the crate's)."""
    return _chiso.version()


def _read(value: Input, default_name: str) -> "tuple[bytes, str]":
    """The content of an input and its name in messages (the path, or the format's file name)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value), default_name
    if isinstance(value, (str, _os.PathLike)):
        path = _os.fspath(value)
        try:
            with open(path, "rb") as f:
                return f.read(), path
        except OSError as e:
            err = ChisoError(f"cannot read `{path}`: {e.strerror or e}")
            err.code = "io"
            raise err from e
    raise TypeError(f"expected bytes or a path, got {type(value).__name__}")


def _optional(value: Optional[Input], default_name: str) -> Optional[bytes]:
    return None if value is None else _read(value, default_name)[0]


def _date(value: Union[None, str, _datetime.date]) -> Optional[str]:
    return value.isoformat() if isinstance(value, _datetime.date) else value


def _options_json(options: Optional[Dict[str, Any]]) -> Optional[str]:
    """The input options (real exports: ``sheet``, ``header_row``, ``delimiter``,
    ``decimal_comma``, ``columns``, ``values``) as the core reads them."""
    return None if options is None else _json.dumps(options, ensure_ascii=False)


def builtin_plan() -> Dict[str, Any]:
    """The built-in plan (the catalogue of plan.md), to edit and pass back as ``plan``."""
    return _json.loads(_chiso.builtin_plan_json())


_RECORD_KEYS = ("dossiers", "procedures", "feedback", "profile", "counts")


def _records(dossiers: Input, procedures: Optional[Input] = None, feedback: Optional[Input] = None,
             profile: Optional[str] = None, counts: Optional[List[Input]] = None) -> Any:
    """The records as the core reads them (the CLI's ``--dossiers --procedures --feedback --profile
    --counts``). A path ending in ``.jsonl``/``.ndjson`` is JSON lines; ``counts`` is a list of
    counts JSON files, one per month at most, for the Decision 766 metrics records cannot give."""
    data, name = _read(dossiers, "dossiers.csv")
    proc, proc_name = _read(procedures, "procedures.csv") if procedures is not None else (None, None)
    fb, fb_name = _read(feedback, "feedback.csv") if feedback is not None else (None, None)
    count_files = [_read(c, "counts.json") for c in (counts or [])]
    return _chiso.RecordSet(data, name, proc, proc_name, fb, fb_name, profile, count_files)


def _evaluate(observations: Optional[Input], by_role: bool, **options: Any) -> Dict[str, Any]:
    known = ("units", "plan", "as_of", "strict", "unit", "method", "pro_rata", "options") + _RECORD_KEYS
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise TypeError(f"unknown options: {', '.join(unknown)}")
    records = None
    if options.get("dossiers") is not None:
        records = _records(**{k: options.get(k) for k in _RECORD_KEYS})
    elif any(options.get(k) is not None for k in _RECORD_KEYS):
        raise TypeError("procedures, feedback, profile and counts go with dossiers")
    if observations is None:
        if records is None:
            err = ChisoError("give observations, or dossier records (`dossiers`), or both")
            err.code = "invalid_argument"
            raise err
        # Records alone: no typed observation (an empty JSON array, not a default value).
        observations = b"[]"
        data, name = observations, "observations.json"
    else:
        data, name = _read(observations, "observations.csv")
    plan = options.get("plan")
    if isinstance(plan, dict):
        plan = _json.dumps(plan, ensure_ascii=False).encode()
    text = _chiso.evaluate_json(
        data,
        name,
        units=_optional(options.get("units"), "units.csv"),
        plan=_optional(plan, "plan.json"),
        as_of=_date(options.get("as_of")),
        strict=bool(options.get("strict", False)),
        unit=options.get("unit"),
        method=options.get("method"),
        pro_rata=bool(options.get("pro_rata", False)),
        by_role=by_role,
        options=_options_json(options.get("options")),
        records=records,
    )
    return _json.loads(text)


def evaluate(observations: Optional[Input] = None, **options: Any) -> Dict[str, Any]:
    """Evaluates a plan on observations: the document of ``chiso evaluate --format json``.

    Options: ``units``, ``plan`` (a dict, bytes or a path; the built-in plan without),
    ``as_of`` (``"YYYY-MM-DD"`` or a ``datetime.date``; today in Vietnam without), ``strict``,
    ``unit``, ``method`` (``"linear"``, ``"growth-ratio"``, ``"logit"``), ``pro_rata``, and
    ``options``: how real exports are read (``{"sheet": "Kết quả", "header_row": 3, "delimiter":
    ";", "decimal_comma": True, "columns": {...}, "values": {...}}``; a workbook's bytes or
    ``.xlsx`` path is read as its sheet).

    Records beside (or instead of) the observations: ``dossiers``, ``procedures``, ``feedback``,
    ``profile``, ``counts`` (a list), as ``chiso evaluate --dossiers …``: the observations they
    determine are used where no typed one covers the same unit, indicator and period, and each
    result's ``source`` says ``typed``, ``derived`` or ``mixed`` (with the ``rule``).
    """
    return _evaluate(observations, False, **options)


def report_by_role(observations: Optional[Input] = None, **options: Any) -> Dict[str, Any]:
    """The evaluation grouped by who must act (``chiso report --by role --format json``)."""
    return _evaluate(observations, True, **options)


def derive(dossiers: Input, *, from_: str, to: str, units: Optional[Input] = None,
           procedures: Optional[Input] = None, feedback: Optional[Input] = None,
           profile: Optional[str] = None, counts: Optional[List[Input]] = None, strict: bool = False,
           options: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The plan observations the records determine, per unit and month from ``from_`` to ``to``
    (``"YYYY-MM"``): the document of ``chiso derive --format json`` (``from``, ``to``,
    ``observations`` each with its ``source`` rule, ``rejected``)."""
    records = _records(dossiers, procedures, feedback, profile, counts)
    text = _chiso.derive_json(records, from_, to, units=_optional(units, "units.csv"), strict=strict,
                              options=_options_json(options))
    return _json.loads(text)


def explain_indicator(dossiers: Input, *, indicator: str, unit: str, period: str,
                      units: Optional[Input] = None, procedures: Optional[Input] = None,
                      limit: Optional[int] = None, strict: bool = False,
                      options: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The records behind the shortfall of an indicator derived from records, for ``unit`` (and
    the units below it) and ``period``: the document of ``chiso explain --indicator … --format
    json`` (``numerator``, ``denominator``, ``items``: exactly denominator − numerator of them
    up to ``limit``, each with its reason, and ``omitted``)."""
    records = _records(dossiers, procedures)
    text = _chiso.explain_indicator_json(records, indicator, unit, period, units=_optional(units, "units.csv"),
                                         limit=limit, strict=strict, options=_options_json(options))
    return _json.loads(text)


class Scorer766:
    """A Decision 766 session (the core's, as in libchiso and WASM): load units and procedures
    first, then push dossier records (bytes cut anywhere, or a whole file), feedback and counts,
    then ``finish()`` (``finish_series()`` for a range such as ``"2026-01..2026-08"``)."""

    def __init__(self, period: str, *, profile: Optional[str] = None, strict: bool = False,
                 check_duplicate_ids: bool = True, options: Optional[Dict[str, Any]] = None) -> None:
        self._session = _chiso.Scorer766(period, profile, strict, check_duplicate_ids, _options_json(options))

    @property
    def is_series(self) -> bool:
        """Whether the period is a range (finish with ``finish_series``)."""
        return self._session.is_series

    def load_units(self, units: Input) -> None:
        self._session.load_units(_read(units, "units.csv")[0])

    def load_procedures(self, procedures: Input) -> None:
        self._session.load_procedures(_read(procedures, "procedures.csv")[0])

    def load_feedback(self, feedback: Input) -> None:
        data, name = _read(feedback, "feedback.csv")
        self._session.load_feedback(data, name.endswith((".jsonl", ".ndjson")))

    def load_counts(self, counts: Input) -> None:
        self._session.load_counts(_read(counts, "counts.json")[0])

    def push(self, chunk: Union[bytes, bytearray, memoryview]) -> None:
        """The next bytes of a dossier CSV, header first, cut anywhere."""
        self._session.push_csv(bytes(chunk))

    def push_file(self, path: Union[str, "_os.PathLike[str]"], jobs: Optional[int] = None) -> None:
        """A whole dossier file, read by the core's parallel driver (``jobs`` threads)."""
        self._session.read_dossiers(_os.fspath(path), jobs)

    def save(self) -> bytes:
        """The session as a partial: versioned, checksummed bytes that ``Scorer766.load`` (here or
        in another process), ``chiso score766 merge``, libchiso and the WASM package read back. The
        session is unchanged and may go on."""
        return self._session.save()

    @classmethod
    def load(cls, partial: Input) -> "Scorer766":
        """A session rebuilt from a partial (bytes, or the path of a file) saved by any front end.
        Raises ``ChisoError`` with code ``partial_corrupt`` (not a partial, cut short or damaged)
        or ``partial_version`` (another format version)."""
        data, name = _read(partial, "partial")
        scorer = cls.__new__(cls)
        scorer._session = _chiso.Scorer766.load(data, name)
        return scorer

    def merge(self, other: "Scorer766") -> None:
        """Merges ``other`` (another part of the records, built here or loaded from a partial) into
        this session; ``other`` cannot be used afterwards. Another profile, period, or units and
        procedures: ``ChisoError`` with code ``partial_mismatch`` (or ``invalid_argument`` for two
        sessions built here), and both are unchanged. A session merged into itself: ``misuse``, as
        libchiso's ``chiso_scorer_merge`` says it."""
        if other is self or other._session is self._session:
            err = ChisoError("a scorer cannot be merged into itself")
            err.code = "misuse"
            raise err
        self._session.merge(other._session)

    def set_explain(self, unit: str, metric: str, limit: Optional[int] = None) -> None:
        """Lists, instead of scoring, the records behind ``metric``'s shortfall for ``unit`` (and
        the units below it), at most ``limit`` of them: call after the units and procedures and
        before any record, then push the records and call ``explain()``."""
        self._session.set_explain(unit, metric, limit)

    def explain_json(self) -> str:
        """The list as the exact JSON text of ``chiso score766 explain --format json``."""
        return self._session.explain_json()

    def explain(self) -> Dict[str, Any]:
        """The records behind the shortfall (``numerator``, ``denominator``,
        ``total_shortfall``, ``items`` each with its reason)."""
        return _json.loads(self.explain_json())

    def finish_json(self) -> str:
        """The scorecard as the exact JSON text of ``chiso score766 --format json``."""
        return self._session.finish_json()

    def finish(self) -> Dict[str, Any]:
        """The scorecard."""
        return _json.loads(self.finish_json())

    def finish_series_json(self) -> str:
        """The series as the exact JSON text of ``chiso score766 --period A..B --format json``."""
        return self._session.finish_series_json()

    def finish_series(self) -> Dict[str, Any]:
        """Every period's scorecard of a range, with the changes between them."""
        return _json.loads(self.finish_series_json())


def score766(*, period: Optional[str] = None, dossiers: Optional[Input] = None,
             counts: Optional[Input] = None, units: Optional[Input] = None,
             procedures: Optional[Input] = None, feedback: Optional[Input] = None,
             profile: Optional[str] = None, strict: bool = False, jobs: Optional[int] = None,
             check_duplicate_ids: bool = True, options: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The Decision 766 scorecard (``chiso score766 --format json``): of a counts JSON alone, or
    of dossier records for ``period`` (with units, procedures, feedback and a counts JSON for the
    metrics records cannot give). A range of periods gives the series."""
    if dossiers is None:
        if counts is None:
            err = ChisoError("give `counts`, or `dossiers` with `period`")
            err.code = "invalid_argument"
            raise err
        data, _ = _read(counts, "counts.json")
        return _json.loads(_chiso.score_counts_json(data, profile, period, strict))
    if period is None:
        err = ChisoError("`dossiers` needs `period` (YYYY-MM, YYYY-Qn, YYYY or a range A..B)")
        err.code = "invalid_argument"
        raise err
    scorer = Scorer766(period, profile=profile, strict=strict, check_duplicate_ids=check_duplicate_ids,
                       options=options)
    if units is not None:
        scorer.load_units(units)
    if procedures is not None:
        scorer.load_procedures(procedures)
    if counts is not None:
        scorer.load_counts(counts)
    if feedback is not None:
        scorer.load_feedback(feedback)
    if isinstance(dossiers, (str, _os.PathLike)):
        scorer.push_file(dossiers, jobs)
    else:
        scorer.push(_read(dossiers, "dossiers.csv")[0])
    return scorer.finish_series() if scorer.is_series else scorer.finish()


def _rows(doc: Dict[str, Any]) -> List[Dict[str, Any]]:
    """One row per result (an evaluation), per role and result (a report by role), per unit and
    metric (a scorecard), per period, unit and metric (a series), per observation (derived) or per
    record (an explain list)."""
    if "results" in doc:
        return [dict(r, pro_rata_expected=(r.get("pro_rata") or {}).get("expected_numerator")) for r in doc["results"]]
    if "roles" in doc:
        return [dict(r, role=g["id"]) for g in doc["roles"] for r in g["results"]]
    if "scorecards" in doc:
        return [dict(row, period=card["period"]) for card in doc["scorecards"] for row in _rows(card)]
    if "observations" in doc:
        return list(doc["observations"])
    if "items" in doc:
        return list(doc["items"])
    if "units" in doc:
        rows = []
        for u in doc["units"]:
            for g in u["groups"]:
                for m in g["metrics"]:
                    row = {"unit": u["unit"], "name": u.get("name"), "total": u["total"], "group": g["code"],
                           "group_score": g["score"]}
                    row.update({k: v for k, v in m.items() if k != "gain"})
                    row["gain_next_point"] = (m.get("gain") or {}).get("next_point")
                    rows.append(row)
        return rows
    raise ValueError("not a chiso document (evaluation, report by role, scorecard, series, derived "
                     "observations or an explain list)")


def frame(doc: Dict[str, Any], library: str = "pandas") -> Any:
    """A chiso document as a DataFrame of ``library`` (``"pandas"`` or ``"polars"``), which must be
    installed; neither is a dependency of chiso."""
    rows = _rows(doc)
    if library == "pandas":
        import pandas  # noqa: PLC0415 - optional dependency

        return pandas.DataFrame(rows)
    if library == "polars":
        import polars  # noqa: PLC0415 - optional dependency

        # Counts are integers, percents and scores integers or decimals: one column may hold both.
        return polars.from_dicts(rows, infer_schema_length=None, strict=False)
    raise ValueError("library is 'pandas' or 'polars'")
