//! A Riot account in the offline demo: the first screen offers Riot servers first; Bob signs
//! in to the demo's Riot server with Telltale's own form (user name and password), sees his
//! user name, picks race 1's time through the range controls (Riot has no sessions), sees
//! its track, charts and latest values, exports the GPX; then manages the data access
//! windows (open one, close it), registers the demo's unclaimed unit and sees the load's
//! note about it; signs out (the token stays valid), signs in again with a pasted token and
//! signs out invalidating it at the server.
//!
//! The scenario is here; `account` holds the account steps (the account shown, the sign-out
//! dialog, the token at the server) and `controls` the browse page's (waits on a text or a
//! count, the datetime inputs, opening the range).

mod account;
mod controls;

use crate::accounts::{expect_emptied, pick, shown};
use crate::browse::{
    validate_gpx, wait_for_export, wait_for_latest_values, wait_for_track_and_sog,
};
use crate::harness::{Harness, PATIENCE};
use crate::sign_in::demo_user;
use crate::wait::wait_until;
use crate::{ensure, scenario_with_env};
use account::{expect_riot_account, riot_token, sign_out_riot, token_works};
use controls::{open_range, set_times, utc_input, wait_for_count, wait_for_text};
use igtimi_sim::SimConfig;
use serde_json::json;

/// The Riot profile [`restart_with_club_riot`] adds, pointing at the test's simulator.
pub const CLUB_RIOT: &str = "club-riot";

/// Writes a settings file with a Riot server profile ([`CLUB_RIOT`]) at the test's
/// simulator and restarts the app, which reads it at start; waits for the first screen.
pub async fn restart_with_club_riot(h: &mut Harness) -> Result<(), crate::Failure> {
    let providers = format!(
        "[[providers]]\nid = \"{CLUB_RIOT}\"\nname = \"Club Riot server\"\nkind = \"riot\"\n\
         base_url = \"{}\"\n",
        h.sim().base_url()
    );
    h.restart_with_providers(&providers).await
}

