//! The fault table and the families: each call × each fault, and transient faults ridden
//! out by the retries.

use crate::calls::{nothing_wrong_kept, perform, prepare, Call};
use crate::{message_problems, Tally, World, RETRIES};
use igtimi_sim::{FaultKind, FaultRule};
use std::time::Duration;
use tokio::task::JoinSet;

/// Longest any faulted call may take: three tries of two seconds each, the pauses, and a
/// wide margin for a loaded machine.
pub const TIME_BOUND: Duration = Duration::from_secs(15);
/// Longest the refusal of a 100 MB body may take: it is refused by its announced length,
/// before it is read (reading it at loopback speed would take longer on these machines).
pub const HUGE_BOUND: Duration = Duration::from_secs(3);

/// A group of cases with its own summary line.
#[derive(Clone, Copy, Debug)]
pub enum Family {
    Exchange,
    Refresh,
    Account,
    Devices,
    DataLoad,
    /// Transient faults on the safe calls: the retries ride them out.
    RiddenOut,
}

/// One injected fault and what the app must make of it.
#[derive(Clone)]
struct Fault {
    name: &'static str,
    kind: FaultKind,
    /// The `AppError` kinds that describe it.
    kinds: &'static [&'static str],
    /// Whether the API client retries it (its failure may pass).
    may_pass: bool,
}

fn fault(
    name: &'static str,
    kind: FaultKind,
    kinds: &'static [&'static str],
    may_pass: bool,
) -> Fault {
    Fault {
        name,
        kind,
        kinds,
        may_pass,
    }
}

/// Every fault, as aimed at `call` (the data answer loses its time column, the others
/// every top-level key).
fn faults(call: Call) -> Vec<Fault> {
    let missing = if call == Call::DataLoad {
        vec!["t".to_string()]
    } else {
        Vec::new()
    };
    vec![
        fault(
            "HTML error page",
            FaultKind::HtmlError { code: 500 },
            &["server"],
            false,
        ),
        fault(
            "non-JSON",
            FaultKind::MalformedJson,
            &["invalid_response"],
            false,
        ),
        fault(
            "JSON with missing fields",
            FaultKind::MissingFields { fields: missing },
            &["invalid_response"],
            false,
        ),
        fault(
            "HTTP 500",
            FaultKind::Status { code: 500 },
            &["server"],
            false,
        ),
        fault(
            "HTTP 503",
            FaultKind::Status { code: 503 },
            &["server"],
            true,
        ),
        fault(
            "latency beyond the timeout",
            FaultKind::Latency { ms: 4000 },
            &["timeout"],
            true,
        ),
        fault(
            "truncated body",
            FaultKind::TruncatedJson,
            &["invalid_response", "unreachable"],
            true,
        ),
        fault(
            "connection reset",
            FaultKind::Reset,
            &["unreachable", "invalid_response"],
            true,
        ),
        fault(
            "100 MB body",
            FaultKind::HugeBody {
                bytes: 100 * 1024 * 1024,
            },
            &["invalid_response"],
            false,
        ),
        fault(
            "slow drip",
            FaultKind::SlowDrip {
                bytes_per_chunk: 4,
                interval_ms: 250,
            },
            &["timeout"],
            true,
        ),
    ]
}

/// Attempts the simulator must see for `fault` on `call` when it never passes.
fn expected_attempts(call: Call, fault: &Fault) -> u64 {
    let retried = match call {
        Call::Exchange | Call::Refresh => false,
        Call::Account | Call::Devices => fault.may_pass,
        // The chunk loader retries whatever may pass, an unreadable chunk included; it
        // does not retry an answer over the size cap.
        Call::DataLoad => !matches!(fault.kind, FaultKind::HugeBody { .. }),
    };
    if retried {
        1 + u64::from(RETRIES)
    } else {
        1
    }
}

