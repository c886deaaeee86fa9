//! The command-line form of fault rules (`FromStr` and `Display`).

use igtimi_sim::{FaultKind, FaultRule};

fn parse(text: &str) -> FaultRule {
    text.parse()
        .unwrap_or_else(|e| panic!("{text:?} parses: {e}"))
}

fn parse_error(text: &str) -> String {
    match text.parse::<FaultRule>() {
        Ok(rule) => panic!("{text:?} should be refused, got {rule:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_kind_parses() {
    let cases = [
        ("latency:ms=250", FaultKind::Latency { ms: 250 }),
        ("status:code=503", FaultKind::Status { code: 503 }),
        ("html", FaultKind::HtmlError { code: 500 }),
        ("html-error:code=502", FaultKind::HtmlError { code: 502 }),
        ("malformed-json", FaultKind::MalformedJson),
        ("truncated-json", FaultKind::TruncatedJson),
        ("reset", FaultKind::Reset),
        (
            "slow-drip:bytes=16,interval=50",
            FaultKind::SlowDrip {
                bytes_per_chunk: 16,
                interval_ms: 50,
            },
        ),
        (
            "slow-drip",
            FaultKind::SlowDrip {
                bytes_per_chunk: 16,
                interval_ms: 50,
            },
        ),
        (
            "huge-body:bytes=104857600",
            FaultKind::HugeBody { bytes: 104_857_600 },
        ),
        ("huge-body", FaultKind::HugeBody { bytes: 104_857_600 }),
    ];
    for (text, kind) in cases {
        assert_eq!(parse(text), FaultRule::new(kind), "{text}");
    }
}

#[test]
fn path_and_times_apply_to_any_kind() {
    let rule = parse("status:code=503,path=/api/,times=2");
    assert_eq!(rule.kind, FaultKind::Status { code: 503 });
    assert_eq!(rule.path_prefix.as_deref(), Some("/api/"));
    assert_eq!(rule.times, Some(2));
    let rule = parse(" reset : times = 1 , path = /oauth/token ");
    assert_eq!(rule.kind, FaultKind::Reset);
    assert_eq!(rule.path_prefix.as_deref(), Some("/oauth/token"));
    assert_eq!(rule.times, Some(1));
}

#[test]
fn display_writes_what_parse_reads() {
    for text in [
        "latency:ms=250",
        "status:code=503,path=/api/,times=2",
        "html:code=500",
        "malformed-json",
        "truncated-json:times=3",
        "reset:path=/api/v1/resources/data",
        "slow-drip:bytes=4,interval=10",
        "huge-body:bytes=1024",
    ] {
        assert_eq!(parse(text).to_string(), text);
        assert_eq!(parse(&parse(text).to_string()), parse(text));
    }
}

#[test]
fn errors_name_the_bad_part() {
    let cases = [
        ("", "missing fault kind"),
        ("explode", "unknown fault kind \"explode\""),
        ("latency", "latency: ms= is required"),
        (
            "latency:ms=soon",
            "latency: ms must be a non-negative whole number, got \"soon\"",
        ),
        ("latency:ms=-5", "got \"-5\""),
        ("status", "status: code= is required"),
        ("status:code=200", "got 200"),
        (
            "status:code=503,colour=red",
            "status: unknown option \"colour\"",
        ),
        ("status:code=503,code=500", "code is given twice"),
        ("status:code", "expected key=value, got \"code\""),
        ("reset:times=0", "times must be at least 1"),
        (
            "reset:times=many",
            "times must be a non-negative whole number",
        ),
        ("reset:path=api", "path must start with '/'"),
        ("slow-drip:bytes=0", "slow-drip bytes must be at least 1"),
        ("huge-body:bytes=3", "huge-body bytes must be between"),
        ("latency:ms=99999999", "latency ms must be at most"),
    ];
    for (text, expected) in cases {
        let message = parse_error(text);
        assert!(message.contains(expected), "{text:?}: {message}");
    }
}
