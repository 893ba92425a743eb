//! The national portal's captured responses (Phú Thọ, month 8/2026): imported and checked.

use std::path::{Path, PathBuf};

use chiso::api::{PortalFile, portal_check, portal_import};
use chiso::portal::{Endpoint, MetricValue, Outcome};

fn dir(view: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/portal/phu-tho-2026-08").join(view)
}

/// Every `<endpoint>/month.json` of a view, as (endpoint, bytes).
fn files(view: &str) -> Vec<(String, Vec<u8>)> {
    Endpoint::ALL
        .iter()
        .filter_map(|e| {
            let path = dir(view).join(e.folder()).join("month.json");
            std::fs::read(path).ok().map(|b| (e.folder().to_owned(), b))
        })
        .collect()
}

fn as_files(files: &[(String, Vec<u8>)]) -> Vec<PortalFile<'_>> {
    files.iter().map(|(e, b)| PortalFile::from((e.as_str(), b.as_slice()))).collect()
}

#[test]
fn every_recomputable_value_of_the_month_is_reproduced() {
    for (view, endpoints) in [("all", 6), ("procedure-2.000815", 5)] {
        let files = files(view);
        assert_eq!(files.len(), endpoints, "{view}");
        let report = portal_check(as_files(&files), "2026-08", None).unwrap();
        let bad: Vec<_> = report.items.iter().filter(|i| i.outcome == Outcome::Disagreement).collect();
        assert!(bad.is_empty(), "{view}: {bad:#?}");
        println!("{view}: {}", report.summary(chiso::labels::Lang::En));
        assert_eq!(report.disagreements, 0);
        assert!(report.reproduced > 1000, "{view}");
        assert_eq!(report.total, report.reproduced + report.not_recomputable);
        // The communes' and departments' online-services scores are published alone.
        let not: Vec<_> = report.items.iter().filter(|i| i.outcome == Outcome::NotRecomputable).collect();
        assert!(not.iter().all(|i| i.published.endpoint == Endpoint::ProvideOnline), "{view}: {not:#?}");
        assert_eq!(report.not_recomputable, 163, "{view}");
    }
}

#[test]
fn the_import_keeps_every_unit_and_its_place() {
    let files = files("all");
    let import = portal_import(as_files(&files), "2026-08").unwrap();
    assert_eq!(import.units.len(), 164);
    let root = &import.units[0];
    assert_eq!(root.name.as_deref(), Some("UBND tỉnh Phú Thọ"));
    assert_eq!(root.code.as_deref(), Some("H44"));
    assert_eq!(root.level.as_deref(), Some("province"));
    assert!(root.parent.is_none());
    assert_eq!(root.metrics["ON_TIME"], MetricValue::Counts(chiso::score766::Ratio::new(144_625, 184_513)));
    assert_eq!(root.metrics["ONLINE_PROCEDURES"], MetricValue::Counts(chiso::score766::Ratio::new(52, 56)));
    assert_eq!(root.metrics["E_CERTIFIED_COPY"], MetricValue::Full);
    assert_eq!(root.metrics.len(), 21);
    let office = import.units.iter().find(|u| u.code.as_deref() == Some("H44.01")).unwrap();
    assert_eq!(office.level.as_deref(), Some("agency"));
    assert_eq!(office.parent.as_deref(), Some(root.unit.as_str()));
    // Below the root, the online-services group has no counts.
    assert_eq!(office.metrics.len(), 18);
    let communes = import.units.iter().filter(|u| u.level.as_deref() == Some("commune")).count();
    assert_eq!(communes, 148);
    let json = import.counts_json();
    assert!(json.contains("\"E_CERTIFIED_COPY\": \"full\""), "{}", &json[..2000]);
    assert!(json.contains("\"code\": \"H44.01\""));
}
