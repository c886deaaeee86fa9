//! The page's TypeScript types, generated from the Rust types (ts-rs) into
//! `ui/src/generated/bindings.ts`: every command's arguments and answer (`Commands`), the
//! events of the main window's channel (`AppEvent`), and every type they name. The test
//! fails when the committed file differs from what the Rust types say, so the page cannot
//! drift from the backend; `TS_UPDATE=1 cargo test -p telltale ts_bindings` rewrites it.
//!
//! The command table below is tied to the commands themselves: each entry is also a
//! function that calls its command with the listed argument types and takes the listed
//! answer type, so a changed signature stops this from compiling.

use crate::events::AppEvent;
use crate::export::Saved;
use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};
use std::marker::PhantomData;
use std::path::PathBuf;
use tauri::ipc::{Channel, Response};
use tauri::test::MockRuntime;
use telltale_core::accounts::{ProviderKind, SignInMethod};
use telltale_core::browse::{
    AccessWindowView, AnalysisView, CatalogView, DataView, ExportFormat, LatestView, LoadRequest,
    LoadSummary, PackedHeader, ResourceView, TargetPolar, ViewRequest,
};
use telltale_core::live::LiveStarted;
use telltale_core::multi::{AccountSignedIn, AccountSignedOut, AccountsOverview};
use telltale_core::tiles::MapTilesView;
use telltale_core::tokens::AccountView;
use telltale_core::AppError;
use telltale_live::LiveUpdate;
use ts_rs::{Config, TypeVisitor, TS};

include!("../../command_names.rs");

/// The committed file, from this crate's folder.
const BINDINGS: &str = "../ui/src/generated/bindings.ts";
/// What to run when the Rust types changed.
const UPDATE: &str = "TS_UPDATE=1 cargo test -p telltale --offline ts_bindings";

/// Stands for a parameter Tauri fills in (state, app handle) in the signature checks below,
/// which are compiled, never run.
fn injected<T>() -> T {
    unreachable!("only type-checked")
}

/// What a command answers the page: `T` of `Result<T, AppError>`, or nothing.
trait Answer {
    type Output;
}
impl<T> Answer for Result<T, AppError> {
    type Output = T;
}
impl Answer for () {
    type Output = ();
}
fn answer_of<A: Answer>(_: A) -> PhantomData<A::Output> {
    PhantomData
}

/// The TypeScript of a Rust type (its declarations collected), or the text given for it.
/// Whether an argument may be left out: an `Option` (Tauri reads a missing one as `None`).
macro_rules! optional {
    ($ty:ty, $text:literal) => {
        false
    };
    ($ty:ty) => {
        <$ty as TS>::IS_OPTION
    };
}

macro_rules! ts_of {
    ($collect:ident, $ty:ty, $text:literal) => {
        $text.to_string()
    };
    ($collect:ident, $ty:ty) => {{
        $collect.visit::<$ty>();
        <$ty as TS>::name($collect.cfg)
    }};
}

/// One entry per command: `async`/`sync`, its name (with the runtime of a generic one),
/// `_` for each parameter Tauri fills in, then the page's arguments and the answer; `as
/// "..."` gives the TypeScript of a type ts-rs cannot describe.
macro_rules! commands {
    (@async $($call:tt)*) => { $($call)*.await };
    (@sync $($call:tt)*) => { $($call)* };
    (@injected _) => { injected() };
    ($(
        $call:tt $name:ident $(::<$runtime:ty>)? ($($injected:tt),+ ; $($arg:ident : $ty:ty $(as $arg_ts:literal)?),*)
            -> $answer:ty $(as $answer_ts:literal)?;
    )*) => {
        /// The signatures, checked by the compiler.
        #[allow(dead_code)]
        mod signatures {
            use super::*;
            $(
                pub async fn $name($($arg: $ty),*) {
                    let _: PhantomData<$answer> = answer_of(commands!(
                        @$call crate::commands::$name $(::<$runtime>)?(
                            $(commands!(@injected $injected),)+ $($arg,)*
                        )
                    ));
                }
            )*
        }

        /// `name: { args: {...}; answer: ... };` per command, in the table's order.
        fn command_types(collect: &mut Collector<'_>) -> Vec<(&'static str, String)> {
            vec![$(
                (stringify!($name), {
                    let args: Vec<String> = vec![$(
                        format!(
                            "{}{}: {}",
                            camel_case(stringify!($arg)),
                            if optional!($ty $(, $arg_ts)?) { "?" } else { "" },
                            ts_of!(collect, $ty $(, $arg_ts)?),
                        )
                    ),*];
                    let args = if args.is_empty() {
                        "Record<string, never>".to_string()
                    } else {
                        format!("{{ {} }}", args.join("; "))
                    };
                    format!("{{ args: {args}; answer: {} }}", ts_of!(collect, $answer $(, $answer_ts)?))
                }),
            )*]
        }
    };
}

