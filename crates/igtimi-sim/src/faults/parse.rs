//! The text form of a fault rule (command line, admin endpoint) and rule validation.

use super::{FaultKind, FaultRule};
use std::fmt;
use std::str::FromStr;

/// Default size of the huge-body fault: 100 MiB.
pub const DEFAULT_HUGE_BODY_BYTES: u64 = 100 * 1024 * 1024;
/// Smallest huge body: room for `{"data":[` and `]}` and a little more.
pub const MIN_HUGE_BODY_BYTES: u64 = 16;
/// Largest huge body: 64 GiB, far more than any client should accept.
pub const MAX_HUGE_BODY_BYTES: u64 = 64 * 1024 * 1024 * 1024;
/// Longest delay a latency or slow-drip fault may add per step: ten minutes.
pub const MAX_DELAY_MS: u64 = 600_000;
/// Most keys one missing-fields fault may name.
pub const MAX_MISSING_FIELDS: usize = 64;
/// Longest key a missing-fields fault may name, in bytes.
pub const MAX_FIELD_NAME_BYTES: usize = 200;
/// What separates the keys of a missing-fields fault in the text form (a comma separates
/// options there): `missing-fields:fields=access_token+expires_in`.
pub const FIELD_SEPARATOR: char = '+';

/// Why a fault rule was refused; the message names the offending part.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("bad fault rule: {0}")]
pub struct FaultParseError(pub String);

fn err<T>(message: impl Into<String>) -> Result<T, FaultParseError> {
    Err(FaultParseError(message.into()))
}

impl FaultRule {
    /// Checks the values of a rule however it was made (parsed, deserialized, built).
    pub fn validate(&self) -> Result<(), FaultParseError> {
        if let Some(prefix) = &self.path_prefix {
            if !prefix.starts_with('/') {
                return err(format!("path must start with '/', got {prefix:?}"));
            }
        }
        if self.times == Some(0) {
            return err("times must be at least 1");
        }
        match &self.kind {
            FaultKind::Latency { ms } if *ms > MAX_DELAY_MS => err(format!(
                "latency ms must be at most {MAX_DELAY_MS}, got {ms}"
            )),
            FaultKind::Status { code } | FaultKind::HtmlError { code }
                if !(400..=599).contains(code) =>
            {
                err(format!(
                    "code must be an error status 400..=599, got {code}"
                ))
            }
            FaultKind::SlowDrip {
                bytes_per_chunk, ..
            } if *bytes_per_chunk == 0 => err("slow-drip bytes must be at least 1"),
            FaultKind::SlowDrip { interval_ms, .. } if *interval_ms > MAX_DELAY_MS => err(format!(
                "slow-drip interval must be at most {MAX_DELAY_MS} ms, got {interval_ms}"
            )),
            FaultKind::HugeBody { bytes }
                if !(MIN_HUGE_BODY_BYTES..=MAX_HUGE_BODY_BYTES).contains(bytes) =>
            {
                err(format!(
                    "huge-body bytes must be between {MIN_HUGE_BODY_BYTES} and \
                     {MAX_HUGE_BODY_BYTES}, got {bytes}"
                ))
            }
            FaultKind::MissingFields { fields } => check_field_names(fields),
            _ => Ok(()),
        }
    }
}

fn check_field_names(fields: &[String]) -> Result<(), FaultParseError> {
    if fields.len() > MAX_MISSING_FIELDS {
        return err(format!(
            "missing-fields names at most {MAX_MISSING_FIELDS} keys, got {}",
            fields.len()
        ));
    }
    for field in fields {
        if field.is_empty() {
            return err("missing-fields: a key name is empty");
        }
        if field.len() > MAX_FIELD_NAME_BYTES {
            return err(format!(
                "missing-fields: key names are at most {MAX_FIELD_NAME_BYTES} bytes long"
            ));
        }
        if field.contains(FIELD_SEPARATOR) || field.contains(',') || field.contains('=') {
            return err(format!(
                "missing-fields: key {field:?} contains '{FIELD_SEPARATOR}', ',' or '='"
            ));
        }
    }
    Ok(())
}

/// The `key=value` options after the colon, each to be used once.
struct Options<'a> {
    kind: &'a str,
    pairs: Vec<(&'a str, &'a str, bool)>,
}

impl<'a> Options<'a> {
    fn parse(kind: &'a str, text: Option<&'a str>) -> Result<Self, FaultParseError> {
        let mut pairs: Vec<(&str, &str, bool)> = Vec::new();
        for part in text.into_iter().flat_map(|t| t.split(',')) {
            let part = part.trim();
            let Some((key, value)) = part.split_once('=') else {
                return err(format!("{kind}: expected key=value, got {part:?}"));
            };
            let key = key.trim();
            if pairs.iter().any(|(k, _, _)| *k == key) {
                return err(format!("{kind}: {key} is given twice"));
            }
            pairs.push((key, value.trim(), false));
        }
        Ok(Options { kind, pairs })
    }

