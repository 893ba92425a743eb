//! Reading the responses: JSON parsed whole (a response is at most a few hundred kilobytes), then
//! walked with its path, so that every error names the file and the place
//! (`transparency/month.json: at `data.evaluation[3].metrics[2].numerator`: …`).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use super::{Endpoint, MetricValue, Note, PortalImport, PortalUnit, Published, PublishedKind};
use crate::exact::{Decimal, Hundredths};
use crate::input::InputError;
use crate::labels::ErrorText;
use crate::period::Period;
use crate::score766::Ratio;

/// One saved response: its endpoint folder name, the name shown in messages, its bytes.
#[derive(Debug, Clone, Copy)]
pub struct PortalFile<'a> {
    /// The endpoint's folder name (`transparency`, …).
    pub endpoint: &'a str,
    /// The file's name in messages (`transparency/month.json`); the endpoint's name when `None`.
    pub name: Option<&'a str>,
    /// The response.
    pub bytes: &'a [u8],
}

impl<'a> From<(&'a str, &'a [u8])> for PortalFile<'a> {
    fn from((endpoint, bytes): (&'a str, &'a [u8])) -> Self {
        Self { endpoint, name: None, bytes }
    }
}

/// The chiso metrics each endpoint gives (portal-2026), to tell whether a group is recomputable.
pub(super) const fn group_metrics(endpoint: Endpoint) -> &'static [&'static str] {
    match endpoint {
        Endpoint::Transparency => &["PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "PUBLIC_CONTENT_FULL", "DOSSIER_SYNC"],
        Endpoint::Progress => &["ON_TIME"],
        Endpoint::ProvideOnline => &["ONLINE_PROCEDURES", "ONLINE_SERVICES_USED", "ONLINE_DOSSIERS"],
        Endpoint::Digitized => &[
            "E_RESULT",
            "DIGITIZED",
            "REUSED_DATA",
            "SHARED_STORAGE",
            "CITIZEN_DATA_DOSSIERS",
            "CITIZEN_DATA_PROCEDURES",
            "E_CERTIFIED_COPY",
        ],
        Endpoint::Payment => &["PAID_ONLINE", "PROCEDURES_PAID_ONLINE", "PROCEDURES_PAYMENT_INTEGRATED"],
        Endpoint::Satisfaction => &["FEEDBACK_ON_TIME", "FEEDBACK_SATISFIED", "DOSSIER_SATISFIED"],
    }
}

/// The chiso code of a code of a `metrics[]` list; `None` for one that is reported, not scored.
fn chiso_code(portal: &str) -> Option<&'static str> {
    Some(match portal {
        "PUBLISH_ON_TIME" => "PUBLISH_ON_TIME",
        "PUBLIC_UPDATE_ON_TIME" => "PUBLIC_UPDATE_ON_TIME",
        "PUBLIC_CONTENT_FULL" => "PUBLIC_CONTENT_FULL",
        "DOSSIER_SYNC" => "DOSSIER_SYNC",
        "ORIGINAL_RESULT_AVAILABLE" => "E_RESULT",
        "SO_HOA_GIAY_TO_GIAI_QUYET" => "DIGITIZED",
        "REUSED_DIGITIZED_DATA" => "REUSED_DATA",
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE" => "SHARED_STORAGE",
        "CITIZEN_DATA_CONNECTED_DOSSIER" => "CITIZEN_DATA_DOSSIERS",
        "CITIZEN_DATA_CONNECTED_FORMALITY" => "CITIZEN_DATA_PROCEDURES",
        "ELECTRONIC_CERTIFIED_COPY" => "E_CERTIFIED_COPY",
        "PETITION_PROCESSING_ON_TIME" => "FEEDBACK_ON_TIME",
        "PETITION_HANDLING_SATISFACTION" => "FEEDBACK_SATISFIED",
        "DOSSIER_RECEIVING_SATISFACTION" => "DOSSIER_SATISFIED",
        _ => return None,
    })
}

