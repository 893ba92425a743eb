//! `score766` in DataFusion gives chiso's own scorecard: over Parquet files of generated dossiers
//! in several partitions (so that partials are merged), per group of a join, with rejected rows
//! as the CSV path rejects them, and the shared golden vectors.
#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "a test fails by panicking")]

mod common;

use std::collections::BTreeMap;

use chiso_datafusion::datafusion::arrow::array::AsArray;
use chiso_datafusion::datafusion::prelude::{ParquetReadOptions, SessionContext};
use chiso_datafusion::{register_dossier_csv, register_text_csv};
use common::{
    TempDir, all_columns, chiso_scorecard, config, context, generate, one, query, text_batch, typed_batch,
    write_parquet,
};

/// Whether the physical plan of `sql` aggregates in two phases (partial states merged).
async fn merges_partials(ctx: &SessionContext, sql: &str) -> bool {
    let plan = query(ctx, &format!("EXPLAIN {sql}")).await;
    let text: String = plan.iter().flatten().flatten().cloned().collect::<Vec<_>>().join("\n");
    text.contains("mode=Partial") && text.contains("mode=Final")
}

#[tokio::test]
async fn parquet_in_several_partitions_gives_the_csv_scorecard() {
    let g = generate(24_000);
    let config = config(&g);
    let expected = chiso_scorecard(&config, &g.dossiers);
    assert_eq!(expected.matches("\"source\": \"units.csv\"").count(), 1, "{}", &expected[..expected.len().min(3000)]);
    let dir = TempDir::new("parquet");
    let typed = typed_batch(&text_batch(&g.dossiers));
    write_parquet(&typed, &dir, 4, 2_500);
    for partitions in [1, 4] {
        let ctx = context(partitions, config.clone());
        ctx.register_parquet("dossiers", dir.0.to_str().unwrap(), ParquetReadOptions::default()).await.unwrap();
        let sql = format!("SELECT {} FROM dossiers d", all_columns("d"));
        if partitions == 4 {
            assert!(merges_partials(&ctx, &sql).await, "the plan merges no partials");
        }
        let actual = one(&ctx, &sql).await;
        assert!(actual == expected, "{partitions} partitions: the scorecard differs from chiso's over the CSV");
    }
}

#[tokio::test]
async fn csv_tables_canonical_and_export_give_the_scorecard() {
    let g = generate(6_000);
    let config = config(&g);
    let expected = chiso_scorecard(&config, &g.dossiers);
    let dir = TempDir::new("csv");
    // The canonical CSV split into three files read as one table.
    let text = String::from_utf8(g.dossiers.clone()).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    let lines: Vec<&str> = body.lines().collect();
    std::fs::create_dir_all(dir.path("split")).unwrap();
    for (i, chunk) in lines.chunks(lines.len().div_ceil(3)).enumerate() {
        std::fs::write(dir.path(&format!("split/d{i}.csv")), format!("{header}\n{}\n", chunk.join("\n"))).unwrap();
    }
    let ctx = context(3, config.clone());
    register_dossier_csv(&ctx, "dossiers", &dir.path("split"), b',').await.unwrap();
    let sql = format!("SELECT {} FROM dossiers d", all_columns("d"));
    assert!(merges_partials(&ctx, &sql).await);
    assert!(one(&ctx, &sql).await == expected, "canonical CSV in three files");
    // A real export's shape: Vietnamese headers, `;`, a byte order mark, CRLF, day-first dates.
    let period: chiso::period::Period = "2026-10".parse().unwrap();
    let mut export_config = chiso_tools::generate::GeneratorConfig::new(6_000, period);
    export_config.seed = 7;
    export_config.shape = chiso_tools::generate::Shape::Export;
    let mut export = Vec::new();
    chiso_tools::generate::Generator::new(export_config).write_dossiers(&mut export).unwrap();
    assert!(export.starts_with("\u{feff}Mã".as_bytes()), "{:?}", String::from_utf8_lossy(&export[..40]));
    std::fs::write(dir.path("export.csv"), &export).unwrap();
    let ctx = context(1, config);
    register_dossier_csv(&ctx, "dossiers", &dir.path("export.csv"), b';').await.unwrap();
    assert!(one(&ctx, &sql).await == expected, "export CSV");
}

#[tokio::test]
async fn group_by_a_units_parent_gives_each_groups_own_scorecard() {
    let g = generate(8_000);
    let config = config(&g);
    let ctx = context(4, config.clone());
    let dir = TempDir::new("groups");
    write_parquet(&typed_batch(&text_batch(&g.dossiers)), &dir, 3, 1_000);
    ctx.register_parquet("dossiers", dir.0.to_str().unwrap(), ParquetReadOptions::default()).await.unwrap();
    register_text_csv(&ctx, "units", &g.units, b',').unwrap();
    let units = text_batch(&g.units);
    let (ids, parents) = (
        units.column_by_name("id").unwrap().as_string::<i32>(),
        units.column_by_name("parent").unwrap().as_string::<i32>(),
    );
    let parent: BTreeMap<&str, &str> =
        ids.iter().zip(parents.iter()).map(|(i, p)| (i.unwrap(), p.unwrap_or_default())).collect();
    let by_parent = format!(
        "SELECT u.parent, {} FROM dossiers d JOIN units u ON d.unit = u.id GROUP BY u.parent",
        all_columns("d")
    );
    let groups = check_groups(&ctx, &config, &g.dossiers, &by_parent, |unit| parent[unit].to_owned()).await;
    assert!(groups >= 2, "{groups} groups");
    let by_unit = format!("SELECT d.unit, {} FROM dossiers d GROUP BY d.unit", all_columns("d"));
    let groups = check_groups(&ctx, &config, &g.dossiers, &by_unit, str::to_owned).await;
    assert!(groups >= 20, "{groups} groups");
}

/// Checks that each row of `sql` (a group key, a scorecard) is chiso's scorecard of the records
/// whose unit `key` maps to that group, alone; returns the number of groups.
async fn check_groups(
    ctx: &SessionContext,
    config: &chiso_datafusion::Score766Config,
    dossiers: &[u8],
    sql: &str,
    key: impl Fn(&str) -> String,
) -> usize {
    let text = String::from_utf8(dossiers.to_vec()).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    let mut groups: BTreeMap<String, String> = BTreeMap::new();
    for line in body.lines() {
        // Generated dossier ids and units hold no comma or quote.
        let unit = line.split(',').nth(1).unwrap();
        groups.entry(key(unit)).or_insert_with(|| format!("{header}\n")).push_str(&format!("{line}\n"));
    }
    // A root unit's empty parent may read as NULL.
    let cards: BTreeMap<String, String> =
        query(ctx, sql).await.into_iter().map(|r| (r[0].clone().unwrap_or_default(), r[1].clone().unwrap())).collect();
    assert_eq!(cards.keys().collect::<Vec<_>>(), groups.keys().collect::<Vec<_>>());
    for (group, csv) in &groups {
        let expected = chiso_scorecard(config, csv.as_bytes());
        assert!(cards[group] == expected, "group {group}");
    }
    groups.len()
}