    fn take(&mut self, key: &str) -> Option<&'a str> {
        let pair = self.pairs.iter_mut().find(|(k, _, _)| *k == key)?;
        pair.2 = true;
        Some(pair.1)
    }

    fn number<T: FromStr>(&mut self, key: &str) -> Result<Option<T>, FaultParseError> {
        let kind = self.kind;
        match self.take(key) {
            None => Ok(None),
            Some(value) => value.parse().map(Some).or_else(|_| {
                err(format!(
                    "{kind}: {key} must be a non-negative whole number, got {value:?}"
                ))
            }),
        }
    }

    fn required<T: FromStr>(&mut self, key: &str) -> Result<T, FaultParseError> {
        let kind = self.kind;
        self.number(key)?
            .map_or_else(|| err(format!("{kind}: {key}= is required")), Ok)
    }

    fn finish(self) -> Result<(), FaultParseError> {
        match self.pairs.iter().find(|(_, _, used)| !used) {
            Some((key, _, _)) => err(format!("{}: unknown option {key:?}", self.kind)),
            None => Ok(()),
        }
    }
}

/// Parses the command-line form of a rule:
///
/// ```text
/// RULE    = KIND [ ":" OPTION { "," OPTION } ]
/// OPTION  = KEY "=" VALUE
/// ```
///
/// | kind | options (defaults) |
/// |---|---|
/// | `latency` | `ms` (required) |
/// | `status` | `code` (required, 400..=599) |
/// | `html` (or `html-error`) | `code` (500) |
/// | `malformed-json` | |
/// | `truncated-json` | |
/// | `reset` | |
/// | `slow-drip` | `bytes` per chunk (16), `interval` in ms (50) |
/// | `huge-body` | `bytes` (104857600) |
/// | `missing-fields` | `fields`: keys joined by `+` (none: every top-level key) |
///
/// Every kind also takes `path=/prefix` (only paths starting with it) and `times=N` (retire
/// after N hits). Examples: `latency:ms=250`, `status:code=503,path=/api/,times=2`,
/// `slow-drip:bytes=16,interval=50`, `missing-fields:fields=access_token+expires_in`. Errors name the kind and the bad option.
impl FromStr for FaultRule {
    type Err = FaultParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (kind_name, rest) = match text.split_once(':') {
            Some((kind, rest)) => (kind.trim(), Some(rest)),
            None => (text, None),
        };
        let mut options = Options::parse(kind_name, rest)?;
        let kind = match kind_name {
            "latency" => FaultKind::Latency {
                ms: options.required("ms")?,
            },
            "status" => FaultKind::Status {
                code: options.required("code")?,
            },
            "html" | "html-error" => FaultKind::HtmlError {
                code: options.number("code")?.unwrap_or(500),
            },
            "malformed-json" => FaultKind::MalformedJson,
            "truncated-json" => FaultKind::TruncatedJson,
            "reset" => FaultKind::Reset,
            "slow-drip" => FaultKind::SlowDrip {
                bytes_per_chunk: options.number("bytes")?.unwrap_or(16),
                interval_ms: options.number("interval")?.unwrap_or(50),
            },
            "huge-body" => FaultKind::HugeBody {
                bytes: options.number("bytes")?.unwrap_or(DEFAULT_HUGE_BODY_BYTES),
            },
            "missing-fields" => FaultKind::MissingFields {
                fields: options
                    .take("fields")
                    .map(|list| {
                        list.split(FIELD_SEPARATOR)
                            .map(|f| f.trim().to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            "" => return err("missing fault kind"),
            other => {
                return err(format!(
                    "unknown fault kind {other:?} (expected latency, status, html, \
                     malformed-json, truncated-json, reset, slow-drip, huge-body or missing-fields)"
                ))
            }
        };
        let path_prefix = options.take("path").map(str::to_string);
        let times = options.number("times")?;
        options.finish()?;
        let rule = FaultRule {
            kind,
            path_prefix,
            times,
        };
        rule.validate()?;
        Ok(rule)
    }
}

/// Writes the rule in the form [`FaultRule::from_str`] reads.
impl fmt::Display for FaultRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut options: Vec<String> = Vec::new();
        let name = match &self.kind {
            FaultKind::Latency { ms } => {
                options.push(format!("ms={ms}"));
                "latency"
            }
            FaultKind::Status { code } => {
                options.push(format!("code={code}"));
                "status"
            }
            FaultKind::HtmlError { code } => {
                options.push(format!("code={code}"));
                "html"
            }
            FaultKind::MalformedJson => "malformed-json",
            FaultKind::TruncatedJson => "truncated-json",
            FaultKind::Reset => "reset",
            FaultKind::SlowDrip {
                bytes_per_chunk,
                interval_ms,
            } => {
                options.push(format!("bytes={bytes_per_chunk}"));
                options.push(format!("interval={interval_ms}"));
                "slow-drip"
            }
            FaultKind::HugeBody { bytes } => {
                options.push(format!("bytes={bytes}"));
                "huge-body"
            }
            FaultKind::MissingFields { fields } => {
                if !fields.is_empty() {
                    options.push(format!("fields={}", fields.join("+")));
                }
                "missing-fields"
            }
        };
        if let Some(prefix) = &self.path_prefix {
            options.push(format!("path={prefix}"));
        }
        if let Some(times) = self.times {
            options.push(format!("times={times}"));
        }
        f.write_str(name)?;
        if !options.is_empty() {
            write!(f, ":{}", options.join(","))?;
        }
        Ok(())
    }
}