/// One call under one persistent fault (one-time calls: a fault for one request, which a
/// retry would have slipped past).
async fn persistent_case(call: Call, fault: Fault, tag: String, what: String) -> Vec<String> {
    let world = World::start(&tag, call == Call::Refresh).await;
    let prepared = prepare(&world, call).await;
    world.sim().faults().add(FaultRule {
        kind: fault.kind.clone(),
        path_prefix: Some(call.path().to_string()),
        times: call.one_time().then_some(1),
    });
    let outcome = perform(&world, call, &prepared).await;
    world.sim().faults().clear();
    let mut problems = Vec::new();
    match &outcome.result {
        Ok(()) => problems.push("the call succeeded".to_string()),
        Err(error) => {
            if !fault.kinds.contains(&error.kind()) {
                problems.push(format!(
                    "kind {} (expected {:?}): {error}",
                    error.kind(),
                    fault.kinds
                ));
            }
            problems.extend(message_problems(error, &world.secrets()));
        }
    }
    let bound = match fault.kind {
        FaultKind::HugeBody { .. } => HUGE_BOUND,
        _ => TIME_BOUND,
    };
    if outcome.elapsed > bound {
        problems.push(format!("took {:?} (bound {bound:?})", outcome.elapsed));
    }
    let expected = expected_attempts(call, &fault);
    if outcome.attempts != expected {
        problems.push(format!(
            "{} attempts, expected {expected}",
            outcome.attempts
        ));
    }
    problems.extend(nothing_wrong_kept(&world, call, &prepared, &what).await);
    world.finish().await;
    problems
}

/// A fault that passes after `times` requests: the safe call succeeds after `times` retries.
async fn ridden_out_case(
    call: Call,
    fault: Fault,
    times: u32,
    tag: String,
    what: String,
) -> Vec<String> {
    let world = World::start(&tag, false).await;
    let prepared = prepare(&world, call).await;
    world.sim().faults().add(FaultRule {
        kind: fault.kind.clone(),
        path_prefix: Some(call.path().to_string()),
        times: Some(times),
    });
    let outcome = perform(&world, call, &prepared).await;
    let mut problems = Vec::new();
    if let Err(error) = &outcome.result {
        problems.push(format!("not ridden out: {error}"));
    }
    if !world.sim().faults().list().is_empty() {
        problems.push("the fault was not used up".into());
    }
    // The device list shares its path prefix with the data access windows, asked at the
    // same time: the fault may hit either, so both are counted.
    let clean = if call == Call::Devices { 2 } else { 1 };
    let seen = match call {
        Call::Devices => outcome.under_prefix,
        _ => outcome.attempts,
    };
    if seen != clean + u64::from(times) {
        problems.push(format!(
            "{seen} requests, expected {}",
            clean + u64::from(times)
        ));
    }
    if outcome.elapsed > TIME_BOUND {
        problems.push(format!("took {:?}", outcome.elapsed));
    }
    problems.extend(nothing_wrong_kept(&world, call, &prepared, &what).await);
    world.finish().await;
    problems
}

/// Runs a family's cases side by side, each with its own simulator and accounts.
pub async fn run_family(family: Family) -> Tally {
    let (label, calls) = match family {
        Family::Exchange => ("api faults, code exchange", vec![Call::Exchange]),
        Family::Refresh => ("api faults, refresh", vec![Call::Refresh]),
        Family::Account => ("api faults, account", vec![Call::Account]),
        Family::Devices => ("api faults, device list", vec![Call::Devices]),
        Family::DataLoad => ("api faults, data load", vec![Call::DataLoad]),
        Family::RiddenOut => (
            "api faults, transient ones ridden out",
            vec![Call::Account, Call::Devices, Call::DataLoad],
        ),
    };
    let mut tasks = JoinSet::new();
    for call in calls {
        for (index, fault) in faults(call).into_iter().enumerate() {
            let what = format!("{} × {}", call.name(), fault.name);
            let tag = format!("{family:?}.{call:?}.{index}");
            match family {
                Family::RiddenOut => {
                    if !fault.may_pass {
                        continue;
                    }
                    let times = if fault.kind == (FaultKind::Status { code: 503 }) {
                        RETRIES
                    } else {
                        1
                    };
                    let what = format!("{what}, {times} time(s)");
                    tasks.spawn(async move {
                        let problems = ridden_out_case(call, fault, times, tag, what.clone()).await;
                        (what, problems)
                    });
                }
                _ => {
                    tasks.spawn(async move {
                        let problems = persistent_case(call, fault, tag, what.clone()).await;
                        (what, problems)
                    });
                }
            }
        }
    }
    let mut results = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(result) => results.push(result),
            Err(joined) => {
                let reason = match joined.try_into_panic() {
                    Ok(panic) => panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "a panic without a message".into()),
                    Err(other) => other.to_string(),
                };
                results.push(("a case panicked".into(), vec![reason]));
            }
        }
    }
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut tally = Tally::new(label);
    for (what, problems) in results {
        tally.record_problems(&what, problems);
    }
    tally
}
