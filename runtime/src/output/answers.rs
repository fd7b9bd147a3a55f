//! What reading many documented answers by their output types found: how many were read,
//! which members were left unread and why, which answers could not be read at all, and how
//! many values each tolerance rule read. Generated crates' example tests fill one; the whole
//! catalog's figures add them up from [`AnswerReport::summary`] lines.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::DeserializeOwned;

use super::{Rule, UnreadMember, read_tolerantly};

/// The findings over a set of answers.
#[derive(Debug, Default)]
pub struct AnswerReport {
    read: usize,
    with_unread: Vec<(String, Vec<UnreadMember>)>,
    lost: Vec<(String, String)>,
    rules: BTreeMap<Rule, u64>,
    not_json: usize,
    no_action: Vec<String>,
}

impl AnswerReport {
    /// Reads `answer` (a `Response` object's JSON) as `O`, recording what happened under `place`.
    pub fn read<O: DeserializeOwned>(&mut self, place: &str, answer: &[u8]) {
        match read_tolerantly::<O>(answer) {
            Ok(decoded) => {
                self.read += 1;
                for (rule, count) in decoded.rules {
                    *self.rules.entry(rule).or_default() += count;
                }
                if !decoded.unread.is_empty() {
                    self.with_unread.push((place.to_owned(), decoded.unread));
                }
            }
            Err(unreadable) => self.lost.push((place.to_owned(), unreadable.reason)),
        }
    }

    /// Records example outputs that are no JSON answer at all.
    pub fn not_json(&mut self, count: usize) {
        self.not_json += count;
    }

    /// Records an answer documented for an action the crate does not have.
    pub fn no_action(&mut self, place: String) {
        self.no_action.push(place);
    }

    /// The answers that could not be read at all, each with why: a success a user would lose.
    pub fn lost(&self) -> &[(String, String)] {
        &self.lost
    }

    /// Answers documented for actions the crate does not have.
    pub fn without_action(&self) -> &[String] {
        &self.no_action
    }

    /// One line of figures: `answers N read M lost L unread U in A; not-json J; rule <name> N ...`.
    pub fn summary(&self) -> String {
        let unread: usize = self
            .with_unread
            .iter()
            .map(|(_, members)| members.len())
            .sum();
        let mut line = format!(
            "answers {} read {} lost {} unread {unread} in {}; not-json {}",
            self.read + self.lost.len(),
            self.read,
            self.lost.len(),
            self.with_unread.len(),
            self.not_json,
        );
        for (rule, count) in &self.rules {
            line.push_str(&format!("; rule {rule:?} {count}"));
        }
        line
    }
}

impl fmt::Display for AnswerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary())?;
        for rule in Rule::ALL {
            if let Some(count) = self.rules.get(&rule) {
                writeln!(f, "  read by rule, {}: {count}", rule.describe())?;
            }
        }
        for (place, members) in &self.with_unread {
            for member in members {
                writeln!(f, "  unread in {place}: {member}")?;
            }
        }
        for (place, reason) in &self.lost {
            writeln!(f, "  NOT READ {place}: {reason}")?;
        }
        for place in &self.no_action {
            writeln!(f, "  no such action: {place}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Output {
        #[serde(default)]
        _total: Option<u64>,
        #[serde(default)]
        _name: Option<String>,
    }

    #[test]
    fn the_report_counts_answers_read_members_left_unread_rules_and_answers_lost() {
        let mut report = AnswerReport::default();
        report.read::<Output>("A (en): plain", br#"{"Total": 1}"#);
        report.read::<Output>("A (zh): drifted", br#"{"Total": "2", "Name": {"x": 1}}"#);
        report.read::<Output>("A (zh): broken", br#""text""#);
        report.not_json(2);
        assert_eq!(report.lost().len(), 1);
        assert_eq!(
            report.summary(),
            "answers 3 read 2 lost 1 unread 1 in 1; not-json 2; rule NumberFromString 1"
        );
        let text = report.to_string();
        assert!(
            text.contains("unread in A (zh): drifted: Name: expected a string, found an object"),
            "{text}"
        );
        assert!(
            text.contains("NOT READ A (zh): broken: the Response object"),
            "{text}"
        );
    }
}
