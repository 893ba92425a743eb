# The same per-unit, per-month counts as `chiso score766`, in DuckDB or Polars (2 threads):
# `python3 score766_compare.py dossiers.csv duckdb|polars` (pip install duckdb polars).
import time, sys, duckdb, polars as pl, resource
path = sys.argv[1]; which = sys.argv[2]
t = time.time()
if which == "duckdb":
    con = duckdb.connect(); con.execute("SET threads=2")
    r = con.execute(f"""
    WITH d AS (
      SELECT unit, procedure,
        CAST(received_at AS TIMESTAMPTZ) AS rec,
        CAST(due_at AS DATE) + INTERVAL 1 DAY - INTERVAL 1 SECOND AS due,
        CAST(finished_at AS TIMESTAMP) AS fin, channel, supplement_requests AS sreq, supplement_days AS sdays,
        e_result, digitized, reused_data, shared_storage, citizen_data, synced, fee, paid_online, complaint, rating
      FROM read_csv('{path}', header=true, types={{'received_at':'VARCHAR','finished_at':'VARCHAR','due_at':'VARCHAR'}}))
    , c AS (SELECT *, strftime(rec AT TIME ZONE 'Asia/Ho_Chi_Minh', '%Y-%m') AS month,
        (sreq > 1 OR (fin IS NOT NULL AND fin - to_seconds(CAST(sdays*86400 AS BIGINT)) > due)) AS late FROM d)
    SELECT unit, month, count(*) n, sum(CASE WHEN NOT late THEN 1 ELSE 0 END) on_time,
      sum(CASE WHEN channel='online' THEN 1 ELSE 0 END) online, sum(CAST(synced AS INT)) synced,
      sum(CAST(e_result AS INT)) e_result, sum(CAST(digitized AS INT)) dig, sum(CAST(reused_data AS INT)) reused,
      sum(CAST(shared_storage AS INT)) shared, sum(CAST(citizen_data AS INT)) cit, sum(CAST(fee AS INT)) fee,
      sum(CAST(fee AND paid_online AS INT)) paid,
      sum(CASE WHEN NOT late AND rating IS DISTINCT FROM 'unsatisfied' AND NOT complaint THEN 1 ELSE 0 END) sat,
      count(DISTINCT CASE WHEN channel='online' THEN procedure END) procs
    FROM c GROUP BY unit, month""").fetchall()
else:
    pl.Config.set_tbl_rows(5)
    import os
    df = pl.scan_csv(path, schema_overrides={"received_at": pl.Utf8, "finished_at": pl.Utf8, "due_at": pl.Utf8})
    df = df.with_columns(
        pl.col("received_at").str.to_datetime("%Y-%m-%dT%H:%M:%S%:z").dt.convert_time_zone("Asia/Ho_Chi_Minh").alias("rec"),
        (pl.col("due_at").str.to_date("%Y-%m-%d").cast(pl.Datetime) + pl.duration(days=1) - pl.duration(seconds=1)).alias("due"),
        pl.col("finished_at").str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False).alias("fin"),
    ).with_columns(
        pl.col("rec").dt.strftime("%Y-%m").alias("month"),
        ((pl.col("supplement_requests") > 1) | (pl.col("fin").is_not_null() & ((pl.col("fin") - pl.duration(seconds=(pl.col("supplement_days")*86400).cast(pl.Int64))) > pl.col("due")))).fill_null(False).alias("late"),
    )
    r = df.group_by("unit", "month").agg(
        pl.len().alias("n"), (~pl.col("late")).sum().alias("on_time"), (pl.col("channel") == "online").sum().alias("online"),
        pl.col("synced").sum(), pl.col("e_result").sum(), pl.col("digitized").sum(), pl.col("reused_data").sum(),
        pl.col("shared_storage").sum(), pl.col("citizen_data").sum(), pl.col("fee").sum(), (pl.col("fee").cast(pl.Boolean) & pl.col("paid_online").cast(pl.Boolean)).sum().alias("paid"),
        ((~pl.col("late")) & (pl.col("rating") != "unsatisfied").fill_null(True) & ~pl.col("complaint").cast(pl.Boolean)).sum().alias("sat"),
        pl.col("procedure").filter(pl.col("channel") == "online").n_unique().alias("procs"),
    ).collect()
    r = r.rows()
print(which, "groups", len(r), "wall %.2f s" % (time.time() - t), "maxrss %d MB" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))
