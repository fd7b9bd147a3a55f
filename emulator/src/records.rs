//! The resources created through actions the emulator models as data: each kept as the JSON
//! object its read lists, by service, kind and id.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use serde_json::{Map, Value};

/// One resource: its region and the members its read lists.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    pub region: String,
    pub members: Map<String, Value>,
    /// Members a change under way sets when it is due.
    pub pending: Option<Pending>,
}

impl Record {
    pub fn new(region: &str, members: Map<String, Value>) -> Self {
        Record {
            region: region.to_owned(),
            members,
            pending: None,
        }
    }
}

/// A change of state taking its time: `members` are set at `at`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pending {
    pub at: Instant,
    pub members: Map<String, Value>,
}

/// Where a record is kept: service, kind and id.
type Place = (String, String, String);

#[derive(Debug, Default)]
pub(crate) struct Records {
    /// By `(service, kind)`, then id in order.
    kinds: HashMap<(String, String), BTreeMap<String, Record>>,
    /// Ids handed out so far, by prefix (by kind, for numbered ids).
    issued: HashMap<String, u64>,
    /// The records with a change under way: the only ones settling looks at.
    under_way: BTreeSet<Place>,
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

    /// A new number id of `kind` of `service`: 1, then 2…
    pub fn new_number(&mut self, service: &str, kind: &str) -> u64 {
        let issued = self.issued.entry(format!("{service}:{kind}")).or_default();
        *issued += 1;
        *issued
    }

    /// Sets `members` on the record at `place` once `at` comes.
    pub fn begin(&mut self, (service, kind, id): Place, at: Instant, members: Map<String, Value>) {
        if members.is_empty() {
            return;
        }
        if let Some(record) = self
            .kinds
            .get_mut(&(service.clone(), kind.clone()))
            .and_then(|records| records.get_mut(&id))
        {
            record.pending = Some(Pending { at, members });
            self.under_way.insert((service, kind, id));
        }
    }

    /// When the next change under way is due.
    pub fn next_due(&self) -> Option<Instant> {
        self.under_way
            .iter()
            .filter_map(|(service, kind, id)| {
                let records = self.kinds.get(&(service.clone(), kind.clone()))?;
                Some(records.get(id)?.pending.as_ref()?.at)
            })
            .min()
    }

    /// Finishes every change due at `now` (every change, with `None`); returns how many.
    pub fn settle(&mut self, now: Option<Instant>) -> usize {
        let mut settled = 0;
        let kinds = &mut self.kinds;
        self.under_way.retain(|(service, kind, id)| {
            let Some(record) = kinds
                .get_mut(&(service.clone(), kind.clone()))
                .and_then(|records| records.get_mut(id))
            else {
                return false;
            };
            let Some(pending) = record
                .pending
                .take_if(|p| now.is_none_or(|now| p.at <= now))
            else {
                return record.pending.is_some();
            };
            record.members.extend(pending.members);
            settled += 1;
            false
        });
        settled
    }

    /// Ids handed out so far, by prefix.
    pub fn issued(&self) -> &HashMap<String, u64> {
        &self.issued
    }

    /// Goes on handing out ids after `issued`.
    pub fn set_issued(&mut self, issued: HashMap<String, u64>) {
        self.issued = issued;
    }

    /// Keeps `record` at `place`, following the change it has under way.
    pub fn restore(&mut self, (service, kind, id): Place, record: Record) {
        if record.pending.is_some() {
            self.under_way
                .insert((service.clone(), kind.clone(), id.clone()));
        }
        self.of_mut(&service, &kind).insert(id, record);
    }

    /// How many resources are kept, over every kind.
    pub fn count(&self) -> usize {
        self.kinds.values().map(BTreeMap::len).sum()
    }
}
