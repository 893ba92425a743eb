//! Every word a domain type can show has a label in both languages in the catalogue.

use chiso::confidence::Confidence;
use chiso::evaluate::{Reason, Status};
use chiso::labels::{GroupLabel, Lang, MetricLabel};
use chiso::period::Period;
use chiso::rollup::Unrollable;
use chiso::score766::{PROFILE_NAMES, Profile};

fn both(text: chiso::labels::Text) {
    assert!(!text.vi.is_empty() && !text.en.is_empty(), "{text:?}");
}

#[test]
fn every_status_has_its_label() {
    for s in Status::ALL {
        assert_eq!(s.label().key(), s.as_str(), "{s:?}");
        both(s.label().text());
    }
}

#[test]
fn every_reason_has_its_label() {
    let p: Period = "2025".parse().unwrap();
    let all = [
        Reason::AllRejected,
        Reason::NoObservationIn(p),
        Reason::TooFewPoints(1),
        Reason::SameTime,
        Reason::Unrollable(Unrollable::Overflow),
        Reason::Unrollable(Unrollable::MixedKinds),
        Reason::Unrollable(Unrollable::NoPopulation),
        Reason::ZeroDenominator,
        Reason::NoPrevious(p),
        Reason::NoThreshold,
    ];
    assert_eq!(all.len(), chiso::labels::ReasonLabel::ALL.len());
    for r in all {
        both(r.label().text());
        for lang in Lang::ALL {
            let text = r.text(lang);
            assert!(!text.contains('{'), "{r:?}: {text}");
        }
    }
    assert_eq!(Reason::NoObservationIn(p).text(Lang::En), "no observation in 2025");
    assert_eq!(Reason::TooFewPoints(1).text(Lang::Vi).split(' ').nth(2), Some("1"));
}

#[test]
fn every_confidence_has_its_label() {
    for c in [Confidence::Census, Confidence::Significant, Confidence::Inconclusive] {
        assert_eq!(c.label().key(), c.as_str());
        both(c.label().text());
    }
}

#[test]
fn every_metric_and_group_of_the_built_in_profiles_has_its_label() {
    for name in PROFILE_NAMES {
        let profile = Profile::named(name).unwrap();
        for m in &profile.metrics {
            let label = MetricLabel::from_key(&m.code).unwrap_or_else(|| panic!("{name}: metric {}", m.code));
            both(label.text());
        }
        for g in &profile.groups {
            let label = GroupLabel::of(name, &g.code).unwrap_or_else(|| panic!("{name}: group {}", g.code));
            assert_eq!((label.text().vi, label.text().en), (g.name.as_str(), g.name_en.as_str()), "{name}");
        }
    }
}
