//! Agency and group names for display, as the node lists them to the user.

use std::collections::HashMap;
use warroom_domain::{AgencyId, GroupId};
use warroom_node::{Actor, Node, Result};

#[derive(Debug, Default)]
pub struct Names {
    pub agencies: HashMap<AgencyId, String>,
    pub countries: HashMap<AgencyId, String>,
    pub groups: HashMap<GroupId, String>,
}

impl Names {
    pub fn load(node: &Node, actor: &Actor) -> Result<Self> {
        let mut n = Names::default();
        for a in node.agencies(actor)? {
            n.countries.insert(a.id, a.country.to_string());
            n.agencies.insert(a.id, a.name);
        }
        for g in node.groups(actor)? {
            n.groups.insert(g.id, g.name);
        }
        Ok(n)
    }

    pub fn agency(&self, id: AgencyId) -> String {
        self.agencies
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.0.to_string())
    }

    pub fn country(&self, id: AgencyId) -> String {
        self.countries.get(&id).cloned().unwrap_or_default()
    }

    pub fn group(&self, id: GroupId) -> String {
        self.groups
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.0.to_string())
    }
}
