//! `igtimi-sim`: runs the Igtimi-compatible simulator from the command line.

use clap::Parser;
use igtimi_sim::config::{
    SimConfig, TokenLifetime, DEFAULT_MAX_DATA_SPAN_MS, DEFAULT_RIOT_DEVICE_PORT,
};
use igtimi_sim::demo::{self, Manifest};
use igtimi_sim::faults::FaultRule;
use igtimi_sim::riot::device::emulate::{self, EmulatorConfig};
use igtimi_sim::riot::device::{BindError, DEMO_DEVICE_GROUP_TOKEN};
use igtimi_sim::world::Client;
use igtimi_sim::Simulator;
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

/// An Igtimi-compatible server: OAuth2 (code + PKCE, token, password, client credentials,
/// refresh, revocation), the REST API under /api/v1/ with a generated regatta week of
/// YachtBot data, the username/password token API (POST /v1/oauth/), the Iternio OAuth2
/// dialect (/iternio/1/oauth/...), live data over WebSocket, the Riot dialect of today's
/// service (/security/api/restsecurity/... and /igtimi/api/v1/..., same users and data;
/// sign in with a username such as bob or an email), map tiles under OpenStreetMap's rules
/// (GET /tiles/{z}/{x}/{y}.png) and fault injection.
///
/// Admin endpoints (loopback peers only): GET|POST|DELETE /__admin/faults,
/// GET|DELETE /__admin/requests (requests counted per path),
/// POST /__admin/tokens/expire_all, POST /__admin/tokens/revoke {"token":..},
/// POST /__admin/clock/advance {"secs":..}, GET /__admin/demo.
///
/// YachtBots (riot server_address HOST PORT) and `igtimi-sim device` push data to the
/// Riot device port (6000 unless told otherwise).
#[derive(Parser, Debug)]
#[command(name = "igtimi-sim", version, verbatim_doc_comment)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Address to listen on. Keep it on loopback unless you mean to share the server.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,

    /// Also answers requests whose Host names NAME (a host name or IP address, no port).
    /// Loopback names and the --host address are always accepted; others get 421, which
    /// keeps web pages from reaching the server through DNS rebinding. Repeatable.
    #[arg(long, value_name = "NAME")]
    allow_host: Vec<String>,

    /// Port to listen on; 0 picks a free one (the address is printed).
    #[arg(long, default_value_t = 8080)]
    port: u16,

    /// Data set to serve. "demo": Kiel Week with four users, four devices and a week of 1 Hz data.
    #[arg(long, default_value = "demo", value_parser = ["demo"])]
    data: String,

    /// Seed of the demo world: the same seed gives the same client ids, secrets and tracks.
    #[arg(long, default_value_t = SimConfig::default().seed)]
    seed: u64,

    /// First day of the demo regatta week (UTC), as YYYY-MM-DD.
    #[arg(long, default_value = "2025-06-21", value_parser = parse_date_ms)]
    week_start: i64,

    /// Access tokens expire after SECS, with rotating refresh tokens. Default: tokens never
    /// expire, as Igtimi documents.
    #[arg(long, value_name = "SECS")]
    token_ttl: Option<u64>,

    /// Lifetime of an authorization code.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    code_ttl: u64,

    /// Keep never-expiring access tokens across restarts in FILE (their SHA-256 digests only).
    #[arg(long, value_name = "FILE")]
    remember_tokens: Option<std::path::PathBuf>,

    /// Longest span GET resources/data answers.
    #[arg(long, value_name = "DAYS", default_value_t = DEFAULT_MAX_DATA_SPAN_MS / 86_400_000)]
    max_span_days: i64,

    /// The Riot device port devices push data to, on the --host address; 0 picks a free
    /// one (the address is printed). Default 6000, or a free port when 6000 is taken.
    #[arg(long, value_name = "PORT")]
    riot_device_port: Option<u16>,

    /// Runs no Riot device port (GET server still names 6000).
    #[arg(long, conflicts_with = "riot_device_port")]
    no_device_port: bool,

    /// Registers another OAuth client: ID,SECRET,REDIRECT_URI[ REDIRECT_URI...]
    /// (an empty SECRET makes a public client). Repeatable.
    #[arg(long, value_name = "SPEC", value_parser = parse_client)]
    client: Vec<Client>,

    /// Injects a fault from the start. Repeatable. KIND[:key=value,...] with KIND one of
    /// latency (ms=), status (code=), html, malformed-json, truncated-json, reset,
    /// slow-drip (bytes=, interval=), huge-body (bytes=), missing-fields (fields=A+B; none:
    /// every top-level key); every kind also takes path=PREFIX
    /// and times=N. Example: --fault status:code=503,path=/api/,times=2
    #[arg(long, value_name = "RULE", verbatim_doc_comment, value_parser = parse_fault)]
    fault: Vec<FaultRule>,

    /// Prints the demo users (with passwords), registered clients (ids, secrets, redirect
    /// URIs) and devices as JSON, and exits.
    #[arg(long)]
    print_demo: bool,

    /// Prints only the listening address at start (no credentials).
    #[arg(long)]
    quiet: bool,

    /// Makes the sign-in form of the authorize endpoint run a hostile script that tries to
    /// reach the app showing the page and lists each attempt's outcome on the page.
    #[arg(long)]
    hostile_sign_in_page: bool,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Emulates a YachtBot: connects to a Riot device port, authenticates and sails a demo
    /// boat under SERIAL, answering heartbeats and reconnecting after 30 s of silence.
    Device(DeviceArgs),
}

