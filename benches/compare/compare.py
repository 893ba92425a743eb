#!/usr/bin/env python3
"""Side-by-side: chiso, DuckDB and Polars computing the same Decision 766 dossier counts.

For one month, per unit (the handling unit, rolled up to every ancestor through units.csv), the
numerator and denominator of the ten metrics that dossier records give directly:

    ON_TIME, DOSSIER_SATISFIED, ONLINE_DOSSIERS, DOSSIER_SYNC, E_RESULT, DIGITIZED,
    REUSED_DATA, SHARED_STORAGE, CITIZEN_DATA_DOSSIERS, PAID_ONLINE

by the classification rules of shared/spec/formats.md:

* instants: `YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]`; no offset = Vietnam time (UTC+7); a date alone
  is the start of the day, except `due_at`, where it is the end of the day (23:59:59 local);
* the period of a dossier is the month of `received_at` in Vietnam time;
* late: supplement_requests > 1, or (finished_at, or the period end if open) − supplement_days
  > due_at (compared exactly: waiting days are read as integer thousandths of a day);
* online: channel = online and (the procedure has no paper result, or e_result);
* satisfied: on time, rating ≠ unsatisfied, no complaint.

Every engine runs as its own child process (`/usr/bin/time -v` gives its wall time and peak
RSS). The three results must agree exactly on every unit × metric; any difference is printed
and the script exits with status 1.

Usage:
    compare.py --data DIR [--period 2025-07] [--chiso PATH] [--label 1M] [--markdown FILE]
    compare.py --engine duckdb|polars --data DIR --period P --result FILE   (child mode)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

METRICS = [
    "ON_TIME",
    "DOSSIER_SATISFIED",
    "ONLINE_DOSSIERS",
    "DOSSIER_SYNC",
    "E_RESULT",
    "DIGITIZED",
    "REUSED_DATA",
    "SHARED_STORAGE",
    "CITIZEN_DATA_DOSSIERS",
    "PAID_ONLINE",
]

VN = 7 * 3600  # Vietnam time is UTC+7, no daylight saving


def month_bounds(period: str) -> tuple[int, int]:
    """First and last second (UTC epoch) of a YYYY-MM month in Vietnam time."""
    if not re.fullmatch(r"\d{4}-\d{2}", period):
        sys.exit(f"compare.py: the comparison is per month: --period YYYY-MM, not `{period}`")
    y, m = map(int, period.split("-"))
    first = dt.date(y, m, 1)
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    epoch = dt.date(1970, 1, 1)
    start = (first - epoch).days * 86400 - VN
    end = (nxt - epoch).days * 86400 - VN - 1
    return start, end


def header_of(path: Path) -> tuple[str, list[str]]:
    """The delimiter (`;` when the header has one, else `,`) and the header names of a CSV file."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        line = f.readline().rstrip("\r\n")
    delimiter = ";" if ";" in line else ","
    return delimiter, next(csv.reader([line], delimiter=delimiter))


def column_names(path: Path, aliases: dict[str, list[str]]) -> dict[str, str]:
    """The header name of each canonical column of `aliases` (itself or one of its aliases)."""
    import unicodedata

    fold = lambda h: unicodedata.normalize("NFC", h).strip().casefold()  # noqa: E731
    present = {fold(h): h for h in header_of(path)[1]}
    out = {}
    for canonical, names in aliases.items():
        found = [present[fold(a)] for a in [canonical, *names] if fold(a) in present]
        if not found:
            sys.exit(f"compare.py: no column for `{canonical}` in the header of {path}")
        out[canonical] = found[0]
    return out


UNIT_ALIASES = {"id": ["Mã đơn vị"], "parent": ["Đơn vị cấp trên"]}
PROCEDURE_ALIASES = {"procedure": ["Mã thủ tục", "Mã TTHC"], "paper_result": ["Trả kết quả giấy"]}


def ancestors_closure(units_csv: Path) -> list[tuple[str, str]]:
    """(unit, ancestor-or-self) pairs from units.csv parent links (canonical or export shape)."""
    parent: dict[str, str] = {}
    names = column_names(units_csv, UNIT_ALIASES)
    with open(units_csv, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f, delimiter=header_of(units_csv)[0]):
            uid = (row.get(names["id"]) or "").strip()
            if uid:
                parent[uid] = (row.get(names["parent"]) or "").strip()
    pairs = []
    for uid in parent:
        seen = set()
        a = uid
        while a and a not in seen and a in parent:
            seen.add(a)
            pairs.append((uid, a))
            a = parent[a]
    return pairs


