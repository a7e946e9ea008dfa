//! The suite's tally: each check's outcome and each tier's wall time, the readers of what the test
//! runners report (nextest's JUnit report, the browser tests' reporter lines, libtest summaries,
//! the fault rows' lines), and the closing report.

use std::time::{Duration, Instant};

use crate::shell::run;

/// The suite's tiers in the order they run, each timed for the closing report.
pub const TIERS: [&str; 17] = [
    "tools",
    "fmt",
    "clippy native",
    "clippy wasm32",
    "supply chain",
    "real bytes",
    "devnet node build",
    "devnet unit tests",
    "shared devnet start",
    "cargo test",
    "bittensor SDK",
    "app build",
    "devnet start",
    "static site",
    "wasm platform tests",
    "fault matrix",
    "browser tests",
];

/// Tally of everything the suite ran, and how long each tier took.
#[derive(Default)]
pub struct Tally {
    passed: usize,
    pub failed: usize,
    failures: Vec<String>,
    times: Vec<(&'static str, Duration)>,
    pub skipped: Vec<&'static str>,
    /// The fault matrix's rows as its runners reported them (README "Reliability").
    pub fault_rows: Vec<FaultRow>,
}

impl Tally {
    /// Runs one tier (a name from `TIERS`) and records its wall time.
    pub fn timed<T>(&mut self, tier: &'static str, work: impl FnOnce(&mut Self) -> T) -> T {
        debug_assert!(TIERS.contains(&tier), "{tier} is not in TIERS");
        let started = Instant::now();
        let result = work(self);
        self.times.push((tier, started.elapsed()));
        result
    }

    /// The closing lines: the fault matrix (when it ran), one line per tier with its wall time
    /// (or why it did not run), the failures, and the count line, always last.
    pub fn report(&self) -> Vec<String> {
        let width = TIERS.iter().map(|tier| tier.len()).max().unwrap_or(0);
        let mut lines = fault_matrix_lines(&self.fault_rows);
        lines.extend(TIERS.iter().map(|tier| {
            let time = match self.times.iter().find(|(name, _)| name == tier) {
                Some((_, time)) => format!("{:>5.0} s", time.as_secs_f64()),
                None if self.skipped.contains(tier) => "skipped".to_string(),
                None => "not run".to_string(),
            };
            format!("tier  {tier:<width$}  {time}")
        }));
        let total: Duration = self.times.iter().map(|(_, time)| *time).sum();
        lines.push(format!("tier  {:<width$}  {:>5.0} s", "total", total.as_secs_f64()));
        lines.extend(self.failures.iter().map(|failure| format!("FAILED: {failure}")));
        lines.push(format!("summary: {} passed, {} failed", self.passed, self.failed));
        lines
    }

    /// Runs `command` as tier `tier`, one check named `name`.
    pub fn command_tier(&mut self, tier: &'static str, name: &str, command: &mut std::process::Command) {
        self.timed(tier, |tally| tally.check(name, run(tier, command)));
    }

    pub fn check(&mut self, name: &str, result: Result<(), String>) {
        match result {
            Ok(()) => self.passed += 1,
            Err(error) => {
                self.failed += 1;
                self.failures.push(format!("{name}: {error}"));
            }
        }
    }

    /// Adds a runner's outcomes per test, each failure by name; a runner that failed with no
    /// failing test (it crashed, or ran none) is a failure of its own.
    pub fn add_outcomes(&mut self, runner: &str, success: bool, outcomes: &[(String, bool)]) {
        for (name, passed) in outcomes {
            self.check(name, if *passed { Ok(()) } else { Err("failed".into()) });
        }
        if !success && outcomes.iter().all(|(_, passed)| *passed) {
            self.check(runner, Err("exited with a failure and no failing test".into()));
        }
        if outcomes.is_empty() && success {
            self.check(runner, Err("ran no test".into()));
        }
    }

    /// Adds the counts in the libtest summary lines ("test result: … N passed; M failed") a test
    /// runner printed, and the runner's failure if it failed with no failing test counted.
    pub fn add_libtest_summary(&mut self, name: &str, success: bool, lines: &[String]) {
        let (passed, failed) = libtest_counts(lines);
        self.passed += passed;
        self.failed += failed;
        if !success && failed == 0 {
            self.failed += 1;
        }
        if !success {
            self.failures.push(format!("{name} failed"));
        }
    }

