//! The count of a hostile-input or fault family (telltale-core's `hostile`, `api_faults` and
//! `keychain_faults` suites, telltale-auth's `faults`): each family prints
//! "<family>: N cases, N passed" and fails listing every case that did not behave.

/// A family's cases and the failures among them.
pub struct Tally {
    family: String,
    cases: usize,
    failures: Vec<String>,
}

impl Tally {
    pub fn new(family: impl Into<String>) -> Tally {
        Tally {
            family: family.into(),
            cases: 0,
            failures: Vec::new(),
        }
    }

    /// Records one case by its verdict: `ok` is whether it behaved, `what` describes it for
    /// a failure.
    pub fn record(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.cases += 1;
        if !ok {
            self.failures.push(what());
        }
    }

    /// Records one case by the problems found in its outcome (none: it passed); `what`
    /// names the case.
    pub fn record_problems(&mut self, what: &str, problems: Vec<String>) {
        self.cases += 1;
        if !problems.is_empty() {
            self.failures
                .push(format!("- {what}\n    {}", problems.join("\n    ")));
        }
    }

    /// Records one case stated as what is `attempt`ed and what `must` happen, by the
    /// problems found in its outcome (none: it passed).
    pub fn record_case(&mut self, attempt: &str, must: &str, problems: Vec<String>) {
        self.record_problems(&format!("{attempt}\n  must: {must}"), problems);
    }

    /// Adds another family's cases and failures to this one, as a total.
    pub fn absorb(&mut self, other: Tally) {
        self.cases += other.cases;
        self.failures.extend(other.failures);
    }

    /// Reports "<family>: N cases, N passed" (see [`report`]).
    pub fn print(&self) {
        report(&format!(
            "{}: {} cases, {} passed",
            self.family,
            self.cases,
            self.cases - self.failures.len()
        ));
    }

    /// Prints the summary line and fails if any case did not pass.
    pub fn finish(self) {
        self.print();
        assert!(
            self.failures.is_empty(),
            "{}: {} of {} cases failed:\n{}",
            self.family,
            self.failures.len(),
            self.cases,
            self.failures.join("\n")
        );
    }
}

/// Prints `line` to stdout (captured by the test harness, shown with `--nocapture`) and
/// straight to the process's stderr, which the harness does not capture, so CI's log shows
/// it too.
pub fn report(line: &str) {
    use std::io::Write;
    println!("{line}");
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