commands! {
    async app_status(_;) -> AccountsOverview;
    sync listen_app_events(_; channel: Channel<AppEvent> as "Channel<AppEvent>") -> ();
    async restore_account(_;) -> Option<AccountView>;
    async start_sign_in::<MockRuntime>(_, _; profile: Option<String>, method: Option<String>, via: Option<String>) -> ();
    async cancel_sign_in::<MockRuntime>(_, _;) -> ();
    async refresh_account(_;) -> AccountView;
    async sign_out(_; key: Option<String>, invalidate: Option<bool>) -> AccountSignedOut;
    async sign_in_with_password(_; profile: String, method: String, username: String, password: String) -> AccountSignedIn;
    async sign_in_with_token(_; profile: String, token: String) -> AccountSignedIn;
    async switch_account(_; key: String) -> Option<AccountView>;
    async browse_catalog(_;) -> CatalogView;
    async browse_resources(_; from: i64, to: i64) -> Vec<ResourceView>;
    async load_data::<MockRuntime>(_, _; request: LoadRequest) -> LoadSummary;
    async cancel_load(_;) -> bool;
    async data_view(_; request: ViewRequest) -> Response as "ArrayBuffer";
    async latest_values(_; serials: Vec<String>) -> Vec<LatestView>;
    async analyse_data(_; from: i64, to: i64) -> AnalysisView;
    sync set_target_polar(_; text: Option<String>) -> Option<TargetPolar>;
    async export_data::<MockRuntime>(_, _; format: ExportFormat, from: i64, to: i64) -> Option<Saved>;
    async register_device(_; serial: String, name: String) -> ();
    async open_data_window(_; serial: String, from: i64, to: i64) -> AccessWindowView;
    async close_data_window(_; id: u64) -> ();
    async live_start(_; serials: Vec<String>) -> LiveStarted;
    async live_next(_; id: u64, after: u64) -> LiveUpdate;
    async live_stop(_; id: u64) -> bool;
    async map_tiles(_;) -> MapTilesView;
    sync save_preference(_; name: String, value: Option<String>) -> ();
}

/// Collects the declaration of every type it visits and of everything they name.
struct Collector<'a> {
    cfg: &'a Config,
    seen: HashSet<TypeId>,
    /// TypeScript name → its declaration (with its doc comment), sorted by name.
    declarations: BTreeMap<String, String>,
}

impl TypeVisitor for Collector<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        if T::output_path().is_some() {
            let name = T::ident(self.cfg);
            let declaration = tidy(&format!(
                "{}export {}",
                T::docs().unwrap_or_default(),
                T::decl(self.cfg)
            ));
            if let Some(other) = self.declarations.insert(name.clone(), declaration.clone()) {
                assert_eq!(
                    other, declaration,
                    "two Rust types are both `{name}` in TypeScript; rename one with #[ts(rename)]"
                );
            }
        }
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}

