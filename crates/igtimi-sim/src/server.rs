//! Assembles the routes and runs one simulator instance on a TCP listener.

#[cfg(feature = "testing")]
use crate::admin;
use crate::clock::Clock;
use crate::config::SimConfig;
use crate::demo::{self, data::DataStore, Manifest};
#[cfg(feature = "testing")]
use crate::faults::{self, Faults, RequestCounts};
use crate::host::{self, AllowedHosts};
#[cfg(feature = "testing")]
use crate::live::sockets::LiveFault;
use crate::live::sockets::LiveSockets;
use crate::live::LiveHub;
use crate::riot::state::RiotState;
use crate::store::Store;
use crate::world::World;
use crate::{api, oauth, riot, seeds};
use axum::extract::connect_info::Connected;
use axum::extract::Request;
use axum::serve::IncomingStream;
use axum::{middleware, Router, ServiceExt};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower::Layer;

/// Everything a request handler can see.
pub struct AppState {
    pub config: SimConfig,
    pub clock: Clock,
    pub world: World,
    pub data: DataStore,
    pub store: Store,
    /// The Riot dialect's tokens, sessions, accounts, devices and windows.
    pub riot: RiotState,
    /// New samples of every device, for the live readers ([`crate::live`]).
    pub live: LiveHub,
    /// The open live WebSockets of both dialects, ended at shutdown ([`crate::live`]).
    pub live_sockets: LiveSockets,
    /// Samples devices pushed over the Riot device port ([`riot::device`]).
    pub pushed: riot::pushed::PushedStore,
    #[cfg(feature = "testing")]
    pub faults: Faults,
    /// Requests received per path (admin paths excepted).
    #[cfg(feature = "testing")]
    pub requests: RequestCounts,
    /// The map tiles' request counts and `max-age`.
    #[cfg(feature = "tiles")]
    pub tiles: crate::tiles::TileState,
}

impl AppState {
    pub fn new(config: SimConfig) -> Self {
        let clock = Clock::default();
        let mut world = demo::world(config.seed, config.demo_week_start_ms);
        // The boats sail live on the day the clock shows now (or the configured one).
        let live_day = config.live_day_ms.unwrap_or_else(|| clock.now_ms());
        demo::live::add_live_days(&mut world, config.demo_week_start_ms, live_day);
        world.clients.extend(config.extra_clients.iter().cloned());
        world.users.extend(config.extra_users.iter().cloned());
        world.windows.extend(config.extra_windows.iter().cloned());
        let data = DataStore::new(&world);
        // The Riot side remembers its tokens beside the OAuth ones, in a file of its own.
        let riot_memory = config
            .remember_tokens
            .as_ref()
            .map(|path| path.with_extension("riot.json"));
        let riot =
            RiotState::remembering(&world, config.demo_week_start_ms, riot_memory.as_deref());
        riot.open_live_days(&world, demo::live::span(live_day));
        #[cfg(feature = "testing")]
        let faults = Faults::new(config.faults.clone());
        let store = match &config.remember_tokens {
            Some(path) => Store::remembering(path),
            None => Store::default(),
        };
        AppState {
            config,
            clock,
            world,
            data,
            store,
            riot,
            live: LiveHub::default(),
            live_sockets: LiveSockets::default(),
            pushed: Default::default(),
            #[cfg(feature = "testing")]
            faults,
            #[cfg(feature = "testing")]
            requests: RequestCounts::default(),
            #[cfg(feature = "tiles")]
            tiles: Default::default(),
        }
    }
}

/// Shared handle to the state, the router's state type.
pub type Shared = Arc<AppState>;

/// Who is on the other end of a connection: the peer address and, on Unix, the socket's
/// file descriptor (the connection-reset fault needs it to send a TCP RST).
#[derive(Clone, Copy, Debug)]
pub struct ConnInfo {
    pub peer: SocketAddr,
    #[cfg(unix)]
    pub fd: std::os::fd::RawFd,
}

impl Connected<IncomingStream<'_, TcpListener>> for ConnInfo {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        #[cfg(unix)]
        use std::os::fd::AsRawFd;
        ConnInfo {
            peer: *stream.remote_addr(),
            #[cfg(unix)]
            fd: stream.io().as_raw_fd(),
        }
    }
}

/// All routes, with the given state; with `testing`, also the admin routes, and every
/// request (unknown paths too) passes fault injection first.
pub fn router(state: Shared) -> Router {
    let routes = Router::new()
        .merge(oauth::router())
        .merge(api::router())
        .merge(riot::router(state.clone()))
        .merge(seeds::router());
    #[cfg(feature = "tiles")]
    let routes = routes.merge(crate::tiles::router());
    #[cfg(feature = "testing")]
    let routes = routes
        .merge(admin::router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::middleware,
        ));
    routes.with_state(state)
}