#[derive(clap::Args, Debug)]
struct DeviceArgs {
    /// The device port, HOST:PORT (printed by the server at start).
    #[arg(long, value_name = "HOST:PORT")]
    server: String,

    /// The device-group token (any non-empty one; the demo's by default).
    #[arg(long, value_name = "T", default_value = DEMO_DEVICE_GROUP_TOKEN)]
    token: String,

    /// The serial number to send data under.
    #[arg(long)]
    serial: String,

    /// The demo boat to sail, by name or serial: Tern, Petrel, Skua or buoy.
    #[arg(long, value_name = "NAME", default_value = "Tern")]
    boat: String,

    /// Makes the boat a different one of its kind (its model's seed).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,

    /// Messages a second; over 1, positions and speeds are interpolated.
    #[arg(long, value_name = "HZ", default_value_t = 1.0)]
    rate: f64,

    /// Stops after SECS (default: at Ctrl-C).
    #[arg(long = "for", value_name = "SECS")]
    duration: Option<f64>,
}

/// `igtimi-sim device`: runs the emulator until its time is up or Ctrl-C.
async fn run_device(args: DeviceArgs) -> ExitCode {
    let Some(boat) = emulate::demo_boat(&args.boat, args.seed) else {
        eprintln!(
            "igtimi-sim device: the demo has no boat {:?} (try Tern, Petrel, Skua or buoy)",
            args.boat
        );
        return ExitCode::FAILURE;
    };
    let duration = match args.duration {
        None => None,
        Some(secs) => match std::time::Duration::try_from_secs_f64(secs) {
            Ok(d) => Some(d),
            Err(_) => {
                eprintln!("igtimi-sim device: --for needs a number of seconds, got {secs}");
                return ExitCode::FAILURE;
            }
        },
    };
    let mut config = EmulatorConfig::new(args.server, args.serial, boat);
    config.token = args.token;
    config.rate_hz = args.rate;
    config.duration = duration;
    println!(
        "igtimi-sim device {} sailing {} to {} at {} Hz",
        config.serial, config.boat.name, config.server, config.rate_hz
    );
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match emulate::emulate(config, stop).await {
        Ok(report) => {
            println!(
                "igtimi-sim device: {} connection(s), {} messages, {} points, {} heartbeats",
                report.connections, report.messages, report.points, report.heartbeats
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("igtimi-sim device: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Where the device port listens: as told, none, or 6000 (a free port when 6000 is taken,
/// so several servers on one machine start all the same).
fn device_listen(host: IpAddr, port: Option<u16>, none: bool) -> Option<SocketAddr> {
    if none {
        return None;
    }
    if let Some(port) = port {
        return Some(SocketAddr::new(host, port));
    }
    let usual = SocketAddr::new(host, DEFAULT_RIOT_DEVICE_PORT);
    match std::net::TcpListener::bind(usual) {
        Ok(_) => Some(usual),
        Err(e) => {
            eprintln!("igtimi-sim: the Riot device port {usual} is not free ({e}); using another");
            Some(SocketAddr::new(host, 0))
        }
    }
}

/// Parses YYYY-MM-DD into Unix milliseconds at 00:00 UTC.
fn parse_date_ms(text: &str) -> Result<i64, String> {
    let bad = || format!("expected a date as YYYY-MM-DD, got {text:?}");
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let (y, m, d): (i64, i64, i64) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1970..=9999).contains(&y) {
        return Err(bad());
    }
    // Days from the civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(days * 86_400_000)
}

fn parse_fault(spec: &str) -> Result<FaultRule, String> {
    spec.parse::<FaultRule>().map_err(|e| e.to_string())
}

fn parse_client(spec: &str) -> Result<Client, String> {
    let mut parts = spec.splitn(3, ',');
    let (Some(id), Some(secret), Some(uris)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("expected ID,SECRET,REDIRECT_URI[ REDIRECT_URI...]".into());
    };
    if id.trim().is_empty() || uris.trim().is_empty() {
        return Err("the client id and at least one redirect URI are required".into());
    }
    let secret = (!secret.is_empty()).then_some(secret);
    let mut client = Client::new(id, id.trim(), secret, uris);
    client.owner_id = demo::DEVELOPER;
    Ok(client)
}

fn print_credentials(base: &str, manifest: &Manifest) {
    println!("Demo users (email / Riot username / password):");
    for u in &manifest.users {
        println!(
            "  {:<20} {:<10} {:<12} {} — {}",
            u.email, u.username, u.password, u.name, u.role
        );
    }
    println!("Registered clients:");
    for c in &manifest.clients {
        println!("  {}", c.name);
        println!("    client_id     {}", c.client_id);
        if let Some(secret) = &c.client_secret {
            println!("    client_secret {secret}");
        }
        println!("    redirect_uris {}", c.redirect_uris.join(" "));
    }
    println!(
        "Riot: {base}{} (access_token, hello, login, ..) and {base}{} (devices, \
         data_access_windows, resources/data, ..)",
        manifest.riot.security, manifest.riot.api
    );
    println!(
        "Riot devices: device group token {} (any non-empty one is accepted)",
        manifest.riot.device_group_token
    );
    println!("Try: {base}/oauth/authorize?response_type=token&client_id=<client_id>&redirect_uri=urn:ietf:wg:oauth:2.0:oob");
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "igtimi_sim=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    if let Some(Command::Device(args)) = cli.command.take() {
        return run_device(args).await;
    }

    let config = SimConfig {
        seed: cli.seed,
        demo_week_start_ms: cli.week_start,
        token_lifetime: match cli.token_ttl {
            Some(secs) => TokenLifetime::Expiring { access_secs: secs },
            None => TokenLifetime::Never,
        },
        code_lifetime_secs: cli.code_ttl,
        max_data_span_ms: cli.max_span_days.saturating_mul(86_400_000),
        riot_device_listen: None,
        extra_clients: cli.client,
        extra_users: Vec::new(),
        extra_windows: Vec::new(),
        faults: cli.fault,
        remember_tokens: cli.remember_tokens,
        allowed_hosts: cli.allow_host,
        hostile_sign_in_page: cli.hostile_sign_in_page,
        ..SimConfig::default()
    };

    if cli.print_demo {
        let mut world = demo::world(config.seed, config.demo_week_start_ms);
        world.clients.extend(config.extra_clients);
        match serde_json::to_string_pretty(&demo::manifest(&world)) {
            Ok(json) => {
                println!("{json}");
                return ExitCode::SUCCESS;
            }
            Err(e) => {
                eprintln!("igtimi-sim: cannot print the demo: {e}");
                return ExitCode::FAILURE;
            }
        }
    }

    let mut config = config;
    config.riot_device_listen = device_listen(cli.host, cli.riot_device_port, cli.no_device_port);
    let sim = match Simulator::start_on(config, SocketAddr::new(cli.host, cli.port)).await {
        Ok(sim) => sim,
        Err(e) => {
            let device_port = e.get_ref().is_some_and(|inner| inner.is::<BindError>());
            match device_port {
                true => eprintln!("igtimi-sim: {e}"),
                false => eprintln!(
                    "igtimi-sim: cannot listen on {}:{}: {e}",
                    cli.host, cli.port
                ),
            }
            return ExitCode::FAILURE;
        }
    };
    let base = sim.base_url();
    println!("igtimi-sim listening on {base}");
    if let Some(devices) = sim.device_addr() {
        println!("igtimi-sim Riot device port on {devices}");
    }
    if !cli.quiet {
        print_credentials(&base, &sim.manifest());
    }
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("igtimi-sim: cannot wait for Ctrl-C: {e}");
    }
    sim.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_to_utc_midnight() {
        assert_eq!(parse_date_ms("1970-01-01"), Ok(0));
        assert_eq!(
            parse_date_ms("2025-06-21"),
            Ok(igtimi_sim::config::DEFAULT_WEEK_START_MS)
        );
        assert_eq!(parse_date_ms("2000-03-01"), Ok(951_868_800_000));
        assert!(parse_date_ms("2025-13-01").is_err());
        assert!(parse_date_ms("21/06/2025").is_err());
    }

    #[test]
    fn client_specs() {
        let c = parse_client("abc,,http://127.0.0.1/cb urn:ietf:wg:oauth:2.0:oob").unwrap();
        assert_eq!(c.client_id, "abc");
        assert_eq!(c.client_secret, None);
        assert_eq!(c.redirect_uris.len(), 2);
        assert!(parse_client("abc,secret").is_err());
    }
}