/// The counts of the tree endpoints: chiso code, numerator fields (summed), denominator field.
type TreeField = (&'static str, &'static [&'static str], &'static str);

const fn tree_fields(endpoint: Endpoint) -> &'static [TreeField] {
    match endpoint {
        Endpoint::Progress => &[("ON_TIME", &["totalOnTime"], "totalReceived")],
        Endpoint::ProvideOnline => &[
            ("ONLINE_PROCEDURES", &["partialCount", "fullCount"], "authorityCount"),
            ("ONLINE_SERVICES_USED", &["onlineDossierCount"], "onlineServiceTotal"),
            ("ONLINE_DOSSIERS", &["channelOnlineSum"], "channelTotalSum"),
        ],
        Endpoint::Payment => &[
            ("PAID_ONLINE", &["totalDossierOnlinePaymentSuccess"], "totalDossierFinancialObligation"),
            ("PROCEDURES_PAID_ONLINE", &["totalDossierOnlineFormalityPaymentSuccess"], "totalFeeFormality"),
            ("PROCEDURES_PAYMENT_INTEGRATED", &["totalFeeDossierFormality"], "totalFeeFormality"),
        ],
        Endpoint::Transparency | Endpoint::Digitized | Endpoint::Satisfaction => &[],
    }
}

/// Where an error is: the file's name; paths are built as the walk goes.
struct Reader<'a> {
    file: &'a str,
    endpoint: Endpoint,
}

/// A short text of a JSON value for a message.
fn shown(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text,
    }
}

impl Reader<'_> {
    fn error(&self, path: &str, reason: String) -> InputError {
        InputError::Invalid {
            file: self.file.to_owned(),
            reason: ErrorText::PortalAt.en(&[("path", &path), ("reason", &reason)]),
        }
    }

    fn object<'v>(&self, v: Option<&'v Value>, path: &str) -> Result<&'v Map<String, Value>, InputError> {
        match v {
            Some(Value::Object(m)) => Ok(m),
            Some(other) => Err(self.error(path, ErrorText::PortalNotObject.en(&[("value", &shown(other))]))),
            None => Err(self.error(path, ErrorText::PortalMissing.en(&[]))),
        }
    }

    fn list<'v>(&self, v: Option<&'v Value>, path: &str) -> Result<&'v [Value], InputError> {
        match v {
            Some(Value::Array(a)) => Ok(a),
            Some(other) => Err(self.error(path, ErrorText::PortalNotList.en(&[("value", &shown(other))]))),
            None => Err(self.error(path, ErrorText::PortalMissing.en(&[]))),
        }
    }

    /// A text, absent or null as `None`.
    fn text(&self, m: &Map<String, Value>, key: &str, path: &str) -> Result<Option<String>, InputError> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => {
                Err(self.error(&format!("{path}.{key}"), ErrorText::PortalNotText.en(&[("value", &shown(other))])))
            }
        }
    }

    /// A count, absent or null as `None`.
    fn count(&self, m: &Map<String, Value>, key: &str, path: &str) -> Result<Option<u64>, InputError> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                self.error(&format!("{path}.{key}"), ErrorText::PortalNotCount.en(&[("value", &shown(v))]))
            }),
        }
    }

    /// A published score, read exactly as hundredths: `None` when absent, `Some(None)` when null.
    fn score(&self, m: &Map<String, Value>, key: &str, path: &str) -> Result<Option<Option<Hundredths>>, InputError> {
        match m.get(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::Number(n)) => {
                let exact = n.to_string().parse::<Decimal>().ok().and_then(Decimal::to_hundredths).map(Hundredths);
                exact
                    .map(|h| Some(Some(h)))
                    .ok_or_else(|| self.error(&format!("{path}.{key}"), ErrorText::PortalNotScore.en(&[("value", &n)])))
            }
            Some(other) => {
                Err(self.error(&format!("{path}.{key}"), ErrorText::PortalNotScore.en(&[("value", &shown(other))])))
            }
        }
    }
}

