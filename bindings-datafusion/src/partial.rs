//! TEMPORARY SHIM, to be replaced by `Score766Session::save_partial` / `load_partial` (branch
//! `partial`) as soon as they land: until then the "partial" an accumulator sends is the CSV text
//! of the records it counted, and loading it counts them again into a session of the same
//! configuration. The scorecards are the same; the state is as large as the records instead of
//! the compact aggregate.

use chiso::api::Score766Session;

use crate::Score766Config;

/// The records an accumulator counted, as the CSV text it pushed.
#[derive(Debug, Default)]
pub struct Shim {
    csv: Vec<u8>,
}

impl Shim {
    /// Notes CSV text the accumulator pushed.
    pub fn counted(&mut self, csv: &[u8]) {
        self.csv.extend_from_slice(csv);
    }

    /// Bytes held.
    pub const fn size(&self) -> usize {
        self.csv.capacity()
    }
}

/// The partial of `session`.
pub fn save(_session: &Score766Session, shim: &Shim) -> Result<Vec<u8>, chiso::Error> {
    Ok(shim.csv.clone())
}

/// A session from a partial made by [`save`].
pub fn load(bytes: &[u8], config: &Score766Config) -> Result<Score766Session, chiso::Error> {
    let mut session = config.session()?;
    session.push_csv(bytes)?;
    Ok(session)
}
