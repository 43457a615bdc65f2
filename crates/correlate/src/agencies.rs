//! Agencies by dense handle (`u16`), with their countries, and analysts' marks.

use std::collections::HashMap;
use warroom_domain::{AgencyId, CountryCode, EntityId};

#[derive(Clone, Debug, Default)]
pub(crate) struct Agencies {
    pub list: Vec<(AgencyId, Option<CountryCode>)>,
    pub by_id: HashMap<AgencyId, u16>,
}

impl Agencies {
    pub(crate) fn handle(&self, id: &AgencyId) -> Option<u16> {
        self.by_id.get(id).copied()
    }

    pub(crate) fn id(&self, h: u16) -> Option<AgencyId> {
        self.list.get(usize::from(h)).map(|a| a.0)
    }

    pub(crate) fn country(&self, h: u16) -> Option<CountryCode> {
        self.list.get(usize::from(h)).and_then(|a| a.1)
    }

    /// The handle of `id`, added if new; `None` past 65,535 agencies.
    pub(crate) fn intern(&mut self, id: AgencyId) -> Option<u16> {
        if let Some(h) = self.handle(&id) {
            return Some(h);
        }
        let h = u16::try_from(self.list.len()).ok()?;
        self.list.push((id, None));
        self.by_id.insert(id, h);
        Some(h)
    }
}

/// An analyst's verdict on an identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Confirmed,
    FalsePositive,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mark {
    pub agency: AgencyId,
    pub verdict: Verdict,
}

pub(crate) type Marks = HashMap<EntityId, Vec<Mark>>;
