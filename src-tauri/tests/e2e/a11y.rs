//! An accessibility audit of a screen with axe-core (the rule set most audits use; the
//! version pinned in ui/package.json): run in the page as it is, it fails the test on any
//! serious or critical finding and names each rule and where it applies.

use crate::harness::Harness;
use crate::Failure;
use serde_json::{json, Value};
use std::path::Path;

/// axe-core's script, from the UI's development dependencies.
fn axe_source() -> Result<String, Failure> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).map_err(|e| Failure::io(&path, e))
}

/// Audits the page as shown now; `screen` names it in the failure.
pub async fn audit(h: &Harness, screen: &str) -> Result<(), Failure> {
    let loaded = h
        .wd()
        .execute(
            &format!(
                "if (!window.axe) {{ {} }} return typeof window.axe;",
                axe_source()?
            ),
            vec![],
        )
        .await?;
    if loaded != json!("object") {
        return Err(Failure(format!(
            "axe-core did not load in the page ({loaded})"
        )));
    }
    let found = h
        .wd()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.axe.run(document, { resultTypes: ['violations'] })
                 .then((result) => done(result.violations
                     .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                     .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                    where: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) }))))
                 .catch((e) => done(String(e)));",
            vec![],
        )
        .await?;
    match found.as_array() {
        Some(list) if list.is_empty() => Ok(()),
        Some(list) => Err(Failure(format!(
            "the accessibility audit of {screen} found {} serious or critical problem(s): {}",
            list.len(),
            list.iter()
                .map(Value::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ))),
        None => Err(Failure(format!(
            "the audit of {screen} did not run: {found}"
        ))),
    }
}