# ---------------------------------------------------------------------------------------------
# DuckDB

DUCKDB_SQL = r"""
-- Instants: DuckDB's own TIMESTAMPTZ cast reads `Z` and `+07:00` offsets and, in the session time
-- zone (set to Asia/Ho_Chi_Minh, UTC+7 with no daylight saving since 1975), values without one.
CREATE OR REPLACE MACRO vn_epoch(s, end_of_day) AS (
    CASE WHEN s IS NULL OR s = '' THEN NULL
    ELSE CAST(epoch(CAST(s AS TIMESTAMPTZ)) AS BIGINT)
         + CASE WHEN end_of_day AND length(s) = 10 THEN 86399 ELSE 0 END
    END
);
-- Booleans: the common spellings first, the rest through trim and lower.
CREATE OR REPLACE MACRO flag(raw) AS (
    CASE WHEN raw = '1' THEN true WHEN raw IS NULL OR raw = '0' THEN false
    ELSE lower(trim(raw)) IN ('1', 'true') END
);
CREATE OR REPLACE MACRO word(raw) AS (
    CASE WHEN raw IS NULL THEN '' WHEN raw IN ('online', 'direct', 'postal', 'satisfied', 'unsatisfied') THEN raw
    ELSE lower(trim(raw)) END
);

CREATE OR REPLACE TABLE closure AS SELECT * FROM read_csv('{closure}', header = true, all_varchar = true);

CREATE OR REPLACE TABLE per_unit AS
WITH raw AS (
    SELECT * FROM read_csv('{dossiers}', header = true, all_varchar = true, quote = '"', escape = '"')
),
procs AS (
    SELECT trim(procedure) AS procedure, flag(paper_result) AS paper
    FROM read_csv('{procedures}', header = true, all_varchar = true, quote = '"', escape = '"')
),
d AS (
    SELECT
        trim(r.unit) AS unit,
        p.paper,
        vn_epoch(trim(r.received_at), false) AS received,
        vn_epoch(trim(r.due_at), true) AS due,
        vn_epoch(trim(r.finished_at), false) AS finished,
        word(r.channel) AS channel,
        coalesce(CAST(nullif(trim(r.supplement_requests), '') AS UBIGINT), 0) AS requests,
        coalesce(CAST(round(CAST(nullif(trim(r.supplement_days), '') AS DECIMAL(18, 3)) * 1000) AS BIGINT), 0)
            AS wait_milli,
        flag(r.e_result) AS e_result, flag(r.digitized) AS digitized, flag(r.reused_data) AS reused,
        flag(r.shared_storage) AS shared, flag(r.citizen_data) AS citizen, flag(r.synced) AS synced,
        flag(r.fee) AS fee, flag(r.paid_online) AS paid, flag(r.complaint) AS complaint,
        word(r.rating) AS rating
    FROM raw r JOIN procs p ON p.procedure = trim(r.procedure)
),
c AS (
    SELECT *,
        requests > 1 OR (due IS NOT NULL
            AND (coalesce(finished, {period_end}) - due) * 1000 > wait_milli * 86400) AS late
    FROM d
    WHERE received BETWEEN {period_start} AND {period_end}
)
SELECT unit,
    count(*) AS n,
    count(*) FILTER (WHERE NOT late) AS on_time,
    count(*) FILTER (WHERE NOT late AND rating <> 'unsatisfied' AND NOT complaint) AS satisfied,
    count(*) FILTER (WHERE channel = 'online' AND (NOT paper OR e_result)) AS online,
    count(*) FILTER (WHERE synced) AS synced,
    count(*) FILTER (WHERE paper AND e_result) AS paper_e_result,
    count(*) FILTER (WHERE paper) AS paper,
    count(*) FILTER (WHERE digitized AND (NOT paper OR e_result)) AS digitized,
    count(*) FILTER (WHERE reused) AS reused,
    count(*) FILTER (WHERE shared) AS shared,
    count(*) FILTER (WHERE citizen) AS citizen,
    count(*) FILTER (WHERE fee AND paid) AS fee_paid,
    count(*) FILTER (WHERE fee) AS fee
FROM c GROUP BY unit;

SELECT a.ancestor AS unit,
    sum(n) AS n, sum(on_time) AS on_time, sum(satisfied) AS satisfied, sum(online) AS online,
    sum(synced) AS synced, sum(paper_e_result) AS paper_e_result, sum(paper) AS paper,
    sum(digitized) AS digitized, sum(reused) AS reused, sum(shared) AS shared, sum(citizen) AS citizen,
    sum(fee_paid) AS fee_paid, sum(fee) AS fee
FROM per_unit u JOIN closure a ON a.unit = u.unit
GROUP BY a.ancestor;
"""

