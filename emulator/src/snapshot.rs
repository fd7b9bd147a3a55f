//! The emulator's state written out and read back: resources seeded or created, the ids handed
//! out, changes of state under way and their timing, listing sizes. Remembered idempotency
//! tokens, faults and the request log are not part of it. A snapshot restored into a fresh
//! emulator answers the same reads with the same answers, and goes on handing out the same ids.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::records::{Pending, Record, Records};
use crate::resources::{Instance, InstanceState, Transition};
use crate::state::{SeedError, World};
use crate::transitions::Transitions;

/// The state of an emulator at one moment, as JSON (`GET /_emulator/snapshot`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Snapshot {
    pub instances: Vec<Instance>,
    /// Instances on their way to another state, and how long they still take.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub under_way: Vec<UnderWay>,
    /// Resources modelled as data.
    pub records: Vec<SavedRecord>,
    /// Ids handed out so far, by prefix (`ins-` for launched instances among them).
    pub issued: HashMap<String, u64>,
    pub transitions: Transitions,
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub listing_sizes: HashMap<String, usize>,
}

/// An instance's change of state under way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnderWay {
    pub instance_id: String,
    pub to: InstanceState,
    pub in_ms: u64,
}

/// One resource modelled as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SavedRecord {
    pub service: String,
    pub kind: String,
    pub id: String,
    pub region: String,
    pub members: Map<String, Value>,
    /// A change under way: the members it sets, and in how many milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub then: Option<SavedChange>,
}

/// Members a change under way sets when it is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SavedChange {
    pub members: Map<String, Value>,
    pub in_ms: u64,
}

fn millis_left(at: Instant, now: Instant) -> u64 {
    u64::try_from(at.saturating_duration_since(now).as_millis()).unwrap_or(u64::MAX)
}

/// Sorted by id, so the same state always writes the same snapshot.
fn sorted<T: Clone>(items: impl Iterator<Item = (String, T)>) -> Vec<T> {
    let mut items: Vec<(String, T)> = items.collect();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    items.into_iter().map(|(_, item)| item).collect()
}

impl World {
    /// The state as of `now`.
    pub fn snapshot(&self, now: Instant) -> Snapshot {
        let under_way = sorted(self.instances.values().filter_map(|instance| {
            let transition = instance.transition?;
            Some((
                instance.instance_id.clone(),
                UnderWay {
                    instance_id: instance.instance_id.clone(),
                    to: transition.to,
                    in_ms: millis_left(transition.at, now),
                },
            ))
        }));
        Snapshot {
            instances: sorted(self.instances.iter().map(|(k, v)| (k.clone(), v.clone()))),
            under_way,
            records: self
                .records
                .all()
                .map(|((service, kind), id, record)| SavedRecord {
                    service: service.to_owned(),
                    kind: kind.to_owned(),
                    id: id.to_owned(),
                    region: record.region.clone(),
                    members: record.members.clone(),
                    then: record.pending.as_ref().map(|pending| SavedChange {
                        members: pending.members.clone(),
                        in_ms: millis_left(pending.at, now),
                    }),
                })
                .collect(),
            issued: self.records.issued().clone(),
            transitions: self.transitions,
            listing_sizes: self.listing_sizes.clone(),
        }
    }

    /// Replaces the state with `snapshot`'s, its changes under way resumed from `now`; the
    /// world is left as it was when a resource of the snapshot cannot be held.
    pub fn restore(&mut self, snapshot: Snapshot, now: Instant) -> Result<(), SeedError> {
        let mut world = World::default();
        for instance in snapshot.instances {
            world.seed_instance(instance)?;
        }
        for under_way in snapshot.under_way {
            if let Some(instance) = world.instances.get_mut(&under_way.instance_id) {
                instance.transition = Some(Transition {
                    to: under_way.to,
                    at: now + Duration::from_millis(under_way.in_ms),
                });
                world.under_way.insert(under_way.instance_id.clone());
            }
        }
        let mut records = Records::default();
        for saved in snapshot.records {
            let mut record = Record::new(&saved.region, saved.members);
            record.pending = saved.then.map(|change| Pending {
                at: now + Duration::from_millis(change.in_ms),
                members: change.members,
            });
            records.restore((saved.service, saved.kind, saved.id), record);
        }
        records.set_issued(snapshot.issued);
        world.records = records;
        world.transitions = snapshot.transitions;
        world.listing_sizes = snapshot.listing_sizes;
        *self = world;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restored_snapshot_holds_the_same_state_and_resumes_changes_under_way() {
        let start = Instant::now();
        let mut world = World::default();
        world
            .seed_instance(Instance::new("ins-00000001").state(InstanceState::Stopped))
            .unwrap();
        world.seed_instance(Instance::new("ins-00000002")).unwrap();
        world.begin(
            "ins-00000002",
            "RunInstances",
            (InstanceState::Pending, InstanceState::Running),
            Duration::from_millis(500),
            start,
        );
        let id = world.records.new_id("vpc-");
        world.records.of_mut("vpc", "Vpc").insert(
            id.clone(),
            Record::new(
                "ap-guangzhou",
                Map::from_iter([("VpcName".into(), Value::from("app"))]),
            ),
        );
        world.records.begin(
            ("vpc".into(), "Vpc".into(), id.clone()),
            start + Duration::from_millis(700),
            Map::from_iter([("VpcName".into(), Value::from("renamed"))]),
        );
        let snapshot = world.snapshot(start + Duration::from_millis(200));
        assert_eq!(snapshot.under_way[0].in_ms, 300);
        let text = serde_json::to_string(&snapshot).unwrap();

        let mut restored = World::default();
        let later = start + Duration::from_secs(60);
        restored
            .restore(serde_json::from_str(&text).unwrap(), later)
            .unwrap();
        // The same snapshot, as written: every resource, every change under way.
        let written = |snapshot: Snapshot| serde_json::to_value(snapshot).unwrap();
        assert_eq!(
            written(restored.snapshot(later)),
            written(world.snapshot(start + Duration::from_millis(200)))
        );
        assert_eq!(restored.records.new_id("vpc-"), "vpc-00000002", "ids go on");
        restored.settle(Some(later + Duration::from_millis(300)));
        assert_eq!(
            restored.instances["ins-00000002"].instance_state,
            InstanceState::Running
        );
        let vpc_name =
            |world: &World| world.records.of("vpc", "Vpc").unwrap()[&id].members["VpcName"].clone();
        assert_eq!(
            vpc_name(&restored),
            "app",
            "the record's change is not due yet"
        );
        restored.settle(Some(later + Duration::from_millis(500)));
        assert_eq!(vpc_name(&restored), "renamed");
    }

    #[test]
    fn a_snapshot_with_a_malformed_id_is_refused_and_the_world_kept() {
        let mut world = World::default();
        world.seed_instance(Instance::new("ins-00000001")).unwrap();
        let broken = Snapshot {
            instances: vec![Instance::new("not-an-id")],
            ..Snapshot::default()
        };
        assert!(world.restore(broken, Instant::now()).is_err());
        assert!(world.instances.contains_key("ins-00000001"));
    }
}
