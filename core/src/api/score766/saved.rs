//! Saving a session as a partial and loading one back ([`crate::score766::partial`] is the
//! format).

use std::sync::Arc;

use super::{Error, Names766, Score766Session, State};
use crate::labels::ErrorText;
use crate::period::PeriodRange;
use crate::score766::partial::{self, Parts};
use crate::score766::{Profile, RecordContext, Scorer};

impl Score766Session {
    /// The session's partial: versioned, checksummed, self-contained (the profile, the period
    /// range, the options, the units and procedures and the rows they rejected, the counts files,
    /// and everything counted so far, the dossier ids included). The session is unchanged and
    /// may go on: the partial holds what [`Self::finish`] would count now (a last CSV line without
    /// its line end included). A session whose dossiers were read with the compact duplicate
    /// check ([`Self::read_dossiers_file`]) keeps no ids to save: [`ErrorCode::Misuse`](crate::ErrorCode::Misuse).
    pub fn save_partial(&self) -> Result<Vec<u8>, Error> {
        let what = ErrorText::SavingPartial.text().en;
        if let Some(e) = self.unusable(what) {
            return Err(e);
        }
        if self.dossiers_closed {
            return Err(Error::Misuse(ErrorText::PartialCompact.en(&[])));
        }
        let (mut scorer, context, context_rejected) = match &self.state {
            State::Scoring { scorer, context } => ((**scorer).clone(), Arc::clone(context), self.context_rejected),
            State::Loading { units, procedures } => {
                let (scorer, context, n, _) = self.build_scorer(units.clone(), procedures.clone());
                (*scorer, context, n)
            }
            State::Finished(_) | State::Failed(_) => {
                return Err(Error::Misuse(ErrorText::CannotNow.en(&[("action", &what)])));
            }
        };
        if let Some(rewriter) = &self.rewriter {
            let mut rewriter = rewriter.clone();
            let mut out = Vec::new();
            rewriter.push(b"", true, &mut out)?;
            scorer.push_csv(&out)?;
        }
        let mut rejected = scorer.rejections().to_vec();
        let rest = rejected.split_off(context_rejected.min(rejected.len()));
        let parts = Parts {
            profile: self.profile.name.clone(),
            period: self.period,
            strict: self.strict,
            check_duplicate_ids: !self.no_duplicate_check,
            names: [
                self.names.dossiers.clone(),
                self.names.units.clone(),
                self.names.procedures.clone(),
                self.names.feedback.clone(),
                self.names.counts.clone(),
            ],
            units: context.units().cloned(),
            procedures: context.procedures().cloned(),
            context_rejected: rejected,
            counts: self.counts.clone(),
            rejected: rest,
            aggregate: scorer.into_aggregate()?,
        };
        Ok(partial::encode(parts))
    }

    /// A session rebuilt from a partial made by [`Self::save_partial`] (in this process or any
    /// other, by any front end): its profile, period range, options, units, procedures, counts
    /// files and counts. `source` names the partial in errors. A partial that is not one, is cut
    /// short or damaged is [`ErrorCode::PartialCorrupt`](crate::ErrorCode::PartialCorrupt), one of
    /// another format version [`ErrorCode::PartialVersion`](crate::ErrorCode::PartialVersion).
    ///
    /// The session may take more records, counts files and merges, then finish; merging sessions
    /// of another profile, range or context is
    /// [`ErrorCode::PartialMismatch`](crate::ErrorCode::PartialMismatch).
    pub fn load_partial(bytes: &[u8], source: &str) -> Result<Self, Error> {
        let (header, parts) = partial::decode(bytes, source)?;
        let [dossiers, units, procedures, feedback, counts] = parts.names;
        let mut session = Self::new(Some(&header.profile), &header.period.to_string())?;
        session.profile = Profile::named(&parts.profile)?;
        session.strict = parts.strict;
        session.no_duplicate_check = !parts.check_duplicate_ids;
        session.names = Names766 { dossiers, units, procedures, feedback, counts };
        session.counts = parts.counts;
        session.loaded = true;
        session.context_rejected = parts.context_rejected.len();
        session.context_checksum = Some(header.context_checksum);
        let context = Arc::new(RecordContext::new(parts.units, parts.procedures));
        let mut scorer = Scorer::new(session.score_options(session.names.dossiers.clone()), Arc::clone(&context));
        scorer.add_rejections(parts.context_rejected);
        scorer.add_rejections(parts.rejected);
        scorer.add_aggregate(parts.aggregate);
        session.state = State::Scoring { scorer: Box::new(scorer), context };
        Ok(session)
    }