/// The built-in profile of the demo's Riot server (the simulator inside Telltale).
const RIOT_PROFILE: &str = "simulator-riot";
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn riot_demo_account_reads_race_1_by_time_range_then_signs_out() {
    let test = "riot_demo_account_reads_race_1_by_time_range_then_signs_out";
    // No client id: the app runs its own simulator (the offline demo), in both dialects. A
    // zone east of UTC, so that data access windows show in local time and in UTC.
    let demo = [("TELLTALE_CLIENT_ID", ""), ("TZ", "Europe/Berlin")];
    scenario_with_env(
        test,
        SimConfig::default(),
        &demo,
        async |h: &mut Harness| {
            let bob = demo_user(h, "bob@telltale.demo")?;
            let unclaimed = h.sim().manifest().riot.unclaimed_device;
            let week = SimConfig::default().demo_week_start_ms;
            let race_1 = (week + 10 * HOUR_MS, week + 11 * HOUR_MS + 5 * 60_000);

            // The first screen: Riot servers first, then the old API, then the demo.
            h.wait_for_view("signed-out").await?;
            let groups = h
                .wd()
                .execute(
                    "return [...document.querySelectorAll('#add-profile .profile-group')]\
                 .map((g) => g.dataset.group + ':' + [...g.querySelectorAll('input')]\
                 .map((r) => r.value).join(','))",
                    vec![],
                )
                .await?;
            ensure!(
                groups
                    == json!([
                        "riot:sapsailing",
                        "old-api:igtimi",
                        "demo:simulator,simulator-riot"
                    ]),
                "the first screen lists {groups}"
            );
            let banner = h.text("#mode-text").await?;
            ensure!(
                banner.contains("Offline demo"),
                "the banner says {banner:?}"
            );
            let base = h.text("#mode-text .mono").await?;
            h.screenshot("first-screen").await?;
            h.wd()
                .execute(
                    "document.getElementById('add-profile').scrollIntoView()",
                    vec![],
                )
                .await?;
            h.screenshot("first-screen-choices").await?;

            // Bob signs in to the demo's Riot server with our own form.
            pick(h, "add-profile", RIOT_PROFILE).await?;
            let method = h
                .wd()
                .property(&h.element("#add-method").await?, "value")
                .await?;
            ensure!(method == json!("riot_password"), "the method is {method}");
            ensure!(shown(h, "#credentials").await?, "the form is not shown");
            ensure!(!shown(h, "#sign-in").await?, "a sign-in page button shows");
            let hint = h.text("#credentials-hint").await?;
            ensure!(
                hint.contains("once to the demo server on this computer")
                    && hint.contains("neither"),
                "the form says {hint:?}"
            );
            // A wrong password first: refused in plain words, the password field emptied.
            h.type_checked("#credentials-username", &bob.username)
                .await?;
            h.type_checked("#credentials-password", "not-the-password")
                .await?;
            h.click("#credentials-submit").await?;
            // Said next to the form, where the user looks.
            let refused = wait_until("the form's error", PATIENCE, || async {
                let error = h
                    .element("#credentials-error")
                    .await
                    .map_err(|e| e.to_string())?;
                let kind = h
                    .wd()
                    .attribute(&error, "data-kind")
                    .await
                    .map_err(|e| e.to_string())?;
                let text = h.wd().text(&error).await.map_err(|e| e.to_string())?;
                match kind.as_deref() == Some("sign_in_refused") {
                    true => Ok(text),
                    false => Err(format!("data-kind {kind:?}, text {text:?}")),
                }
            })
            .await?;
            ensure!(
                refused.contains("did not accept this user name and password")
                    && shown(h, "#credentials-error").await?,
                "a wrong password says {refused:?}"
            );
            expect_emptied(h, "#credentials-password", "password").await?;
            h.screenshot("riot-wrong-password").await?;
            h.type_checked("#credentials-password", &bob.password)
                .await?;
            h.screenshot("riot-form").await?;
            h.click("#credentials-submit").await?;
            expect_riot_account(h, (&bob.username, &bob.name, &bob.email)).await?;
            expect_emptied(h, "#credentials-password", "password").await?;

            // Riot has no sessions: the explanation and the day picks instead, and each device
            // with its data access windows.
            wait_until("the Riot catalog", PATIENCE, || async {
                let script = "const b = document.getElementById('browse'); \
                          return [b.dataset.dialect || '', \
                          document.querySelectorAll('#devices .access-window').length, \
                          document.querySelectorAll('#riot-days button').length]";
                match h.wd().execute(script, vec![]).await {
                    Ok(v)
                        if v[0] == "riot" && v[1].as_u64() > Some(0) && v[2].as_u64() > Some(0) =>
                    {
                        Ok(())
                    }
                    Ok(v) => Err(format!("dialect, windows, days = {v}")),
                    Err(e) => Err(e.to_string()),
                }
            })
            .await?;
            ensure!(
                !shown(h, "#sessions-part").await? && !shown(h, "#groups-part").await?,
                "sessions or groups are shown on Riot"
            );
            let explained = h.text("#riot-part").await?;
            ensure!(
                explained.contains("Riot servers have no sessions: pick devices and a time range"),
                "#riot-part says {explained:?}"
            );
            h.screenshot("riot-account").await?;
            h.wd()
                .execute(
                    "document.getElementById('devices').scrollIntoView()",
                    vec![],
                )
                .await?;
            h.screenshot("riot-devices").await?;

            // Race 1: the demo week's first day (a day pick), narrowed to 10:00–11:05 UTC.
            h.click(&format!("#riot-days button[data-day=\"{week}\"]"))
                .await?;
            wait_until("the first day as the range", PATIENCE, || async {
                let from = h.element("#range-from").await.map_err(|e| e.to_string())?;
                let value = h
                    .wd()
                    .property(&from, "value")
                    .await
                    .map_err(|e| e.to_string())?;
                match value.as_str() == Some(utc_input(week).as_str()) {
                    true => Ok(()),
                    false => Err(format!("#range-from holds {value}")),
                }
            })
            .await?;
            set_times(h, "#catalog-pane", ("#range-from", "#range-to"), race_1).await?;
            wait_for_text(h, "the race's range", "#range-note", |t| {
                t.contains("10:00 – 11:05 UTC")
            })
            .await?;
            wait_until("readable data listed for the range", PATIENCE, || async {
                let rows = h
                    .wd()
                    .find_all("#resources-body tr[data-resource-id]")
                    .await
                    .map_err(|e| e.to_string())?;
                match rows.is_empty() {
                    false => Ok(()),
                    true => Err("no rows".to_string()),
                }
            })
            .await?;
            open_range(h).await?;
            wait_for_track_and_sog(h).await?;
            wait_for_latest_values(h).await?;
            let title = h.text("#dataset-meta").await?;
            ensure!(
                title.contains("10:00 – 11:05 UTC"),
                "the dataset shows {title:?}"
            );
            h.screenshot("riot-race-1").await?;
            h.wd()
                .execute("document.querySelector('#latest').scrollIntoView()", vec![])
                .await?;
            h.screenshot("riot-latest-values").await?;

            h.click("#export-gpx").await?;
            let gpx = wait_for_export(h, "gpx").await?;
            let (tracks, points) = validate_gpx(&gpx)?;
            ensure!(
                tracks >= 2 && points > 2 * 3000,
                "{} holds {tracks} tracks and {points} points",
                gpx.display()
            );

            // A data access window: open one on Bob's first device a day after the week, then
            // close it again.
            let first = h
                .wd()
                .execute(
                    "return document.querySelector('#devices li[data-serial]').dataset.serial",
                    vec![],
                )
                .await?;
            let serial = first.as_str().unwrap_or_default().to_string();
            let device = format!("#devices li[data-serial=\"{serial}\"]");
            let count = format!(
                "return document.querySelectorAll('{} .access-window').length",
                device.replace('\'', "\\'")
            );
            let before = h.wd().execute(&count, vec![]).await?.as_u64().unwrap_or(0);
            h.click(&format!("{device} .open-window-toggle")).await?;
            let later = (week + 8 * DAY_MS, week + 8 * DAY_MS + 2 * HOUR_MS);
            set_times(h, &device, (".window-from", ".window-to"), later).await?;
            h.screenshot("riot-open-window").await?;
            h.click(&format!("{device} .window-form button[type=submit]"))
                .await?;
            wait_for_text(h, "the window to open", "#device-status", |t| {
                t.starts_with("Opened a data access window")
            })
            .await?;
            wait_for_count(h, "the new window in the list", &count, before + 1).await?;
            h.wd()
                .execute(
                    "document.querySelector(arguments[0]).scrollIntoView()",
                    vec![json!(device)],
                )
                .await?;
            h.screenshot("riot-window-opened").await?;
            let newest = format!("{device} .access-window:last-child");
            h.click(&format!("{newest} .close-window")).await?;
            h.screenshot("riot-close-window").await?;
            h.click(&format!("{newest} .confirm-close")).await?;
            wait_for_text(h, "the window to close", "#device-status", |t| {
                t.starts_with("Closed the data access window")
            })
            .await?;
            wait_for_count(h, "the window gone from the list", &count, before).await?;

            // Register the demo's unclaimed unit; it has no window, so opening the race with it
            // ticked says so above the results (a note, not an error).
            h.wd()
                .send_keys(&h.element("#register-serial").await?, unclaimed)
                .await?;
            h.wd()
                .send_keys(&h.element("#register-name").await?, "Gull")
                .await?;
            h.click("#register-submit").await?;
            wait_for_text(h, "the device to be registered", "#device-status", |t| {
                t.starts_with("Registered")
            })
            .await?;
            wait_until("the registered device in the list", PATIENCE, || async {
                h.element(&format!("#devices li[data-serial=\"{unclaimed}\"]"))
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })
            .await?;
            h.wd()
                .execute(
                    "document.getElementById('register-device').scrollIntoView()",
                    vec![],
                )
                .await?;
            h.screenshot("riot-registered").await?;
            open_range(h).await?;
            let notes = wait_for_text(h, "the load's note", "#load-notes", |t| {
                t.contains(unclaimed)
            })
            .await?;
            ensure!(
                shown(h, "#load-notes").await?,
                "the note is not shown: {notes:?}"
            );
            h.wd()
                .execute(
                    "document.getElementById('dataset').scrollIntoView()",
                    vec![],
                )
                .await?;
            h.screenshot("riot-load-note").await?;

            // Sign out: by default the token is only forgotten here and stays valid there.
            h.wd().execute("window.scrollTo(0, 0)", vec![]).await?;
            let said = sign_out_riot(h, false, "riot-sign-out-dialog").await?;
            ensure!(said.contains("stays valid"), "the sign-out said {said:?}");
            h.screenshot("riot-signed-out").await?;
            let token = riot_token(&base, &bob.username, &bob.password).await?;
            ensure!(
                token_works(&base, &token).await?,
                "Bob's token stopped working after a plain sign-out"
            );

            // Paste that token instead; then sign out invalidating it at the server.
            pick(h, "add-profile", RIOT_PROFILE).await?;
            pick(h, "add-method", "pasted_token").await?;
            ensure!(
                shown(h, "#credentials-token").await? && !shown(h, "#credentials-password").await?,
                "the token form is not the one shown"
            );
            let page = h.text("#credentials-token-page").await?;
            ensure!(
                page == format!("{base}/security/api/restsecurity/access_token"),
                "the form points at {page:?}"
            );
            h.type_checked("#credentials-token", &token).await?;
            h.screenshot("riot-token-form").await?;
            h.click("#credentials-submit").await?;
            expect_riot_account(h, (&bob.username, &bob.name, &bob.email)).await?;
            expect_emptied(h, "#credentials-token", "token").await?;
            let said = sign_out_riot(h, true, "riot-invalidate-dialog").await?;
            ensure!(
                said.contains("invalidated"),
                "the sign-out with invalidation said {said:?}"
            );
            ensure!(
                !token_works(&base, &token).await?,
                "the token still works after \"also invalidate it at the server\""
            );
            h.screenshot("riot-invalidated").await?;
            Ok(())
        },
    )
    .await
}