/// What one response says about one unit.
struct UnitRead {
    unit: PortalUnit,
    /// The scored metrics a `metrics[]` list names, when the unit has one.
    listed: Option<Vec<String>>,
    published: Vec<Published>,
    notes: Vec<Note>,
}

/// chiso's level of a unit from the portal's type and level.
fn level_of(is_root: bool, kind: Option<&str>, level: Option<&str>) -> Option<String> {
    let level = match (kind, level) {
        (Some("PROVINCE"), _) => "province",
        (Some("COMMUNE_PEOPLE_COMMITTEE"), _) | (_, Some("COMMUNE")) => "commune",
        (Some("PROVINCIAL_DEPARTMENT"), _) => "agency",
        (_, Some("PROVINCE")) if is_root => "province",
        (_, Some("PROVINCE")) => "agency",
        (_, Some(other)) => return Some(other.to_ascii_lowercase()),
        (_, None) if is_root => "province",
        (_, None) => return None,
    };
    Some(level.to_owned())
}

impl Reader<'_> {
    fn unit(&self, v: &Value, path: &str, parent: Option<&str>) -> Result<UnitRead, InputError> {
        let m = self.object(Some(v), path)?;
        let id = self.text(m, "departmentId", path)?.filter(|s| !s.trim().is_empty());
        let id = id.ok_or_else(|| self.error(&format!("{path}.departmentId"), ErrorText::PortalMissing.en(&[])))?;
        let kind = self.text(m, "departmentType", path)?;
        let portal_level = match self.text(m, "departmentLevel", path)? {
            Some(l) => Some(l),
            None => self.text(m, "level", path)?,
        };
        let unit = PortalUnit {
            unit: id,
            name: self.text(m, "departmentName", path)?,
            code: self.text(m, "departmentCode", path)?,
            parent: parent.map(str::to_owned),
            level: level_of(parent.is_none(), kind.as_deref(), portal_level.as_deref()),
            portal_level,
            metrics: BTreeMap::new(),
        };
        let mut read = UnitRead { unit, listed: None, published: Vec::new(), notes: Vec::new() };
        if m.contains_key("metrics") {
            self.metric_list(m, path, &mut read)?;
        }
        self.tree_counts(m, path, &mut read)?;
        self.group_score(m, path, &mut read)?;
        Ok(read)
    }

    /// `metrics[]`: counts, published scores and notes.
    fn metric_list(&self, m: &Map<String, Value>, path: &str, read: &mut UnitRead) -> Result<(), InputError> {
        let list_path = format!("{path}.metrics");
        let mut listed = Vec::new();
        for (j, item) in self.list(m.get("metrics"), &list_path)?.iter().enumerate() {
            let at = format!("{list_path}[{j}]");
            let metric = self.object(Some(item), &at)?;
            let code = self.text(metric, "code", &at)?;
            let code = code.ok_or_else(|| self.error(&format!("{at}.code"), ErrorText::PortalMissing.en(&[])))?;
            if self.count(metric, "maxScore", &at)? == Some(0) {
                continue;
            }
            let Some(chiso) = chiso_code(&code) else {
                // A scored metric chiso does not know: its score is published, not recomputable.
                if let Some(score) = self.score(metric, "score", &at)? {
                    read.published.push(Published {
                        unit: read.unit.unit.clone(),
                        endpoint: self.endpoint,
                        path: format!("{at}.score"),
                        kind: PublishedKind::Metric,
                        code,
                        value: score,
                        recomputable: false,
                        parts: Vec::new(),
                    });
                }
                continue;
            };
            listed.push(chiso.to_owned());
            let value = match (self.count(metric, "numerator", &at)?, self.count(metric, "denominator", &at)?) {
                (Some(n), Some(d)) => Some(MetricValue::Counts(Ratio::new(n, d))),
                (None, None) if chiso == "E_CERTIFIED_COPY" => Some(MetricValue::Full),
                _ => None,
            };
            if let Some(value) = value {
                read.unit.metrics.insert(chiso.to_owned(), value);
            }
            if let Some(score) = self.score(metric, "score", &at)? {
                read.published.push(Published {
                    unit: read.unit.unit.clone(),
                    endpoint: self.endpoint,
                    path: format!("{at}.score"),
                    kind: PublishedKind::Metric,
                    code: chiso.to_owned(),
                    value: score,
                    recomputable: value.is_some(),
                    parts: Vec::new(),
                });
            }
            if let Some(status) = self.text(metric, "dataQualityStatus", &at)? {
                read.notes.push(Note {
                    unit: read.unit.unit.clone(),
                    endpoint: self.endpoint,
                    metric: chiso.to_owned(),
                    status,
                    message: self.text(metric, "dataQualityMessage", &at)?,
                });
            }
        }
        read.listed = Some(listed);
        Ok(())
    }

    /// The named counts of the tree endpoints; a metric whose fields are absent is left out.
    fn tree_counts(&self, m: &Map<String, Value>, path: &str, read: &mut UnitRead) -> Result<(), InputError> {
        'metrics: for (code, numerators, denominator) in tree_fields(self.endpoint) {
            let mut n = 0u64;
            for field in *numerators {
                let Some(v) = self.count(m, field, path)? else { continue 'metrics };
                n = n.checked_add(v).ok_or_else(|| {
                    self.error(&format!("{path}.{field}"), ErrorText::PortalNotCount.en(&[("value", &v)]))
                })?;
            }
            let Some(d) = self.count(m, denominator, path)? else { continue };
            read.unit.metrics.insert((*code).to_owned(), MetricValue::Counts(Ratio::new(n, d)));
        }
        Ok(())
    }

    /// The group's published score (`totalScore`, or `score` in a tree's child) and, at the root,
    /// the mean of the units below it (`averageScore`).
    fn group_score(&self, m: &Map<String, Value>, path: &str, read: &mut UnitRead) -> Result<(), InputError> {
        let group = self.endpoint.group();
        // A one-procedure view lists fewer metrics (no procedure-count metric) and publishes the
        // group out of their maxima: the group is the sum of the metrics listed.
        let parts: Vec<String> = match &read.listed {
            Some(listed) => listed.clone(),
            None => group_metrics(self.endpoint).iter().map(|c| (*c).to_owned()).collect(),
        };
        let recomputable = !parts.is_empty() && parts.iter().all(|c| read.unit.metrics.contains_key(c));
        for key in ["totalScore", "score"] {
            if let Some(value) = self.score(m, key, path)? {
                read.published.push(Published {
                    unit: read.unit.unit.clone(),
                    endpoint: self.endpoint,
                    path: format!("{path}.{key}"),
                    kind: PublishedKind::Group,
                    code: group.to_owned(),
                    value,
                    recomputable,
                    parts: parts.clone(),
                });
                break;
            }
        }
        if read.unit.parent.is_none() {
            if let Some(Some(value)) = self.score(m, "averageScore", path)? {
                read.published.push(Published {
                    unit: read.unit.unit.clone(),
                    endpoint: self.endpoint,
                    path: format!("{path}.averageScore"),
                    kind: PublishedKind::Average,
                    code: group.to_owned(),
                    value: Some(value),
                    recomputable: true,
                    parts: Vec::new(),
                });
            }
        }
        Ok(())
    }

    /// Every unit of one response, the root first.
    fn response(&self, bytes: &[u8]) -> Result<Vec<UnitRead>, InputError> {
        let reader = crate::input::json_reader(bytes, self.file)?;
        let root: Value = serde_json::from_reader(reader).map_err(|e| InputError::json(self.file, &e))?;
        let top = self.object(Some(&root), "$")?;
        if let Some(code) = top.get("code") {
            if code.as_str() != Some("OK") {
                return Err(self.error("code", ErrorText::PortalNotOk.en(&[("code", &shown(code))])));
            }
        }
        let data = self.object(top.get("data"), "data")?;
        let (root_key, list_key) = if data.contains_key("parent") && data.contains_key("children") {
            ("parent", "children")
        } else if data.contains_key("overview") && data.contains_key("evaluation") {
            ("overview", "evaluation")
        } else {
            return Err(self.error("data", ErrorText::PortalShape.en(&[])));
        };
        let root_path = format!("data.{root_key}");
        let first = self.unit(data.get(root_key).unwrap_or(&Value::Null), &root_path, None)?;
        let root_id = first.unit.unit.clone();
        let mut seen = HashSet::from([root_id.clone()]);
        let mut out = vec![first];
        let list_path = format!("data.{list_key}");
        for (i, child) in self.list(data.get(list_key), &list_path)?.iter().enumerate() {
            let at = format!("{list_path}[{i}]");
            let read = self.unit(child, &at, Some(&root_id))?;
            if !seen.insert(read.unit.unit.clone()) {
                let id = read.unit.unit.clone();
                return Err(self.error(&format!("{at}.departmentId"), ErrorText::PortalUnitTwice.en(&[("unit", &id)])));
            }
            out.push(read);
        }
        Ok(out)
    }
}

