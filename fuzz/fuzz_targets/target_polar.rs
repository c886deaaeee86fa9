//! The target polar reader on arbitrary text (a file the user picks): never a panic; a
//! table read has a row of speeds for every angle, as wide as its wind speeds, both axes
//! ascending, and looking a target up anywhere is safe.
#![no_main]

use libfuzzer_sys::fuzz_target;
use telltale_analysis::TargetPolar;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match TargetPolar::parse(&text) {
        Ok(polar) => {
            assert_eq!(polar.speed.len(), polar.twa.len());
            assert!(polar.speed.iter().all(|row| row.len() == polar.tws.len()));
            assert!(polar.twa.windows(2).all(|w| w[0] < w[1]));
            assert!(polar.tws.windows(2).all(|w| w[0] < w[1]));
            for (twa, tws) in [(0.0, 0.0), (45.0, 10.0), (-170.0, 25.0), (f64::NAN, 1.0)] {
                if let Some(v) = polar.target(twa, tws) {
                    assert!(v.is_finite() && v >= 0.0);
                }
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
