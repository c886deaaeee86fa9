//! Property tests of the Riot reader (`telltale_data::riot`) on valid and hostile answers.
//! Each family prints "<family>: N cases, N passed":
//! - valid generated `Msg`s, in any order, with repeated times and second sources, decode to
//!   exactly the expected samples (the first of a repeated time kept), and feeding the same
//!   messages one by one to `decode_msg_into` gives the same dataset;
//! - one hostile message among a device's good ones (truncated, a wrong wire type, a huge
//!   length prefix, deep nesting, invalid UTF-8 in `serial_number`, a wrong serial, a session
//!   source, a time beyond any date, bad base64) is one clear problem naming the device and
//!   the message, while the device's other messages and the other device's data stay intact;
//! - benign oddities (unknown fields anywhere, messages without data, raw nested unknown
//!   bytes) change nothing but the skip counts;
//! - arbitrary bytes as a body and as one message never panic.
//!
//! Small case counts; the long runs are `scripts/fuzz.sh riot_decode`.
//!
//! One file per family (`round_trip`, `hostile`, `benign`, `arbitrary_bytes`); `generate` writes
//! the messages and `expect` says what they must decode to.

mod arbitrary_bytes;
mod benign;
mod expect;
mod generate;
mod hostile;
mod round_trip;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use telltale_test_support::Tally;

pub const VICTIM: &str = "AA-BT-0417";
pub const BYSTANDER: &str = "AA-BT-0731";

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Runs `test` on `cases` inputs of `strategy`, tallying each case as family `family`.
pub fn family<S: Strategy>(
    family: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let tally = std::cell::RefCell::new(Tally::new(family));
    let outcome = runner(cases).run(&strategy, |input| {
        let shown = format!("{input:?}");
        let result = test(input);
        tally.borrow_mut().record(result.is_ok(), || {
            format!("{shown:.300}: {:?}", result.as_ref().err())
        });
        result
    });
    let tally = tally.into_inner();
    if let Err(error) = outcome {
        tally.print();
        panic!("{family}: {error}");
    }
    tally.finish();
}
