//! The opened race's polar: one dot per angle and wind band, and a target polar loaded
//! from a file through the page's own file input (a step of the browse scenario).

use crate::harness::{Harness, PATIENCE};
use crate::map::count;
use crate::wait::wait_until;
use crate::{ensure, Failure};

/// Waits for `#polar-note` to say something containing `words`.
async fn note_says(h: &Harness, words: &str) -> Result<String, Failure> {
    wait_until(
        &format!("the polar note to say {words:?}"),
        PATIENCE,
        || async {
            match h.text("#polar-note").await {
                Ok(text) if text.contains(words) => Ok(text),
                Ok(text) => Err(format!("it says {text:?}")),
                Err(e) => Err(e.to_string()),
            }
        },
    )
    .await
    .map_err(Failure)
}

/// Chooses `path` in the polar's hidden file input, as the file dialog would.
async fn choose_file(h: &Harness, path: &std::path::Path) -> Result<(), Failure> {
    let input = h.element("#polar-file").await?;
    h.wd()
        .send_keys(&input, &path.display().to_string())
        .await?;
    Ok(())
}

/// The polar shows Tern's speeds; a target table adds its curves and the share of target;
/// a broken one is refused in words and the target in use stays.
pub async fn the_polar_takes_a_target(h: &mut Harness) -> Result<(), Failure> {
    wait_until("the polar's dots", PATIENCE, || async {
        match count(h, "#polar-plot circle.polar-dot").await {
            Ok(n) if n >= 6 => Ok(()),
            Ok(n) => Err(format!("{n} dots")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    ensure!(
        count(h, "#polar-plot polyline.polar-target").await? == 0,
        "target curves before a target was loaded"
    );
    h.wd()
        .execute("document.querySelector('#polar').scrollIntoView()", vec![])
        .await?;
    h.screenshot("polar").await?;

    let table = h.dir().join("j70-targets.txt");
    let written = std::fs::write(
        &table,
        "twa/tws\t6\t10\t14\t18\n0\t4.0\t4.8\t5.2\t5.4\n45\t5.2\t6.0\t6.3\t6.5\n\
         90\t6.0\t7.0\t7.4\t7.8\n135\t5.6\t7.2\t8.6\t10.0\n180\t4.4\t5.8\t7.0\t8.5\n",
    );
    written.map_err(|e| Failure::io(&table, e))?;
    choose_file(h, &table).await?;
    note_says(h, "Target polar: j70-targets.txt").await?;
    wait_until("the target's curves", PATIENCE, || async {
        match count(h, "#polar-plot polyline.polar-target").await {
            Ok(4) => Ok(()),
            Ok(n) => Err(format!("{n} curves, not one per wind column")),
            Err(e) => Err(e.to_string()),
        }
    })
    .await?;
    let shares = h.text("#polar-bands").await?;
    ensure!(shares.contains('%'), "no share of target in {shares:?}");
    // The analysis was drawn again with the target: bring the polar back into view.
    h.wd()
        .execute("document.querySelector('#polar').scrollIntoView()", vec![])
        .await?;
    h.screenshot("polar-target").await?;

    let broken = h.dir().join("broken.txt");
    std::fs::write(&broken, "twa 6 10\n40 4 knots\n").map_err(|e| Failure::io(&broken, e))?;
    choose_file(h, &broken).await?;
    let said = note_says(h, "could not read that file").await?;
    ensure!(said.contains("line 2"), "the refusal says {said:?}");
    ensure!(
        count(h, "#polar-plot polyline.polar-target").await? == 4,
        "the broken file replaced the target in use"
    );
    Ok(())
}
