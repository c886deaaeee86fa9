//! The GPX export validates against the official GPX 1.1 schema (xmllint).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use telltale_data::export::gpx::{write, GpxPoint, GpxTrack};

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| dir.join("scripts/fetch-gpx-schema.sh").is_file())
        .expect("the workspace root (with scripts/fetch-gpx-schema.sh) above the crate")
        .to_path_buf()
}

/// The schema, fetched by `scripts/fetch-gpx-schema.sh` when missing.
fn schema() -> PathBuf {
    static FETCH: Mutex<()> = Mutex::new(());
    let _one_at_a_time = FETCH.lock().unwrap_or_else(|e| e.into_inner());
    let root = workspace_root();
    let schema = root.join("target/gpx-schema/gpx11.xsd");
    if !schema.is_file() {
        let status = Command::new("bash")
            .arg(root.join("scripts/fetch-gpx-schema.sh"))
            .status()
            .expect("run scripts/fetch-gpx-schema.sh");
        assert!(status.success(), "scripts/fetch-gpx-schema.sh failed");
    }
    assert!(
        schema.is_file(),
        "{} is missing: run scripts/fetch-gpx-schema.sh (needs apt-get download pytrainer)",
        schema.display()
    );
    schema
}

/// Runs `xmllint --noout --schema` on `document`; Ok or xmllint's complaint.
fn validate(name: &str, document: &str) -> Result<(), String> {
    let schema = schema();
    let dir = workspace_root().join("target/gpx-schema");
    std::fs::create_dir_all(&dir).expect("create target/gpx-schema");
    let file = dir.join(format!("{name}-{}.gpx", std::process::id()));
    std::fs::write(&file, document).expect("write the GPX file");
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("xmllint must be installed (package libxml2-utils)");
    let _ = std::fs::remove_file(&file);
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn point(t: i64, lat: f64, lon: f64, speed: Option<f64>, course: Option<f64>) -> GpxPoint {
    GpxPoint {
        t,
        lat,
        lon,
        speed_mps: speed,
        course_deg: course,
    }
}

#[test]
fn export_validates_against_the_gpx_1_1_schema() {
    let start = 1_750_500_000_000;
    let mut tern: Vec<GpxPoint> = (0..300)
        .map(|i| {
            let f = f64::from(i);
            point(
                start + i64::from(i) * 1000,
                54.43 + f * 1e-5,
                10.19 + f * 2e-5,
                Some(3.0 + f / 100.0),
                Some(f * 1.7 - 90.0),
            )
        })
        .collect();
    // A pause of two minutes: a second segment; and odd values that must be dropped or fixed.
    tern.push(point(start + 420_000, 54.44, 10.2, None, Some(720.0)));
    tern.push(point(start + 421_000, 54.44, 180.0, Some(f64::NAN), None));
    tern.push(point(start + 422_000, f64::NAN, 10.2, Some(1.0), None));
    tern.push(point(
        start + 423_000,
        -90.0,
        -180.0,
        Some(-1.0),
        Some(f64::INFINITY),
    ));
    let tracks = [
        GpxTrack {
            name: "Tern <AA-BT-0417> & \"crew\"".into(),
            points: tern,
        },
        GpxTrack {
            name: "Empty".into(),
            points: Vec::new(),
        },
    ];
    let gpx = write(&tracks);
    assert_eq!(gpx.matches("<trk>").count(), 2);
    assert_eq!(gpx.matches("<trkseg>").count(), 2);
    assert_eq!(gpx.matches("<trkpt ").count(), 303);
    assert!(gpx.contains("<time>2025-06-21T10:00:00.000Z</time>"));
    if let Err(complaint) = validate("export", &gpx) {
        panic!(
            "the export is not valid GPX 1.1:\n{complaint}\n{}",
            &gpx[..2000.min(gpx.len())]
        );
    }
}

#[test]
fn the_schema_check_catches_invalid_documents() {
    let valid = write(&[GpxTrack {
        name: "t".into(),
        points: vec![point(0, 1.0, 2.0, Some(1.0), Some(2.0))],
    }]);
    assert_eq!(validate("minimal", &valid), Ok(()));
    let broken = valid.replace("lat=\"1\"", "lat=\"91\"");
    assert_ne!(broken, valid);
    assert!(validate("broken", &broken).is_err());
    let misplaced = valid.replace("<name>t</name>", "<desc>x</desc><name>t</name>");
    assert!(validate("misplaced", &misplaced).is_err());
}
