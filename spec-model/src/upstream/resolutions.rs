//! What the conversion from upstream changed or filled in, by rule, so one summary can say how
//! often each rule applied and where first.

use std::collections::BTreeMap;
use std::fmt;

/// How many places to name per rule in the summary.
const SHOWN: usize = 3;

/// Every rule applied, with where it applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolutions {
    applied: BTreeMap<&'static str, (usize, Vec<String>)>,
}

impl Resolutions {
    /// Records that `rule` applied at `place` (`cvm v20170312: DescribeInstances`).
    pub fn record(&mut self, rule: &'static str, place: impl Into<String>) {
        let (count, places) = self.applied.entry(rule).or_default();
        *count += 1;
        if places.len() < SHOWN {
            places.push(place.into());
        }
    }

    pub fn extend(&mut self, other: Resolutions) {
        for (rule, (count, places)) in other.applied {
            let (total, shown) = self.applied.entry(rule).or_default();
            *total += count;
            shown.extend(places.into_iter().take(SHOWN - shown.len().min(SHOWN)));
        }
    }

    /// How often `rule` applied.
    pub fn count(&self, rule: &str) -> usize {
        self.applied.get(rule).map_or(0, |(count, _)| *count)
    }

    pub fn is_empty(&self) -> bool {
        self.applied.is_empty()
    }
}

/// One line per rule: its count, the rule, and the first places it applied.
impl fmt::Display for Resolutions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (rule, (count, places)) in &self.applied {
            let more = if *count > places.len() { ", ..." } else { "" };
            writeln!(f, "{count:>7}  {rule} (e.g. {}{more})", places.join("; "))?;
        }
        Ok(())
    }
}