/// A running simulator. Dropping it stops the server.
pub struct Simulator {
    addr: SocketAddr,
    state: Shared,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    /// The Riot device port, when configured.
    device: Option<riot::device::DevicePort>,
}

impl Simulator {
    /// Starts on an ephemeral port of 127.0.0.1.
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts on the given address (port 0 picks a free one), with the Riot device port
    /// when [`SimConfig::riot_device_listen`] asks for one.
    pub async fn start_on(mut config: SimConfig, addr: SocketAddr) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let device_listener = match config.riot_device_listen {
            Some(at) => Some(riot::device::bind(at).await?),
            None => None,
        };
        if let Some(bound) = &device_listener {
            config.riot_device_listen = Some(bound.local_addr()?);
        }
        let allowed = Arc::new(AllowedHosts::new(addr, &config.allowed_hosts));
        let state: Shared = Arc::new(AppState::new(config));
        let device = device_listener.map(|l| riot::device::DevicePort::spawn(l, state.clone()));
        // The demo boats' ticker: asleep until a live reader comes, ended at shutdown.
        tokio::spawn(crate::live::demo::run(
            state.clone(),
            state.live_sockets.stopping(),
        ));
        let routes = router(state.clone());
        // The Host check comes first, so a misdirected request reaches nothing (not even
        // the request counts); method override wraps the router, so it acts before routing.
        let app = middleware::from_fn_with_state(allowed, host::middleware)
            .layer(middleware::from_fn(crate::api::method_override::layer).layer(routes));
        let (tx, rx) = oneshot::channel::<()>();
        let service = ServiceExt::<Request>::into_make_service_with_connect_info::<ConnInfo>(app);
        let task = tokio::spawn(async move {
            let result = axum::serve(listener, service)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = result {
                tracing::error!("simulator stopped: {e}");
            }
        });
        Ok(Simulator {
            addr,
            state,
            shutdown: Some(tx),
            task: Some(task),
            device,
        })
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where the Riot device port listens; `None` without one.
    pub fn device_addr(&self) -> Option<SocketAddr> {
        self.device.as_ref().map(|d| d.addr())
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The shared state (world, tokens, clock; faults with `testing`).
    pub fn state(&self) -> &Shared {
        &self.state
    }

    /// Fault injection rules of this instance.
    #[cfg(feature = "testing")]
    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    /// Requests this instance received per path (admin paths excepted).
    #[cfg(feature = "testing")]
    pub fn requests(&self) -> &RequestCounts {
        &self.state.requests
    }

    /// The map tiles' request counts and `max-age`.
    #[cfg(feature = "tiles")]
    pub fn tiles(&self) -> &crate::tiles::TileState {
        &self.state.tiles
    }

    /// Demo users with passwords, registered clients and devices.
    pub fn manifest(&self) -> Manifest {
        demo::manifest(&self.state.world)
    }

    /// The demo's registration of the Telltale app (client id, secret, redirect URIs).
    pub fn telltale_client(&self) -> Option<crate::world::Client> {
        self.state
            .world
            .clients
            .iter()
            .find(|client| client.name == demo::TELLTALE_CLIENT_NAME)
            .cloned()
    }

    /// Makes every access token issued so far expire now; returns how many.
    pub fn expire_all_tokens(&self) -> usize {
        self.state.store.expire_all(self.state.clock.now_secs())
    }

    /// Revokes one access or refresh token; returns whether it existed.
    pub fn revoke_token(&self, token: &str) -> bool {
        self.state.store.force_revoke(token)
    }

    /// Moves the simulator's clock forward (token and code expiry follow it).
    pub fn advance_clock(&self, secs: i64) {
        self.state.clock.advance_secs(secs)
    }

    /// Stops accepting connections and waits for the server task to finish.
    pub async fn shutdown(mut self) {
        if let Some(device) = self.device.take() {
            device.shutdown().await;
        }
        // Upgraded connections outlive axum's graceful shutdown: the live sockets are told
        // to close themselves, and waited for briefly.
        self.state.live_sockets.shut_down();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.state.live_sockets.wait_closed(LIVE_CLOSE_WAIT).await;
    }

    /// Makes every open live WebSocket (both dialects) misbehave as `fault` says; returns
    /// how many sockets it reached. See [`LiveFault`].
    #[cfg(feature = "testing")]
    pub fn live_fault(&self, fault: LiveFault) -> usize {
        self.state.live_sockets.fault(fault)
    }
}

/// How long `shutdown` waits for live sockets to send their close frames.
const LIVE_CLOSE_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

impl Drop for Simulator {
    fn drop(&mut self) {
        self.state.live_sockets.shut_down();
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