    /// Adds each fault row a runner reported as a check of its own (and the runner's failure if it
    /// failed with every row it reported passing), and returns the rows.
    pub fn add_fault_rows(&mut self, runner: &str, success: bool, output: &[String]) -> Vec<FaultRow> {
        let rows = parse_fault_rows(output);
        let outcomes: Vec<(String, bool)> = rows
            .iter()
            .map(|row| (format!("fault row {}: {}", row.number, row.name), row.passed))
            .collect();
        self.add_outcomes(runner, success, &outcomes);
        rows
    }

    /// A failure for each fault row no runner reported.
    pub fn check_every_fault_row_reported(&mut self, rows: &[FaultRow]) {
        for number in 1..=FAULT_ROWS {
            if !rows.iter().any(|row| row.number == number) {
                self.check(&format!("fault row {number}"), Err("not reported by any runner".into()));
            }
        }
    }
}

/// The browser tests' outcomes, `(name, passed)`, from `tests/e2e/reporter.mjs`'s JSON lines
/// (skipped tests left out).
pub fn browser_test_outcomes(written: &str) -> Result<Vec<(String, bool)>, String> {
    let mut outcomes = Vec::new();
    for line in written.lines().filter(|line| !line.trim().is_empty()) {
        let result: serde_json::Value = serde_json::from_str(line)
            .map_err(|error| format!("the browser tests' reporter wrote {line:?}: {error}"))?;
        let (Some(name), Some(passed)) = (result["name"].as_str(), result["passed"].as_bool()) else {
            return Err(format!(
                "the browser tests' reporter wrote {line:?}, without a name and outcome"
            ));
        };
        if result["skipped"] != true {
            outcomes.push((name.to_string(), passed));
        }
    }
    Ok(outcomes)
}

/// Sums the "N passed; M failed" of libtest's "test result: …" lines (wasm-bindgen-test-runner's
/// output, which has no machine-readable form).
fn libtest_counts(lines: &[String]) -> (usize, usize) {
    let mut totals = (0, 0);
    for line in lines {
        let Some((_, summary)) = line
            .trim()
            .strip_prefix("test result: ")
            .and_then(|rest| rest.split_once(". "))
        else {
            continue;
        };
        let mut parts = summary.split(';').map(str::trim);
        let number = |part: Option<&str>, word: &str| {
            part.and_then(|p| p.strip_suffix(word))
                .and_then(|n| n.trim().parse::<usize>().ok())
        };
        if let (Some(passed), Some(failed)) = (number(parts.next(), "passed"), number(parts.next(), "failed")) {
            totals.0 += passed;
            totals.1 += failed;
        }
    }
    totals
}

/// Each test's `(binary and name, passed)` in a JUnit report (skipped tests left out); a test
/// with a `failure` or an `error` failed.
pub fn junit_outcomes(xml: &str) -> Result<Vec<(String, bool)>, String> {
    let document = roxmltree::Document::parse(xml).map_err(|error| format!("nextest's JUnit report: {error}"))?;
    let mut outcomes = Vec::new();
    for case in document.descendants().filter(|node| node.has_tag_name("testcase")) {
        let binary = case
            .parent_element()
            .and_then(|suite| suite.attribute("name"))
            .unwrap_or_default();
        let name = case
            .attribute("name")
            .ok_or("nextest's JUnit report has a testcase without a name")?;
        let has = |tag: &str| case.children().any(|child| child.has_tag_name(tag));
        if !has("skipped") {
            outcomes.push((format!("{binary} {name}"), !(has("failure") || has("error"))));
        }
    }
    Ok(outcomes)
}

/// The fault matrix's rows, numbered from 1 (README "Reliability").
const FAULT_ROWS: u8 = 15;

/// One row of the fault matrix as a runner reported it.
#[derive(Debug, PartialEq)]
pub struct FaultRow {
    pub number: u8,
    pub passed: bool,
    pub name: String,
    pub figure: String,
}

/// The rows in runner output: `row N | pass | name | figure` and `row N | FAIL | name | error`
/// (anywhere in a line: a sequential test harness prints a test's output after its name), and
/// for a native row that panicked, its bare name in the harness's closing `failures:` list.
fn parse_fault_rows(lines: &[String]) -> Vec<FaultRow> {
    let mut rows: Vec<FaultRow> = Vec::new();
    for line in lines {
        let line = line.trim();
        let reported = line.match_indices("row ").find_map(|(at, _)| {
            let parts: Vec<&str> = line[at + 4..].splitn(4, " | ").collect();
            match parts[..] {
                [number, outcome @ ("pass" | "FAIL"), name, figure] => Some(FaultRow {
                    number: number.parse().ok()?,
                    passed: outcome == "pass",
                    name: name.to_string(),
                    figure: figure.to_string(),
                }),
                _ => None,
            }
        });
        let panicked = || {
            let name = line.strip_prefix("row_").filter(|name| !name.contains(' '))?;
            let (number, name) = name.split_once('_')?;
            Some(FaultRow {
                number: number.parse().ok()?,
                passed: false,
                name: name.replace('_', " "),
                figure: "panicked: see its output above".to_string(),
            })
        };
        if let Some(row) = reported.or_else(panicked)
            && !rows.contains(&row)
        {
            rows.push(row);
        }
    }
    rows.sort_by_key(|row| row.number);
    rows
}

/// The matrix for the report: one line per row, numbered 1 to 15, with its outcome and figure
/// (a row no runner reported is named, so a missing row shows).
pub fn fault_matrix_lines(rows: &[FaultRow]) -> Vec<String> {
    if rows.is_empty() {
        return Vec::new();
    }
    (1..=FAULT_ROWS)
        .flat_map(|number| {
            let reported: Vec<String> = rows
                .iter()
                .filter(|row| row.number == number)
                .map(|row| {
                    let outcome = if row.passed { "pass" } else { "FAIL" };
                    format!("fault {number:>2}  {outcome}  {} · {}", row.name, row.figure)
                })
                .collect();
            if !reported.is_empty() {
                return reported;
            }
            vec![format!("fault {number:>2}  ----  not reported by any runner")]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_outcomes_are_read_from_the_reporter_and_failures_named() {
        let written = concat!(
            "{\"name\":\"a\",\"passed\":true,\"skipped\":false}\n",
            "{\"name\":\"b\",\"passed\":false,\"skipped\":false}\n",
            "{\"name\":\"c\",\"passed\":true,\"skipped\":true}\n",
        );
        let outcomes = browser_test_outcomes(written).unwrap();
        assert_eq!(outcomes, [("a".to_string(), true), ("b".to_string(), false)]);
        let mut tally = Tally::default();
        tally.add_outcomes("browser tests", false, &outcomes);
        assert_eq!((tally.passed, tally.failed), (1, 1));
        assert_eq!(tally.failures, ["b: failed"]);
        let mut crashed = Tally::default();
        crashed.add_outcomes("browser tests", false, &outcomes[..1]);
        assert_eq!(
            crashed.failures,
            ["browser tests: exited with a failure and no failing test"]
        );
        let mut empty = Tally::default();
        empty.add_outcomes("browser tests", true, &[]);
        assert_eq!(empty.failures, ["browser tests: ran no test"]);
        assert!(browser_test_outcomes("not json").unwrap_err().contains("not json"));
    }

    #[test]
    fn counts_libtest_summary_lines_only() {
        let lines: Vec<String> = [
            "test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s",
            "test result: FAILED. 3 passed; 2 failed; 0 ignored",
            "e2e: 5 passed, 1 failed",
            "a line about 4 passed things",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(libtest_counts(&lines), (15, 2));
    }

    /// The shape of cargo-nextest 0.9's JUnit report: one testsuite per binary.
    #[test]
    fn junit_reports_give_each_test_by_binary_and_name() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="nextest-run" tests="4" failures="1" errors="1">
    <testsuite name="xtask" tests="2" failures="1" errors="0">
        <testcase name="suite::tests::passes" classname="xtask" time="0.001"></testcase>
        <testcase name="suite::tests::fails" classname="xtask" time="0.002">
            <failure type="test failure">assertion failed</failure>
            <system-out>output</system-out>
        </testcase>
    </testsuite>
    <testsuite name="taoscope-integration-tests::queries" tests="2" failures="0" errors="1">
        <testcase name="subnets" classname="taoscope-integration-tests::queries"><error type="test abort">SIGSEGV</error></testcase>
        <testcase name="ignored_one" classname="taoscope-integration-tests::queries"><skipped/></testcase>
    </testsuite>
</testsuites>"#;
        assert_eq!(
            junit_outcomes(xml).unwrap(),
            [
                ("xtask suite::tests::passes".to_string(), true),
                ("xtask suite::tests::fails".to_string(), false),
                ("taoscope-integration-tests::queries subnets".to_string(), false),
            ]
        );
        assert!(junit_outcomes("<testsuites>").unwrap_err().contains("JUnit report"));
    }

    #[test]
    fn fault_rows_are_read_from_both_runners_and_every_row_gets_a_line() {
        let lines: Vec<String> = [
            "row 9 | pass | trusted RPC nodes | Stalls refused in 30.1 s",
            "noise",
            "row 1 | FAIL | no peer at start | a page without a peer showed data",
            "test row_14_burst ... row 14 | pass | a burst | 1000 answered",
            "failures:",
            "    row_02_reports_no_peers_then_recovers",
            "    row_02_reports_no_peers_then_recovers",
            "---- row_02_reports_no_peers_then_recovers stdout ----",
            "row x | pass | not a number | -",
            "row 3 | maybe | not an outcome | -",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let rows = parse_fault_rows(&lines);
        let numbers: Vec<(u8, bool)> = rows.iter().map(|row| (row.number, row.passed)).collect();
        assert_eq!(numbers, [(1, false), (2, false), (9, true), (14, true)]);
        assert_eq!(rows[1].name, "reports no peers then recovers");
        let matrix = fault_matrix_lines(&rows);
        assert_eq!(matrix.len(), 15, "{matrix:#?}");
        assert_eq!(
            matrix[0],
            "fault  1  FAIL  no peer at start · a page without a peer showed data"
        );
        assert_eq!(
            matrix[8],
            "fault  9  pass  trusted RPC nodes · Stalls refused in 30.1 s"
        );
        assert_eq!(matrix[7], "fault  8  ----  not reported by any runner");
        assert_eq!(matrix[13], "fault 14  pass  a burst · 1000 answered");
        assert_eq!(matrix[14], "fault 15  ----  not reported by any runner");
        assert!(
            fault_matrix_lines(&[]).is_empty(),
            "no matrix when the tier did not run"
        );
        let mut tally = Tally::default();
        assert_eq!(tally.add_fault_rows("native rows", false, &lines), rows);
        assert_eq!((tally.passed, tally.failed), (2, 2));
        assert_eq!(
            tally.failures,
            [
                "fault row 1: no peer at start: failed",
                "fault row 2: reports no peers then recovers: failed"
            ]
        );
        tally.check_every_fault_row_reported(&rows);
        assert_eq!(tally.failed, 2 + 11, "rows 3–8, 10–13 and 15 were not reported");
        assert_eq!(
            tally.failures.last().unwrap(),
            "fault row 15: not reported by any runner"
        );
    }

    #[test]
    fn the_report_times_every_tier_and_ends_with_the_count_line() {
        let mut tally = Tally::default();
        tally.timed("fmt", |tally| tally.check("cargo fmt", Ok(())));
        tally.times.push(("cargo test", Duration::from_secs(312)));
        tally.check("clippy (native)", Err("exit status: 101".into()));
        tally.skipped.push("browser tests");
        let report = tally.report();
        let width = TIERS.iter().map(|tier| tier.len()).max().unwrap();
        assert_eq!(report.len(), TIERS.len() + 3, "{report:#?}");
        for (line, tier) in report.iter().zip(TIERS) {
            assert!(line.starts_with(&format!("tier  {tier:<width$}  ")), "{line}");
        }
        assert!(
            report.contains(&format!("tier  {:<width$}    312 s", "cargo test")),
            "{report:#?}"
        );
        assert!(
            report.contains(&format!("tier  {:<width$}  not run", "app build")),
            "{report:#?}"
        );
        assert!(
            report.contains(&format!("tier  {:<width$}  skipped", "browser tests")),
            "{report:#?}"
        );
        assert!(report[TIERS.len()].starts_with("tier  total"), "{report:#?}");
        assert_eq!(report[report.len() - 2], "FAILED: clippy (native): exit status: 101");
        assert_eq!(report.last().unwrap(), "summary: 1 passed, 1 failed");
    }
}