# The export shape (shared/spec/exports.md): Vietnamese header names, `;`, day-first dates without
# a zone (Vietnam time), Vietnamese channel, rating and boolean words. DuckDB is told the formats:
# the delimiter, the date formats (`try_strptime` with the day-first shapes), the header names
# (each canonical column found among its aliases in the file's header) and the words, mapped in SQL.
EXPORT_ALIASES = {
    "dossier_id": ["Mã hồ sơ", "Số hồ sơ"],
    "unit": ["Mã đơn vị", "Đơn vị xử lý (id)", "Mã cơ quan"],
    "procedure": ["Mã thủ tục", "Mã TTHC"],
    "received_at": ["Ngày tiếp nhận", "Thời gian tiếp nhận"],
    "due_at": ["Ngày hẹn trả", "Hạn xử lý", "Hạn giải quyết"],
    "finished_at": ["Ngày có kết quả", "Ngày hoàn thành", "Ngày trả kết quả"],
    "channel": ["Kênh nộp", "Hình thức nộp", "Kênh thực hiện"],
    "supplement_requests": ["Số lần bổ sung", "Số lần yêu cầu bổ sung"],
    "supplement_days": ["Số ngày bổ sung", "Số ngày chờ bổ sung"],
    "e_result": ["Có kết quả điện tử", "Kết quả điện tử"],
    "digitized": ["Đã số hóa", "Số hóa hồ sơ"],
    "reused_data": ["Tái sử dụng dữ liệu"],
    "shared_storage": ["Kho dữ liệu cá nhân", "Lấy từ kho dữ liệu"],
    "citizen_data": ["Dữ liệu dân cư", "Sử dụng dữ liệu dân cư"],
    "synced": ["Đồng bộ DVCQG", "Đã đồng bộ"],
    "fee": ["Có phí, lệ phí", "Có nghĩa vụ tài chính"],
    "paid_online": ["Thanh toán trực tuyến", "Đã thanh toán trực tuyến"],
    "complaint": ["Có phản ánh, kiến nghị", "Có PAKN"],
    "rating": ["Đánh giá", "Mức độ hài lòng"],
}