/// A declaration as ts-rs writes it, with its fields (and their doc comments) indented
/// under the `export type` line, the closing brace on a line of its own and no trailing
/// spaces.
fn tidy(declaration: &str) -> String {
    let mut out = Vec::new();
    let mut inside = false;
    for line in declaration.lines().map(str::trim_end) {
        if !inside {
            inside = line.starts_with("export type ") && !line.ends_with(';');
            out.push(line.to_string());
        } else if let Some(last) = line.strip_suffix("};") {
            if !last.trim().is_empty() {
                out.push(format!("  {}", last.trim_end()));
            }
            out.push("};".to_string());
            inside = false;
        } else {
            out.push(format!("  {line}"));
        }
    }
    out.join("\n")
}

/// A Rust parameter's name as the page sends it (Tauri's default, camelCase).
fn camel_case(name: &str) -> String {
    let mut parts = name.split('_');
    let mut out = parts.next().unwrap_or_default().to_string();
    for part in parts {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The whole of `bindings.ts`.
fn bindings() -> String {
    // Times (ms) and counts are far below 2^53: plain numbers, not bigint.
    let cfg = Config::new().with_large_int("number");
    let mut collect = Collector {
        cfg: &cfg,
        seen: HashSet::new(),
        declarations: BTreeMap::new(),
    };
    let commands = command_types(&mut collect);
    // Not named by a command's types: the channel's events, the view `data_view` packs
    // (and the header of its packing), and every error kind.
    collect.visit::<AppEvent>();
    collect.visit::<DataView>();
    collect.visit::<PackedHeader>();
    collect.visit::<AppError>();

    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/tests/ts_bindings.rs; do not edit.\n",
    );
    out.push_str(&format!("// After changing them: {UPDATE}\n"));
    out.push_str("import type { Channel } from \"@tauri-apps/api/core\";\n");
    for declaration in collect.declarations.values() {
        out.push('\n');
        out.push_str(declaration);
        out.push('\n');
    }
    out.push_str(
        "\n/** Every command the main window may invoke: what it takes and what it answers. */\n",
    );
    out.push_str("export type Commands = {\n");
    for (name, types) in commands {
        out.push_str(&format!("  {name}: {types};\n"));
    }
    out.push_str("};\n");
    out
}

#[test]
fn the_committed_typescript_types_match_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(BINDINGS);
    let fresh = bindings();
    if std::env::var_os("TS_UPDATE").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("ui/src/generated");
        std::fs::write(&path, &fresh).expect("bindings.ts written");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == fresh {
        return;
    }
    let scratch = std::env::temp_dir().join(format!("telltale-ts-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a temporary folder");
    let regenerated = scratch.join("bindings.ts");
    std::fs::write(&regenerated, &fresh).expect("the regenerated bindings");
    let line = committed
        .lines()
        .zip(fresh.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(fresh.lines().count()));
    panic!(
        "ui/src/generated/bindings.ts differs from the Rust types from line {} on \
         (regenerated: {}). Update it with `{UPDATE}` and commit it.\n  committed: {}\n  \
         from Rust: {}",
        line + 1,
        regenerated.display(),
        committed.lines().nth(line).unwrap_or("(end of file)"),
        fresh.lines().nth(line).unwrap_or("(end of file)"),
    );
}

#[test]
fn the_table_names_every_registered_command_once() {
    let cfg = Config::new();
    let mut collect = Collector {
        cfg: &cfg,
        seen: HashSet::new(),
        declarations: BTreeMap::new(),
    };
    let mut table: Vec<&str> = command_types(&mut collect)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut registered = APP_COMMANDS.to_vec();
    table.sort_unstable();
    registered.sort_unstable();
    assert_eq!(table, registered);
}

/// `ProfileView.kind`, `MethodView.id` and `AccountSummary.method` are these enums' names
/// as strings; their TypeScript types are the enums', so the two spellings must agree.
#[test]
fn names_sent_as_strings_are_the_enums_serde_names() {
    for method in SignInMethod::ALL {
        assert_eq!(serde_json::json!(method), method.name());
    }
    for kind in [
        ProviderKind::Igtimi,
        ProviderKind::Iternio,
        ProviderKind::TokenApi,
        ProviderKind::Riot,
    ] {
        assert_eq!(serde_json::json!(kind), kind.name());
    }
}
