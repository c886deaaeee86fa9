//! The TypeScript type of [`AppError`] (feature `ts`): its `Serialize` is written by hand as
//! `{kind, message}`, so the derive cannot see its shape; `kind` is the union of
//! [`AppError::KINDS`], so the page's checks of a kind are checked by the compiler too.

use crate::AppError;
use std::path::PathBuf;
use ts_rs::{Config, TypeVisitor, TS};

/// The union of every [`AppError::kind`].
pub struct ErrorKind;

impl TS for ErrorKind {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;

    fn docs() -> Option<String> {
        Some(ts_rs::format_docs(&[
            " What an error is, in a word the page can switch on.",
        ]))
    }

    fn name(_: &Config) -> String {
        "ErrorKind".to_owned()
    }

    fn inline(_: &Config) -> String {
        AppError::KINDS
            .iter()
            .map(|kind| format!("\"{kind}\""))
            .collect::<Vec<_>>()
            .join(" | ")
    }

    fn decl(cfg: &Config) -> String {
        format!("type ErrorKind = {};", Self::inline(cfg))
    }

    fn decl_concrete(cfg: &Config) -> String {
        Self::decl(cfg)
    }

    fn output_path() -> Option<PathBuf> {
        Some(PathBuf::from("ErrorKind.ts"))
    }
}

impl TS for AppError {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;

    fn docs() -> Option<String> {
        Some(ts_rs::format_docs(&[
            " What every failing command rejects with; `message` is ready to show as it is.",
        ]))
    }

    fn name(_: &Config) -> String {
        "AppError".to_owned()
    }

    fn inline(_: &Config) -> String {
        "{ kind: ErrorKind, message: string, }".to_owned()
    }

    fn decl(cfg: &Config) -> String {
        format!("type AppError = {};", Self::inline(cfg))
    }

    fn decl_concrete(cfg: &Config) -> String {
        Self::decl(cfg)
    }

    fn visit_dependencies(visitor: &mut impl TypeVisitor) {
        visitor.visit::<ErrorKind>();
    }

    fn output_path() -> Option<PathBuf> {
        Some(PathBuf::from("AppError.ts"))
    }
}