DUCKDB_EXPORT_SQL = r"""
-- Day-first local times (Vietnam time, no zone); a date alone is the start of the day, or the end
-- of it for a due date.
CREATE OR REPLACE MACRO vn_epoch(s, end_of_day) AS (
    CASE WHEN s IS NULL OR s = '' THEN NULL
    ELSE CAST(epoch(try_strptime(s, ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y',
                                     '%d-%m-%Y %H:%M:%S', '%d-%m-%Y %H:%M', '%d-%m-%Y'])) AS BIGINT)
         - 25200 + CASE WHEN end_of_day AND length(s) = 10 THEN 86399 ELSE 0 END
    END
);
CREATE OR REPLACE MACRO flag(raw) AS (
    CASE WHEN raw = '1' THEN true WHEN raw IS NULL OR raw = '0' THEN false
    ELSE lower(trim(raw)) IN ('1', 'true', 'yes', 'có', 'x') END
);
CREATE OR REPLACE MACRO channel_word(raw) AS (
    CASE WHEN raw IS NULL THEN 'direct'
    WHEN lower(trim(raw)) IN ('trực tuyến', 'online', '2') THEN 'online'
    WHEN lower(trim(raw)) IN ('bưu chính', 'dịch vụ bưu chính công ích', 'postal', '3') THEN 'postal'
    ELSE 'direct' END
);
CREATE OR REPLACE MACRO rating_word(raw) AS (
    CASE WHEN lower(trim(raw)) IN ('không hài lòng', 'unsatisfied') THEN 'unsatisfied' ELSE '' END
);

CREATE OR REPLACE TABLE closure AS SELECT * FROM read_csv('{closure}', header = true, all_varchar = true);

CREATE OR REPLACE TABLE per_unit AS
WITH raw AS (
    SELECT * FROM read_csv('{dossiers}', header = true, all_varchar = true, delim = ';', quote = '"',
                           escape = '"')
),
procs AS (
    SELECT trim("{p_procedure}") AS procedure, flag("{p_paper_result}") AS paper
    FROM read_csv('{procedures}', header = true, all_varchar = true, delim = '{p_delim}', quote = '"',
                  escape = '"')
),
d AS (
    SELECT
        trim(r."{unit}") AS unit,
        p.paper,
        vn_epoch(trim(r."{received_at}"), false) AS received,
        vn_epoch(trim(r."{due_at}"), true) AS due,
        vn_epoch(trim(r."{finished_at}"), false) AS finished,
        channel_word(r."{channel}") AS channel,
        coalesce(CAST(nullif(trim(r."{supplement_requests}"), '') AS UBIGINT), 0) AS requests,
        coalesce(CAST(round(CAST(nullif(replace(trim(r."{supplement_days}"), ',', '.'), '') AS DECIMAL(18, 3))
            * 1000) AS BIGINT), 0) AS wait_milli,
        flag(r."{e_result}") AS e_result, flag(r."{digitized}") AS digitized, flag(r."{reused_data}") AS reused,
        flag(r."{shared_storage}") AS shared, flag(r."{citizen_data}") AS citizen, flag(r."{synced}") AS synced,
        flag(r."{fee}") AS fee, flag(r."{paid_online}") AS paid, flag(r."{complaint}") AS complaint,
        rating_word(r."{rating}") AS rating
    FROM raw r JOIN procs p ON p.procedure = trim(r."{procedure}")
),
""" + DUCKDB_SQL.split("\nc AS (", 1)[1].join(["c AS (", ""])


def export_columns(data: Path) -> dict[str, str]:
    """The names the export query uses: each dossier column's header in dossiers.csv (`;`,
    Vietnamese names), and the procedure code and paper-result columns of procedures.csv with its
    delimiter (`p_…`), quoted for SQL identifiers."""
    names = column_names(data / "dossiers.csv", EXPORT_ALIASES)
    procs = column_names(data / "procedures.csv", PROCEDURE_ALIASES)
    names.update({f"p_{k}": v for k, v in procs.items()})
    names = {k: v.replace('"', '""') for k, v in names.items()}
    names["p_delim"] = header_of(data / "procedures.csv")[0]
    return names


COUNT_COLUMNS = [
    "n", "on_time", "satisfied", "online", "synced", "paper_e_result", "paper",
    "digitized", "reused", "shared", "citizen", "fee_paid", "fee",
]


def to_metrics(row: dict) -> dict[str, list[int]]:
    n = int(row["n"])
    g = lambda k: int(row[k])  # noqa: E731
    return {
        "ON_TIME": [g("on_time"), n],
        "DOSSIER_SATISFIED": [g("satisfied"), n],
        "ONLINE_DOSSIERS": [g("online"), n],
        "DOSSIER_SYNC": [g("synced"), n],
        "E_RESULT": [g("paper_e_result"), g("paper")],
        "DIGITIZED": [g("digitized"), n],
        "REUSED_DATA": [g("reused"), n],
        "SHARED_STORAGE": [g("shared"), n],
        "CITIZEN_DATA_DOSSIERS": [g("citizen"), n],
        "PAID_ONLINE": [g("fee_paid"), g("fee")],
    }


def write_closure(units_csv: Path, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["unit", "ancestor"])
        w.writerows(ancestors_closure(units_csv))


