//! The app's build of the simulator leaves out the test machinery (admin endpoints, faults,
//! hostile page). `cargo test --workspace` unifies features, so no test compiled with it can
//! see the app's set; this asks Cargo how it resolves the app's normal dependencies.

use std::path::Path;
use std::process::Command;

/// The features Cargo enables on igtimi-sim for `package` with these edge kinds.
fn sim_features(package: &str, edges: &str) -> Vec<String> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "--manifest-path"])
        .arg(&workspace)
        .args([
            "-p", package, "-e", edges, "--prefix", "none", "-f", "{p} |{f}",
        ])
        .output()
        .expect("cargo runs");
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "cargo tree -p {package} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = tree
        .lines()
        .filter(|line| line.starts_with("igtimi-sim "))
        .collect();
    assert!(
        !lines.is_empty(),
        "{package} does not depend on igtimi-sim:\n{tree}"
    );
    lines
        .iter()
        .filter_map(|line| line.split_once('|'))
        .flat_map(|(_, features)| features.split(','))
        .filter(|feature| !feature.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_app_builds_the_simulator_without_testing() {
    for package in ["telltale-core", "telltale"] {
        let features = sim_features(package, "normal,build");
        assert!(
            !features.iter().any(|f| f == "testing"),
            "{package}'s build enables igtimi-sim features {features:?}"
        );
    }
    // The probe sees the feature where it is on: telltale-core's tests.
    let with_tests = sim_features("telltale-core", "normal,build,dev");
    assert!(
        with_tests.iter().any(|f| f == "testing"),
        "telltale-core's tests get {with_tests:?}"
    );
}
