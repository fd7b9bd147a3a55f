//! The resources created through actions the emulator models as data: each kept as the JSON
//! object its read lists, by service, kind and id.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

/// One resource: its region and the members its read lists.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    pub region: String,
    pub members: Map<String, Value>,
}

#[derive(Debug, Default)]
pub(crate) struct Records {
    /// By `(service, kind)`, then id in order.
    kinds: HashMap<(String, String), BTreeMap<String, Record>>,
    /// Ids handed out so far, by prefix.
    issued: HashMap<String, u64>,
}

impl Records {
    pub fn of(&self, service: &str, kind: &str) -> Option<&BTreeMap<String, Record>> {
        self.kinds.get(&(service.to_owned(), kind.to_owned()))
    }

    pub fn of_mut(&mut self, service: &str, kind: &str) -> &mut BTreeMap<String, Record> {
        self.kinds
            .entry((service.to_owned(), kind.to_owned()))
            .or_default()
    }

    /// A new id: `prefix` and 8 digits counting the ids of that prefix, so a run that makes
    /// the same calls gets the same ids.
    pub fn new_id(&mut self, prefix: &str) -> String {
        let issued = self.issued.entry(prefix.to_owned()).or_default();
        *issued += 1;
        format!("{prefix}{:08}", *issued % 100_000_000)
    }

    /// Every resource kept: its `(service, kind)`, id and record.
    pub fn all(&self) -> impl Iterator<Item = ((&str, &str), &str, &Record)> {
        let mut kinds: Vec<_> = self.kinds.iter().collect();
        kinds.sort_by(|a, b| a.0.cmp(b.0));
        kinds.into_iter().flat_map(|((service, kind), records)| {
            records
                .iter()
                .map(move |(id, record)| ((service.as_str(), kind.as_str()), id.as_str(), record))
        })
    }

    /// Ids handed out so far, by prefix.
    pub fn issued(&self) -> &HashMap<String, u64> {
        &self.issued
    }

    /// Goes on handing out ids after `issued`.
    pub fn set_issued(&mut self, issued: HashMap<String, u64>) {
        self.issued = issued;
    }

    /// How many resources are kept, over every kind.
    pub fn count(&self) -> usize {
        self.kinds.values().map(BTreeMap::len).sum()
    }
}