def run_duckdb(data: Path, period: str, shape: str = "canonical") -> tuple[dict, int]:
    import duckdb

    start, end = month_bounds(period)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
    with tempfile.TemporaryDirectory() as tmp:
        closure = Path(tmp) / "closure.csv"
        write_closure(data / "units.csv", closure)
        names = export_columns(data) if shape == "export" else {}
        sql = (DUCKDB_EXPORT_SQL if shape == "export" else DUCKDB_SQL).format(
            dossiers=data / "dossiers.csv",
            procedures=data / "procedures.csv",
            closure=closure,
            period_start=start,
            period_end=end,
            **names,
        )
        statements = [s for s in sql.split(";\n") if s.strip()]
        for s in statements[:-1]:
            con.execute(s)
        cur = con.execute(statements[-1])
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    return {r["unit"]: to_metrics(r) for r in rows}, 0


# ---------------------------------------------------------------------------------------------
# Polars


def run_polars(data: Path, period: str) -> tuple[dict, int]:
    import polars as pl

    start, end = month_bounds(period)

    def epoch(col: str, end_of_day: bool):
        s = pl.col(col).str.strip_chars()
        days = s.str.slice(0, 10).str.to_date("%Y-%m-%d").cast(pl.Int64)
        hh = s.str.slice(11, 2).cast(pl.Int64, strict=False)
        mi = s.str.slice(14, 2).cast(pl.Int64, strict=False)
        ss = pl.when(s.str.slice(16, 1) == ":").then(s.str.slice(17, 2).cast(pl.Int64, strict=False)).otherwise(0)
        sign = pl.when(s.str.extract(r"([+-])\d\d:?\d\d$", 1) == "-").then(-1).otherwise(1)
        off_h = s.str.extract(r"[+-](\d\d):?\d\d$", 1).cast(pl.Int64)
        off_m = s.str.extract(r"[+-]\d\d:?(\d\d)$", 1).cast(pl.Int64)
        offset = (
            pl.when(s.str.to_uppercase().str.ends_with("Z"))
            .then(0)
            .when(off_h.is_not_null())
            .then(sign * (off_h * 3600 + off_m * 60))
            .otherwise(VN)
        )
        return (
            pl.when(s.is_null() | (s == ""))
            .then(None)
            .when(s.str.len_bytes() == 10)
            .then(days * 86400 + (86399 if end_of_day else 0) - VN)
            .otherwise(days * 86400 + hh * 3600 + mi * 60 + ss - offset)
        )

    def flag(col: str):
        return pl.col(col).fill_null("").str.strip_chars().str.to_lowercase().is_in(["1", "true"])

    def text(col: str):
        return pl.col(col).fill_null("").str.strip_chars().str.to_lowercase()

    wait = pl.col("supplement_days").fill_null("").str.strip_chars()
    wait_milli = (
        wait.str.extract(r"^(\d*)", 1).replace("", None).cast(pl.Int64).fill_null(0) * 1000
        + wait.str.extract(r"\.(\d+)$", 1).fill_null("").str.pad_end(3, "0").str.slice(0, 3).cast(pl.Int64)
    )
    procs = pl.scan_csv(data / "procedures.csv", infer_schema=False).select(
        pl.col("procedure").str.strip_chars(), flag("paper_result").alias("paper")
    )
    d = (
        pl.scan_csv(data / "dossiers.csv", infer_schema=False)
        .with_columns(pl.col("procedure").str.strip_chars(), pl.col("unit").str.strip_chars())
        .join(procs, on="procedure", how="inner")
        .select(
            "unit",
            "paper",
            epoch("received_at", False).alias("received"),
            epoch("due_at", True).alias("due"),
            epoch("finished_at", False).alias("finished"),
            text("channel").alias("channel"),
            pl.col("supplement_requests").fill_null("").str.strip_chars().replace("", "0").cast(pl.UInt64)
            .alias("requests"),
            wait_milli.alias("wait_milli"),
            *[flag(c).alias(c) for c in [
                "e_result", "digitized", "reused_data", "shared_storage", "citizen_data", "synced", "fee",
                "paid_online", "complaint"]],
            text("rating").alias("rating"),
        )
        .filter(pl.col("received").is_between(start, end))
        .with_columns(
            (
                (pl.col("requests") > 1)
                | (
                    pl.col("due").is_not_null()
                    & ((pl.col("finished").fill_null(end) - pl.col("due")) * 1000 > pl.col("wait_milli") * 86400)
                )
            ).alias("late")
        )
    )
    ok = ~pl.col("late")
    online = (pl.col("channel") == "online") & (~pl.col("paper") | pl.col("e_result"))
    n = lambda cond: cond.cast(pl.UInt64).sum()  # noqa: E731
    per_unit = d.group_by("unit").agg(
        pl.len().cast(pl.UInt64).alias("n"),
        n(ok).alias("on_time"),
        n(ok & (pl.col("rating") != "unsatisfied") & ~pl.col("complaint")).alias("satisfied"),
        n(online).alias("online"),
        n(pl.col("synced")).alias("synced"),
        n(pl.col("paper") & pl.col("e_result")).alias("paper_e_result"),
        n(pl.col("paper")).alias("paper"),
        n(pl.col("digitized") & (~pl.col("paper") | pl.col("e_result"))).alias("digitized"),
        n(pl.col("reused_data")).alias("reused"),
        n(pl.col("shared_storage")).alias("shared"),
        n(pl.col("citizen_data")).alias("citizen"),
        n(pl.col("fee") & pl.col("paid_online")).alias("fee_paid"),
        n(pl.col("fee")).alias("fee"),
    )
    pairs = ancestors_closure(data / "units.csv")
    closure = pl.LazyFrame({"unit": [p[0] for p in pairs], "ancestor": [p[1] for p in pairs]})
    rolled = (
        per_unit.join(closure, on="unit", how="inner")
        .group_by("ancestor")
        .agg(pl.col(COUNT_COLUMNS).sum())
        .rename({"ancestor": "unit"})
        .collect(engine="streaming")
    )
    return {r["unit"]: to_metrics(r) for r in rolled.iter_rows(named=True)}, 0


