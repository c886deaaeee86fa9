//! One demo race read through both dialects of the same simulator, over real HTTP: the old
//! JSON API (knots) and Riot's base64 protobuf (km/h, radians, Pa) decode to the same
//! samples in the app's units: positions equal, converted values within rounding.

use igtimi_client::{DataQuery, IgtimiClient, RiotClient};
use igtimi_sim::{SimConfig, Simulator};
use telltale_data::{Dataset, TypeKey};
use telltale_test_support::demo::{self, BUOY, HOUR, MIN, PETREL, TERN, WEEK};

/// Race 1 of the demo week.
const FROM: i64 = WEEK + 10 * HOUR;
const TO: i64 = FROM + 65 * MIN;

async fn through_json(sim: &Simulator, serials: &[String]) -> Dataset {
    let client = IgtimiClient::new(sim.base_url().parse().expect("url")).expect("client");
    let token = igtimi_client::AccessToken::new(demo::token(sim, demo::BOB)).expect("token");
    let query = DataQuery {
        start: FROM,
        end: TO,
        serials: serials.to_vec(),
        types: (1..=24).map(|code| (code, 0.0)).collect(),
    };
    let body = client.data(&token, &query).await.expect("JSON data");
    telltale_data::decode(&body).expect("JSON decodes")
}

async fn through_riot(sim: &Simulator, serials: &[String]) -> Dataset {
    let api = IgtimiClient::new(sim.base_url().parse().expect("url")).expect("client");
    let riot = RiotClient::new(api);
    let signed_in = riot
        .sign_in("bob", "windward-1")
        .await
        .expect("Riot sign-in");
    let token = igtimi_client::AccessToken::new(signed_in.access_token).expect("token");
    let fields: Vec<u32> = riot_proto::units::KINDS.iter().map(|k| k.field).collect();
    let body = riot
        .data(&token, FROM, TO, serials, &fields)
        .await
        .expect("Riot data");
    let decoded = telltale_data::riot::decode_answer(&body).expect("Riot decodes");
    assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
    decoded.dataset
}

#[tokio::test]
async fn a_race_through_the_json_api_and_through_riot_gives_the_same_samples() {
    let sim = Simulator::start(SimConfig::default()).await.expect("sim");
    let serials: Vec<String> = [TERN, PETREL, BUOY].map(String::from).to_vec();
    let (json, riot) = tokio::join!(through_json(&sim, &serials), through_riot(&sim, &serials));
    assert!(json.sample_count() > 10_000, "{}", json.sample_count());

    let mut compared = 0usize;
    for (serial, key, expected) in json.blocks() {
        // Types Riot has no kind for (HDOP, cadence, ...) are not sent; altitude rides in
        // the position and is compared when present.
        let Some(kind) = riot_proto::units::for_app_code(key.code) else {
            continue;
        };
        let got = riot
            .block(serial, key)
            .unwrap_or_else(|| panic!("{serial} {key} ({}) missing through Riot", kind.name));
        assert_eq!(got.t, expected.t, "{serial} {key}: the same times");
        assert_eq!(got.fields.len(), expected.fields.len(), "{serial} {key}");
        for (column, (a, b)) in got.fields.iter().zip(&expected.fields).enumerate() {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                if key.code == 1 {
                    assert_eq!(x, y, "{serial} position {column} sample {i}: equal");
                } else {
                    let tolerance = 1e-9 * y.abs().max(1.0);
                    assert!(
                        (x - y).abs() <= tolerance || (x.is_nan() && y.is_nan()),
                        "{serial} {key} column {column} sample {i}: {x} vs {y}"
                    );
                }
            }
        }
        compared += expected.len();
    }
    assert!(compared > 10_000, "{compared} samples compared");
    // Nothing through Riot that the JSON API does not have.
    for (serial, key, _) in riot.blocks() {
        assert!(
            json.block(serial, key).is_some(),
            "{serial} {key} only through Riot"
        );
    }
    // SOG really arrived in km/h and was converted: the JSON path's knots, not 1.852 times.
    let sog = riot.block(TERN, TypeKey::new(9)).expect("Tern's SOG");
    let knots = json.block(TERN, TypeKey::new(9)).expect("Tern's SOG");
    assert!((sog.fields[0][100] - knots.fields[0][100]).abs() < 1e-9);
    assert!(knots.fields[0][100] > 1.0, "a moving boat");
}
