//! Steps on the browse page: waiting for a text or a count, setting datetime inputs as a
//! user would, and opening the chosen range.

use crate::browse::{redraws, wait_for_dataset};
use crate::harness::{Harness, PATIENCE};
use crate::wait::wait_until;
use crate::{ensure, Failure};
use serde_json::json;
use std::time::Duration;

/// Waits until the element matching `css` shows a text that `want` accepts; returns it.
pub async fn wait_for_text(
    h: &Harness,
    what: &str,
    css: &str,
    want: impl Fn(&str) -> bool,
) -> Result<String, Failure> {
    let text = wait_until(what, PATIENCE, || async {
        match h.text(css).await {
            Ok(text) if want(&text) => Ok(text),
            Ok(text) => Err(format!("{css} says {text:?}")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    Ok(text)
}

/// Runs `script` (returning a number) until it gives `want`.
pub async fn wait_for_count(
    h: &Harness,
    what: &str,
    script: &str,
    want: u64,
) -> Result<(), Failure> {
    wait_until(what, PATIENCE, || async {
        match h.wd().execute(script, vec![]).await {
            Ok(value) if value.as_u64() == Some(want) => Ok(()),
            Ok(value) => Err(format!("{value}, want {want}")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    Ok(())
}

/// "2025-06-21T10:00": a datetime-local value in UTC, as the UI's inputs take it.
pub fn utc_input(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let minutes = secs.rem_euclid(86_400) / 60;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}",
        minutes / 60,
        minutes % 60
    )
}

/// Sets two datetime-local inputs (found by `from` and `to`, inside `scope`) as a user
/// typing would, then sends one `change` from the second; returns what they hold.
pub async fn set_times(
    h: &Harness,
    scope: &str,
    (from, to): (&str, &str),
    (start, end): (i64, i64),
) -> Result<(), Failure> {
    let script = r#"
        const [scope, fromCss, toCss, start, end] = arguments;
        const root = document.querySelector(scope);
        const from = root && root.querySelector(fromCss);
        const to = root && root.querySelector(toCss);
        if (!from || !to) return null;
        from.value = start;
        from.dispatchEvent(new Event('input', { bubbles: true }));
        to.value = end;
        to.dispatchEvent(new Event('input', { bubbles: true }));
        from.dispatchEvent(new Event('change', { bubbles: true }));
        to.dispatchEvent(new Event('change', { bubbles: true }));
        return [from.value, to.value];
    "#;
    let (start, end) = (utc_input(start), utc_input(end));
    let args = vec![
        json!(scope),
        json!(from),
        json!(to),
        json!(start),
        json!(end),
    ];
    let held = h.wd().execute(script, args).await?;
    ensure!(
        held == json!([start, end]),
        "the times in {scope} hold {held}, want [{start}, {end}]"
    );
    Ok(())
}

/// Opens the ticked devices over the chosen range and waits until the data is drawn once.
pub async fn open_range(h: &Harness) -> Result<(), Failure> {
    let before = redraws(h).await?;
    h.click("#open-range").await?;
    wait_for_dataset(h, "loaded", Duration::from_secs(60)).await?;
    wait_until("the data to be drawn", PATIENCE, || async {
        match redraws(h).await {
            Ok(n) if n > before => Ok(()),
            Ok(n) => Err(format!("{n} redraws")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    Ok(())
}