/// Reads the responses given as (endpoint folder name, bytes) and returns the counts of every unit
/// for `period`, every published value and the portal's notes. An unknown or repeated endpoint, or
/// a response that is not the portal's evaluation, is an error naming the file and the JSON path.
pub fn import<'a>(files: impl IntoIterator<Item = PortalFile<'a>>, period: Period) -> Result<PortalImport, InputError> {
    let mut by_endpoint: BTreeMap<Endpoint, Vec<UnitRead>> = BTreeMap::new();
    for file in files {
        let name = file.name.unwrap_or(file.endpoint);
        let Some(endpoint) = Endpoint::from_folder(file.endpoint.trim()) else {
            let expected = Endpoint::ALL.map(Endpoint::folder).join(", ");
            let reason = ErrorText::PortalUnknownEndpoint.en(&[("endpoint", &file.endpoint), ("expected", &expected)]);
            return Err(InputError::Invalid { file: name.to_owned(), reason });
        };
        if by_endpoint.contains_key(&endpoint) {
            let reason = ErrorText::PortalEndpointTwice.en(&[("endpoint", &endpoint)]);
            return Err(InputError::Invalid { file: name.to_owned(), reason });
        }
        let units = Reader { file: name, endpoint }.response(file.bytes)?;
        by_endpoint.insert(endpoint, units);
    }
    if by_endpoint.is_empty() {
        return Err(InputError::Invalid { file: "-".to_owned(), reason: ErrorText::PortalNoFiles.en(&[]) });
    }
    Ok(join(by_endpoint, period))
}

/// Joins the units of every response by `departmentId`: names, codes and levels from the first
/// response that gives them, metrics from all.
fn join(by_endpoint: BTreeMap<Endpoint, Vec<UnitRead>>, period: Period) -> PortalImport {
    let endpoints: Vec<Endpoint> = by_endpoint.keys().copied().collect();
    let mut units: Vec<PortalUnit> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let (mut published, mut notes) = (Vec::new(), Vec::new());
    for reads in by_endpoint.into_values() {
        for read in reads {
            published.extend(read.published);
            notes.extend(read.notes);
            let new = read.unit;
            match index.get(&new.unit).and_then(|&i| units.get_mut(i)) {
                Some(old) => {
                    old.name = old.name.take().or(new.name);
                    old.code = old.code.take().or(new.code);
                    old.parent = old.parent.take().or(new.parent);
                    old.level = old.level.take().or(new.level);
                    old.portal_level = old.portal_level.take().or(new.portal_level);
                    old.metrics.extend(new.metrics);
                }
                None => {
                    index.insert(new.unit.clone(), units.len());
                    units.push(new);
                }
            }
        }
    }
    PortalImport { period, endpoints, units, published, notes }
}
