//! Problems found in spec files, reported all at once.

use std::fmt;

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Spec file relative to the specs directory, `/`-separated (`gaap/2018-05-29.json`).
    pub file: String,
    /// Where in the file: a JSON path (`$.objects.DestroyProxiesRequest.members[2].maxLength`), or
    /// `line L, column C` for syntax errors, or `-` when the whole file is concerned.
    pub location: String,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.location, self.message)
    }
}

/// Every problem found in a set of spec files, sorted by file and location.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    problems: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a problem.
    pub fn push(
        &mut self,
        file: impl Into<String>,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.problems.push(Diagnostic {
            file: file.into(),
            location: location.into(),
            message: message.into(),
        });
    }

    /// Takes over the problems of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.problems.extend(other.problems);
    }

    /// Whether no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problems, sorted and without repetitions.
    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }

    /// Sorts the problems so output is stable whatever order the checks ran in.
    pub fn finish(mut self) -> Self {
        self.problems.sort();
        self.problems.dedup();
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