# ---------------------------------------------------------------------------------------------
# chiso


def chiso_command(chiso: str, data: Path, period: str, fmt: str = "json") -> list[str]:
    return [
        chiso, "score766",
        "--dossiers", str(data / "dossiers.csv"),
        "--procedures", str(data / "procedures.csv"),
        "--units", str(data / "units.csv"),
        "--period", period,
        "--format", fmt,
    ]


def parse_chiso(path: Path, fmt: str = "json") -> dict:
    """units[].groups[].metrics[] {code, numerator, denominator} (JSON), or the CSV's
    <CODE>_numerator / <CODE>_denominator columns, one row per unit."""
    if fmt == "csv":
        out = {}
        with open(path, newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                out[row["unit"]] = {
                    m: [int(row[f"{m}_numerator"] or 0), int(row[f"{m}_denominator"] or 0)] for m in METRICS
                }
        return out
    doc = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for u in doc.get("units", []):
        metrics = {}
        for g in u.get("groups", []):
            for m in g.get("metrics", []):
                if m.get("code") in METRICS:
                    metrics[m["code"]] = [int(m.get("numerator") or 0), int(m.get("denominator") or 0)]
        out[u["unit"]] = metrics
    return out


# ---------------------------------------------------------------------------------------------
# The parent: run, measure, compare, report


def measured(cmd: list[str], stdout_path: Path) -> dict:
    """Runs cmd under GNU time; returns wall seconds and peak RSS in MB."""
    time_bin = shutil.which("time", path="/usr/bin:/bin") or "/usr/bin/time"
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf, open(stdout_path, "w") as out:
        t0 = time.perf_counter()
        proc = subprocess.run([time_bin, "-v", "-o", tf.name, *cmd], stdout=out, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        report = Path(tf.name).read_text()
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise RuntimeError(f"{cmd[0]} {' '.join(cmd[1:3])} failed with status {proc.returncode}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1))
    return {"wall": wall, "rss_mb": rss_kb / 1024, "stderr": proc.stderr}


def normalise(result: dict) -> dict:
    return {u: {k: tuple(v) for k, v in m.items()} for u, m in result.items()}


def diff(name_a: str, a: dict, name_b: str, b: dict, limit: int = 30) -> list[str]:
    lines = []
    zero = (0, 0)
    for unit in sorted(set(a) | set(b)):
        for metric in METRICS:
            va = a.get(unit, {}).get(metric, zero)
            vb = b.get(unit, {}).get(metric, zero)
            if va != vb:
                lines.append(f"  {unit:<28} {metric:<22} {name_a} {va[0]}/{va[1]}  {name_b} {vb[0]}/{vb[1]}")
    if len(lines) > limit:
        lines = lines[:limit] + [f"  … and {len(lines) - limit} more"]
    return lines


def count_rows(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(buf.count(b"\n") for buf in iter(lambda: f.read(1 << 24), b"")) - 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="directory with units, procedures, dossiers CSV")
    ap.add_argument("--period", default="2025-07", help="the month compared, YYYY-MM")
    ap.add_argument("--engine", choices=["duckdb", "polars"], help="child mode: run one engine")
    ap.add_argument("--shape", choices=["canonical", "export"], default="canonical",
                    help="child mode: the shape of the dossiers file (export: DuckDB only)")
    ap.add_argument("--export-data", type=Path,
                    help="the same dossiers in the export shape (`chiso generate --shape export`): "
                         "adds chiso-export and duckdb-export to the engines")
    ap.add_argument("--result", type=Path, help="child mode: where to write the counts (JSON)")
    ap.add_argument("--chiso", help="path of the chiso binary (skipped if absent or without score766)")
    ap.add_argument("--engines", default="chiso,duckdb,polars", help="which engines to run")
    ap.add_argument("--label", default="", help="a name for this run (e.g. 1M)")
    ap.add_argument("--chiso-format", choices=["json", "csv"], default="json",
                    help="the scorecard format chiso prints and this script reads back")
    ap.add_argument("--repeat", type=int, default=3, help="runs per engine; the fastest is reported")
    ap.add_argument("--markdown", type=Path, help="also write the result table here")
    args = ap.parse_args()

    if args.engine:
        t0 = time.perf_counter()
        if args.engine == "duckdb":
            result, _ = run_duckdb(args.data, args.period, args.shape)
        else:
            result, _ = run_polars(args.data, args.period)
        args.result.write_text(json.dumps({"seconds": time.perf_counter() - t0, "units": result}))
        return 0

    data = args.data
    dossiers = data / "dossiers.csv"
    size = dossiers.stat().st_size
    rows = count_rows(dossiers)  # also warms the page cache for every engine alike
    units = count_rows(data / "units.csv")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if args.export_data:
        engines += [e for e in ["chiso-export", "duckdb-export"] if e not in engines]
        export_size = (args.export_data / "dossiers.csv").stat().st_size
        export_rows = count_rows(args.export_data / "dossiers.csv")  # warms its page cache too
        if export_rows != rows:
            sys.exit(f"compare.py: {rows} canonical rows but {export_rows} in the export shape")

    load_before = os.getloadavg()[0]
    results: dict[str, dict] = {}
    timing: dict[str, dict] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        # wc -l: the floor of reading the file once.
        wc = min((measured(["wc", "-l", str(dossiers)], tmpdir / "wc.out") for _ in range(3)), key=lambda r: r["wall"])
        timing["wc -l"] = wc
        for engine in engines:
            out = tmpdir / f"{engine}.out"
            if engine.startswith("chiso") and (
                not args.chiso
                or subprocess.run([args.chiso, "score766", "--help"], capture_output=True).returncode != 0
            ):
                notes.append("chiso: skipped (no binary with `score766` given)")
                continue
            runs = []
            for _ in range(max(1, args.repeat)):
                shape = "export" if engine.endswith("-export") else "canonical"
                where = args.export_data if shape == "export" else data
                if engine.startswith("chiso"):
                    m = measured(chiso_command(args.chiso, where, args.period, args.chiso_format), out)
                    m["output_mb"] = out.stat().st_size / 1e6
                    results[engine] = normalise(parse_chiso(out, args.chiso_format))
                else:
                    res = tmpdir / f"{engine}.json"
                    cmd = [sys.executable, os.path.abspath(__file__), "--engine", engine.removesuffix("-export"),
                           "--shape", shape, "--data", str(where), "--period", args.period, "--result", str(res)]
                    m = measured(cmd, out)
                    doc = json.loads(res.read_text())
                    m["inner"] = doc["seconds"]
                    results[engine] = normalise(doc["units"])
                runs.append(m)
            # The best of the runs: the others measure the machine's other load.
            best = min(runs, key=lambda r: r["wall"])
            best["rss_mb"] = max(r["rss_mb"] for r in runs)
            timing[engine] = best
            walls = ", ".join(f"{r['wall']:.2f}" for r in runs)
            print(f"{engine:>7}: {best['wall']:.2f} s (runs: {walls}), peak RSS {best['rss_mb']:.0f} MB", flush=True)

    # Agreement: every engine against the first.
    ok = True
    names = list(results)
    for other in names[1:]:
        lines = diff(names[0], results[names[0]], other, results[other])
        if lines:
            ok = False
            print(f"DISAGREEMENT between {names[0]} and {other}:")
            print("\n".join(lines))
    if ok and len(names) > 1:
        cells = len(set().union(*[set(r) for r in results.values()])) * len(METRICS)
        print(f"agreement: {', '.join(names)} give identical counts on all {cells} unit × metric cells")

    # Table.
    mb = size / 1e6
    label = f" ({args.label})" if args.label else ""
    title = f"Decision 766 dossier counts, {rows:,} dossiers{label}, {units:,} units, {mb:,.0f} MB, period {args.period}"
    header = "| engine | wall (s) | rows/s | MB/s | peak RSS (MB) |"
    table = [header, "|---|---:|---:|---:|---:|"]
    for engine in ["wc -l", *names]:
        t = timing[engine]
        inner = f" (in-process {t['inner']:.2f})" if "inner" in t else ""
        file_mb = export_size / 1e6 if engine.endswith("-export") else mb
        table.append(
            f"| {engine} | {t['wall']:.2f}{inner} | {rows / t['wall'] / 1e6:.2f} M | {file_mb / t['wall']:,.0f} | "
            f"{t['rss_mb']:,.0f} |"
        )
    summary = []
    others = [e for e in names if not e.startswith("chiso") and not e.endswith("-export")]
    if "chiso" in names and others:
        fastest = min(others, key=lambda e: timing[e]["wall"])
        leaner = min(others, key=lambda e: timing[e]["rss_mb"])
        c = timing["chiso"]
        summary.append(
            f"chiso vs the faster of the others ({fastest}): {timing[fastest]['wall'] / c['wall']:.1f}× the speed; "
            f"peak memory {c['rss_mb'] / timing[leaner]['rss_mb']:.2f}× that of the leaner ({leaner})."
        )
        summary.append(f"chiso's throughput is {wc['wall'] / c['wall']:.0%} of `wc -l` over the same file.")
        summary.append(
            f"chiso's time includes printing the whole scorecard of every unit "
            f"({args.chiso_format}, {c['output_mb']:,.1f} MB); the others return only the ten counts per unit."
        )
    if "chiso-export" in timing and "chiso" in timing:
        c, e = timing["chiso"], timing["chiso-export"]
        summary.append(
            f"Export shape (`;`, Vietnamese headers and words, day-first dates; {export_size / 1e6:,.0f} MB): "
            f"chiso takes {e['wall'] / c['wall']:.2f}× its time on the canonical file "
            f"({e['wall']:.2f} s against {c['wall']:.2f} s), peak RSS {e['rss_mb']:,.0f} MB against "
            f"{c['rss_mb']:,.0f} MB."
        )
        if "duckdb-export" in timing:
            d = timing["duckdb-export"]
            summary.append(
                f"DuckDB on the export shape (formats declared: `;`, `%d/%m/%Y %H:%M:%S`, the Vietnamese "
                f"header names and words mapped in SQL): {d['wall']:.2f} s, peak RSS {d['rss_mb']:,.0f} MB; "
                f"chiso is {d['wall'] / e['wall']:.1f}× faster on the same file."
            )
    agreement = "all engines agree exactly" if ok else "ENGINES DISAGREE (see the script's output)"
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine = (
        f"{os.cpu_count()} cores, measured {when}; DuckDB and Polars at their default thread counts; "
        f"best of {max(1, args.repeat)} runs each, page cache warm; "
        f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after (other work on the machine "
        f"slows every engine)"
    )
    text = "\n".join(
        [f"### {title}", "", *table, "", *summary, "", f"Agreement: {agreement}. Machine: {machine}.", *notes]
    )
    print()
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n")
        print(f"\nwritten to {args.markdown}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
