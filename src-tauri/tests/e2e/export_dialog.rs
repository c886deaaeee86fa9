//! Exporting through the native save dialog (GTK's, from Rust through rfd). The app runs
//! without `TELLTALE_EXPORT_DIR` here, so "Export CSV" asks where to save: Escape cancels
//! (nothing written, nothing said), and a path typed into the dialog gets the file.

use crate::browse::{open_session, wait_for_latest_values, wait_for_session, RACE_1};
use crate::harness::{Harness, PATIENCE};
use crate::sign_in::{demo_user, expect_account, sign_in};
use crate::wait::wait_until;
use crate::x11::{self, wait_for_dialog};
use crate::{ensure, scenario_with_env, Failure};
use telltale::ENV_EXPORT_DIR;

/// The dialog's title (set by the app).
const DIALOG: &str = "Export";

#[tokio::test]
#[ignore = "end to end: run by scripts/e2e.sh"]
async fn export_asks_where_to_save_in_the_native_dialog() {
    let test = "export_asks_where_to_save_in_the_native_dialog";
    // Empty means unset: the app asks.
    let env = [(ENV_EXPORT_DIR, "")];
    scenario_with_env(test, Default::default(), &env, async |h: &mut Harness| {
        let bob = demo_user(h, "bob@telltale.demo")?;
        sign_in(h, &bob, "Authorize").await?;
        expect_account(h, &bob).await?;
        wait_for_session(h, RACE_1).await?;
        open_session(h, RACE_1).await?;
        // The latest values fill in last and move the export buttons down: a click aimed
        // before that lands elsewhere.
        wait_for_latest_values(h).await?;

        // Cancelled: the dialog goes, the button comes back, nothing is said or written.
        start_export(h).await?;
        h.display_screenshot("save-dialog")?;
        x11::press(&x11::window_id(DIALOG)?, &["Escape"])?;
        wait_for_dialog(DIALOG, false).await?;
        back_to_the_main_window(h).await?;
        wait_for_button_back(h).await?;
        let said = h.text("#export-result").await?;
        ensure!(said.is_empty(), "a cancelled export said {said:?}");

        // Saved where the user typed.
        let chosen = h.dir().join("chosen");
        std::fs::create_dir_all(&chosen).map_err(|e| Failure::io(&chosen, e))?;
        ensure!(
            std::fs::read_dir(&chosen)?.next().is_none(),
            "the cancelled export wrote a file"
        );
        let target = chosen.join("race-one.csv");
        start_export(h).await?;
        let dialog = x11::window_id(DIALOG)?;
        x11::press(&dialog, &["ctrl+a"])?;
        x11::type_text(&dialog, &target.display().to_string())?;
        x11::press(&dialog, &["Return"])?;
        wait_for_dialog(DIALOG, false).await?;
        wait_until("the export to say where it saved", PATIENCE, || async {
            let said = h.text("#export-result").await.map_err(|e| e.to_string())?;
            match said.starts_with("Saved ") && said.ends_with(&target.display().to_string()) {
                true => Ok(()),
                false => Err(format!("it says {said:?}")),
            }
        })
        .await?;
        let csv = std::fs::read_to_string(&target).map_err(|e| Failure::io(&target, e))?;
        ensure!(
            csv.starts_with("time_utc,") && csv.lines().count() > 100,
            "the saved file is not the race's table: {} lines, starting {:?}",
            csv.lines().count(),
            csv.lines().next()
        );
        h.wd()
            .execute(
                "document.querySelector('#export-result').scrollIntoView()",
                vec![],
            )
            .await?;
        h.screenshot("saved").await?;
        Ok(())
    })
    .await
}

/// Clicks "Export CSV" once the button stands still on screen (a click aimed while the page
/// still moves lands elsewhere), then waits for the export to start and its dialog to show.
async fn start_export(h: &Harness) -> Result<(), Failure> {
    const WHERE: &str = "const button = document.querySelector('#export-csv');
        button.scrollIntoView({ block: 'center' });
        return button.getBoundingClientRect().top;";
    let last = std::cell::Cell::new(None);
    wait_until("the export button to stand still", PATIENCE, || async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let top = h
            .wd()
            .execute(WHERE, vec![])
            .await
            .map_err(|e| e.to_string())?;
        let before = last.replace(top.as_f64());
        match top.as_f64() {
            Some(now) if before == Some(now) => Ok(()),
            other => Err(format!("at {other:?}, before at {before:?}")),
        }
    })
    .await?;
    h.click("#export-csv").await?;
    wait_until("the export to start", PATIENCE, || async {
        match h
            .text("#export-csv")
            .await
            .map_err(|e| e.to_string())?
            .as_str()
        {
            "Exporting…" => Ok(()),
            label => Err(format!("the button says {label:?}")),
        }
    })
    .await?;
    wait_for_dialog(DIALOG, true).await
}

/// Gives the focus back to the main window, as a desktop's window manager does when a dialog
/// closes (the virtual display has none), and waits until its page has it.
async fn back_to_the_main_window(h: &Harness) -> Result<(), Failure> {
    x11::focus(&x11::window_id("Telltale")?)?;
    wait_until(
        "the main window's page to have the focus",
        PATIENCE,
        || async {
            let focused = h.wd().execute("return document.hasFocus()", vec![]).await;
            match focused.map_err(|e| e.to_string())?.as_bool() {
                Some(true) => Ok(()),
                other => Err(format!("document.hasFocus() is {other:?}")),
            }
        },
    )
    .await?;
    Ok(())
}

/// Waits until the CSV button is enabled again with its own label.
async fn wait_for_button_back(h: &Harness) -> Result<(), Failure> {
    wait_until("the export button back", PATIENCE, || async {
        let button = h.element("#export-csv").await.map_err(|e| e.to_string())?;
        let disabled = h.wd().property(&button, "disabled").await;
        let label = h.text("#export-csv").await.map_err(|e| e.to_string())?;
        match (
            disabled.map_err(|e| e.to_string())?.as_bool(),
            label.as_str(),
        ) {
            (Some(false), "Export CSV") => Ok(()),
            other => Err(format!("disabled and label: {other:?}")),
        }
    })
    .await?;
    Ok(())
}