    /// Narrows the period range to `period` (a period or range of the same length, within the
    /// range: `2026-03` or `2026-03..2026-05` of `2026-01..2026-08`), before finishing: the
    /// records were counted by month, so the narrower scorecards are those a session of `period`
    /// alone gives. Counts files of periods outside `period` are dropped. Another length, or a
    /// period outside the range, is [`ErrorCode::InvalidArgument`](crate::ErrorCode::InvalidArgument).
    pub fn narrow_period(&mut self, period: &str) -> Result<(), Error> {
        if let Some(e) = self.unusable(ErrorText::Finishing.text().en) {
            return Err(e);
        }
        let narrower: PeriodRange = super::parse_range(period)?;
        if !narrower.iter().all(|p| self.period.iter().any(|q| q == p)) {
            let values: [(&str, &dyn std::fmt::Display); 2] = [("period", &narrower), ("range", &self.period)];
            return Err(Error::Argument(ErrorText::PartialNarrow.en(&values)));
        }
        self.period = narrower;
        self.counts.retain(|(slot, ..)| narrower.iter().any(|p| p == *slot));
        if let State::Scoring { scorer, .. } = &mut self.state {
            scorer.set_period(narrower.last());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::{Names766, Score766Builder, Score766Session};
    use crate::error::ErrorCode;
    use crate::score766::partial::{FORMAT_VERSION, MAGIC, PartialHeader};

    const UNITS: &[u8] =
        b"id,name,parent,level\nt,Town,,commune\nk1,K1,t,neighbourhood\nk2,K2,t,neighbourhood\nbad,B,nowhere,x\n";
    const PROCEDURES: &[u8] = b"procedure,name,paper_result,eligible_full,service_level,fee\np1,P1,true,true,full,true\np2,P2,false,false,partial,false\n";
    const HEADER: &str = "dossier_id,unit,procedure,received_at,due_at,finished_at,channel,e_result,fee,paid_online,citizen_data,synced\n";

    /// Row `i` of a file of dossiers: some late, some online, some rejected (an unknown unit, a
    /// bad date), over two months.
    fn row(i: u32, seed: u32) -> String {
        let v = i.wrapping_mul(2_654_435_761).wrapping_add(seed);
        let unit = ["k1", "k2", "t", "zz"][(v % 4) as usize];
        let procedure = ["p1", "p2"][(v / 4 % 2) as usize];
        let month = 7 + v / 8 % 2;
        let received =
            if v % 23 == 0 { "not-a-date".to_owned() } else { format!("2026-{month:02}-0{}", 1 + v / 16 % 5) };
        let finished = if v / 3 % 3 == 0 { String::new() } else { format!("2026-{month:02}-{}", 10 + v / 5 % 15) };
        let channel = ["online", "direct", "postal"][(v / 7 % 3) as usize];
        let b = |k: u32| if v >> k & 1 == 1 { "1" } else { "0" };
        format!(
            "d{i},{unit},{procedure},{received},2026-{month:02}-20,{finished},{channel},{},{},{},{},{}",
            b(3),
            b(4),
            b(5),
            b(6),
            b(7)
        )
    }

    fn session(period: &str) -> Score766Session {
        Score766Builder::new(period).units(Some(UNITS)).procedures(Some(PROCEDURES)).build().unwrap()
    }

    /// The file with only the rows `keep` says, the others blank (so rows keep their numbers).
    fn piece(rows: &[String], keep: impl Fn(usize) -> bool) -> String {
        let mut csv = HEADER.to_owned();
        for (i, r) in rows.iter().enumerate() {
            if keep(i) {
                csv += r;
            }
            csv.push('\n');
        }
        csv
    }

    fn one_pass(csv: &str, period: &str) -> Score766Session {
        let mut s = session(period);
        s.push_csv(csv.as_bytes()).unwrap();
        s
    }

    fn series_json(mut s: Score766Session) -> Vec<String> {
        s.finish_series().unwrap().scorecards.iter().map(crate::score766::Scorecard::to_json).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Records split k ways at random, each part saved, loaded and merged in any order (some
        /// merged sessions saved and loaded again) give the scorecards of one pass, byte for byte.
        #[test]
        fn split_save_load_merge_is_one_pass(
            n in 0u32..120,
            seed in any::<u32>(),
            k in 1usize..5,
            owner in proptest::collection::vec(0usize..5, 120),
            order in Just(()).prop_perturb(|(), mut rng| {
                let mut v: Vec<usize> = (0..5).collect();
                for i in (1..v.len()).rev() {
                    v.swap(i, rng.random_range(0..=i));
                }
                v
            }),
            resave in any::<bool>(),
        ) {
            let rows: Vec<String> = (0..n).map(|i| row(i, seed)).collect();
            let period = "2026-07..2026-08";
            let expected = series_json(one_pass(&piece(&rows, |_| true), period));
            let mut parts: Vec<Score766Session> = (0..k)
                .map(|part| {
                    let s = one_pass(&piece(&rows, |i| owner[i] % k == part), period);
                    Score766Session::load_partial(&s.save_partial().unwrap(), "part").unwrap()
                })
                .collect();
            let order: Vec<usize> = order.into_iter().filter(|i| *i < k).collect();
            let mut merged = parts.remove(0);
            let mut rest: Vec<Option<Score766Session>> = std::iter::once(None).chain(parts.into_iter().map(Some)).collect();
            for &i in &order {
                if let Some(mut other) = rest[i].take() {
                    merged.merge(&mut other).unwrap();
                    if resave {
                        merged = Score766Session::load_partial(&merged.save_partial().unwrap(), "merged").unwrap();
                    }
                }
            }
            prop_assert_eq!(series_json(merged), expected);
        }
    }

    #[test]
    fn a_single_period_narrowed_from_a_range_is_that_period_alone() {
        let rows: Vec<String> = (0..60).map(|i| row(i, 7)).collect();
        let csv = piece(&rows, |_| true);
        let expected = one_pass(&csv, "2026-08").finish().unwrap().to_json();
        let saved = one_pass(&csv, "2026-07..2026-08").save_partial().unwrap();
        let mut s = Score766Session::load_partial(&saved, "p").unwrap();
        s.narrow_period("2026-08").unwrap();
        assert_eq!(s.finish().unwrap().to_json(), expected);
        let mut s = Score766Session::load_partial(&saved, "p").unwrap();
        for bad in ["2026-09", "2026-Q3", "2026-06..2026-08"] {
            assert_eq!(s.narrow_period(bad).unwrap_err().code(), ErrorCode::InvalidArgument, "{bad}");
        }
    }

    #[test]
    fn every_damaged_byte_and_every_cut_is_refused() {
        let rows: Vec<String> = (0..12).map(|i| row(i, 3)).collect();
        let saved = one_pass(&piece(&rows, |_| true), "2026-07").save_partial().unwrap();
        assert!(saved.starts_with(&MAGIC));
        Score766Session::load_partial(&saved, "p").unwrap();
        for at in 0..saved.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = saved.clone();
                bad[at] ^= flip;
                let code = Score766Session::load_partial(&bad, "p").unwrap_err().code();
                let expected =
                    if (8..10).contains(&at) { ErrorCode::PartialVersion } else { ErrorCode::PartialCorrupt };
                assert_eq!(code, expected, "byte {at} ^ {flip:#x}");
            }
        }
        for len in 0..saved.len() {
            let e = Score766Session::load_partial(&saved[..len], "p.partial").unwrap_err();
            assert_eq!(e.code(), ErrorCode::PartialCorrupt, "cut at {len}: {e}");
        }
        let mut longer = saved.clone();
        longer.push(0);
        assert_eq!(Score766Session::load_partial(&longer, "p").unwrap_err().code(), ErrorCode::PartialCorrupt);
        let e = Score766Session::load_partial(b"dossier_id,unit\n", "d.csv").unwrap_err();
        assert_eq!(e.to_string(), "d.csv: not a chiso partial (the magic bytes are missing)");
        assert_eq!(
            e.message_in(crate::labels::Lang::Vi),
            "d.csv: đây không phải tệp kết quả từng phần của chiso (không có dấu nhận dạng đầu tệp)"
        );
    }

    #[test]
    fn another_version_profile_period_or_context_is_refused_with_its_code() {
        let csv = piece(&(0..10).map(|i| row(i, 1)).collect::<Vec<_>>(), |_| true);
        let saved = one_pass(&csv, "2026-07").save_partial().unwrap();
        let mut v2 = saved.clone();
        v2[8..10].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        let e = Score766Session::load_partial(&v2, "p").unwrap_err();
        assert_eq!(e.code(), ErrorCode::PartialVersion);
        assert_eq!(e.to_string(), "p: the partial is of format version 2; this chiso reads version 1");
        let header = PartialHeader::read(&saved, "p").unwrap();
        assert_eq!((header.profile.as_str(), header.period.to_string().as_str()), ("portal-2026", "2026-07"));
        // The header alone is enough to read it (what `chiso score766 merge` checks first).
        assert_eq!(PartialHeader::read(&saved[..header.header_len], "p").unwrap(), header);
        assert_eq!(header.total_len(), saved.len() as u64);
        let cut = PartialHeader::read(&saved[..header.header_len - 1], "p").unwrap_err();
        assert_eq!(cut.code(), ErrorCode::PartialCorrupt);
        let others = [
            Score766Builder::new("2026-07")
                .profile(Some("decision-2022"))
                .units(Some(UNITS))
                .procedures(Some(PROCEDURES))
                .build()
                .unwrap(),
            session("2026-08"),
            Score766Builder::new("2026-07").units(Some(UNITS)).build().unwrap(),
        ];
        for other in others {
            let other_bytes = other.save_partial().unwrap();
            let their = PartialHeader::read(&other_bytes, "o").unwrap();
            assert_eq!(header.check_merge(&their).unwrap_err().code(), ErrorCode::PartialMismatch);
            let mut mine = Score766Session::load_partial(&saved, "p").unwrap();
            let mut theirs = Score766Session::load_partial(&other_bytes, "o").unwrap();
            assert_eq!(mine.merge(&mut theirs).unwrap_err().code(), ErrorCode::PartialMismatch);
            // Refused before anything changed: both still usable.
            mine.finish().unwrap();
            theirs.finish().unwrap();
        }
        // Sessions in memory of other contexts are refused alike.
        let (mut a, mut b) = (session("2026-07"), Score766Session::new(None, "2026-07").unwrap());
        assert_eq!(a.merge(&mut b).unwrap_err().code(), ErrorCode::PartialMismatch);
    }

    #[test]
    fn the_context_rejections_are_listed_once_and_loaded_sessions_go_on() {
        let rows: Vec<String> = (0..30).map(|i| row(i, 9)).collect();
        let all = piece(&rows, |_| true);
        let mut whole = one_pass(&all, "2026-07");
        whole
            .load_counts(
                &br#"{ "period": "2026-07", "units": [ { "unit": "k1", "metrics": { "PUBLISH_ON_TIME": [3, 4] } } ] }"#
                    [..],
            )
            .unwrap();
        let expected = whole.finish().unwrap();
        assert_eq!(expected.rejected.iter().filter(|r| r.source == "units.csv").count(), 1);
        let mut first = one_pass(&piece(&rows, |i| i < 10), "2026-07");
        first
            .load_counts(
                &br#"{ "period": "2026-07", "units": [ { "unit": "k1", "metrics": { "PUBLISH_ON_TIME": [3, 4] } } ] }"#
                    [..],
            )
            .unwrap();
        let mut a = Score766Session::load_partial(&first.save_partial().unwrap(), "a").unwrap();
        let mut b = Score766Session::load_partial(&session("2026-07").save_partial().unwrap(), "b").unwrap();
        // A loaded session takes more records.
        b.push_csv(piece(&rows, |i| i >= 10).as_bytes()).unwrap();
        a.merge(&mut b).unwrap();
        assert_eq!(a.finish().unwrap().to_json(), expected.to_json());
    }

    #[test]
    fn duplicates_across_partials_are_warned_about_as_in_one_merge() {
        let named = |file: &str| {
            let names = Names766 { dossiers: file.to_owned(), ..Names766::default() };
            Score766Builder::new("2026-07").units(Some(UNITS)).names(names).build().unwrap()
        };
        let rows = |ids: &[&str]| {
            let mut csv = HEADER.to_owned();
            for id in ids {
                csv += &format!("{id},k1,p,2026-07-01,,,online,0,0,0,0,0\n");
            }
            csv
        };
        let build = || {
            let (mut a, mut b) = (named("a.csv"), named("b.csv"));
            a.push_csv(rows(&["d0", "x"]).as_bytes()).unwrap();
            b.push_csv(rows(&["y", "x", "y"]).as_bytes()).unwrap();
            (a, b)
        };
        let (mut a, mut b) = build();
        a.merge(&mut b).unwrap();
        let expected = a.finish().unwrap().to_json();
        assert!(expected.contains("already at row 3 of `a.csv`"), "{expected}");
        let (a, b) = build();
        let mut a = Score766Session::load_partial(&a.save_partial().unwrap(), "a").unwrap();
        let mut b = Score766Session::load_partial(&b.save_partial().unwrap(), "b").unwrap();
        a.merge(&mut b).unwrap();
        assert_eq!(a.finish().unwrap().to_json(), expected);
    }

    #[test]
    fn a_compactly_checked_file_cannot_be_saved_and_spent_sessions_neither() {
        let csv = piece(&(0..5).map(|i| row(i, 2)).collect::<Vec<_>>(), |_| true);
        let mut s = session("2026-07");
        s.read_dossiers_file(|| Ok(csv.as_bytes()), super::super::RecordFormat::Csv, 1, &mut |_| {}).unwrap();
        assert_eq!(s.save_partial().unwrap_err().code(), ErrorCode::Misuse);
        s.finish().unwrap();
        assert_eq!(s.save_partial().unwrap_err().code(), ErrorCode::ScorerFinished);
    }

    #[test]
    fn size_per_dossier_is_about_nine_bytes() {
        // Only accepted rows: the size of rejected rows is their text.
        let rows: Vec<String> =
            (0..20_000).map(|i| row(i, 5).replace(",zz,", ",k1,").replace("not-a-date", "2026-07-01")).collect();
        let session = one_pass(&piece(&rows, |_| true), "2026-07..2026-08");
        let bytes = session.save_partial().unwrap();
        // 20 000 dossiers: ids about 9 bytes each, the rest (counters, rejected rows) small.
        let per = bytes.len() / 20_000;
        assert!((9..=10).contains(&per), "{} bytes, {per} a dossier", bytes.len());
        // The aggregate's serde JSON (its `Wire` form) is several times larger.
        let super::State::Scoring { scorer, .. } = &session.state else { panic!("scoring") };
        let json = serde_json::to_vec(scorer.aggregate()).unwrap().len();
        assert!(json > 3 * bytes.len(), "JSON {json} bytes, partial {}", bytes.len());
    }
}
