//! A loopback TCP relay in front of the simulator that keeps every byte the app sent, so a
//! case can prove that no request carried a given token (or any token at all). The simulator
//! answers only requests that name it in `Host` (its DNS-rebinding guard), so the relay
//! forwards the app's bytes with its own address in them replaced by the simulator's.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The relay; it runs until the test's runtime ends.
pub struct Recorder {
    addr: SocketAddr,
    sent: Arc<Mutex<Vec<u8>>>,
}

impl Recorder {
    /// Starts a relay to `target`.
    pub async fn start(target: SocketAddr) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
        let addr = listener.local_addr().expect("relay address");
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = sent.clone();
        let readdress = Arc::new((addr.to_string(), target.to_string()));
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (log, readdress) = (log.clone(), readdress.clone());
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(target).await {
                        relay(client, server, log, &readdress).await;
                    }
                });
            }
        });
        Recorder { addr, sent }
    }

    /// The relay's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Forgets what was recorded so far.
    pub fn clear(&self) {
        if let Ok(mut sent) = self.sent.lock() {
            sent.clear();
        }
    }

    /// Everything the app sent since the last [`clear`](Self::clear), as text.
    pub fn sent(&self) -> String {
        self.sent
            .lock()
            .map(|sent| String::from_utf8_lossy(&sent).into_owned())
            .unwrap_or_default()
    }

    /// How many requests carried an `Authorization` header.
    pub fn authorized_requests(&self) -> usize {
        self.sent()
            .to_ascii_lowercase()
            .matches("\nauthorization:")
            .count()
    }
}

/// Copies both ways, keeping the client's bytes, and sending them on with the relay's
/// address (`readdress.0`) replaced by the server's (`readdress.1`). A request's head
/// arrives in one read here (the app's client writes it at once), so the address is not
/// split between two chunks.
async fn relay(
    mut client: TcpStream,
    mut server: TcpStream,
    log: Arc<Mutex<Vec<u8>>>,
    readdress: &(String, String),
) {
    let (mut client_read, mut client_write) = client.split();
    let (mut server_read, mut server_write) = server.split();
    let upstream = async {
        let mut buffer = vec![0u8; 16 * 1024];
        loop {
            let read = match client_read.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(read) => read,
            };
            let chunk = &buffer[..read];
            if let Ok(mut log) = log.lock() {
                log.extend_from_slice(chunk);
            }
            let forwarded = replace_all(chunk, readdress.0.as_bytes(), readdress.1.as_bytes());
            if server_write.write_all(&forwarded).await.is_err() {
                break;
            }
        }
        let _ = server_write.shutdown().await;
    };
    let downstream = async {
        let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
        let _ = client_write.shutdown().await;
    };
    tokio::join!(upstream, downstream);
}

/// `bytes` with every `from` replaced by `to`.
fn replace_all(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.windows(from.len()).position(|window| window == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}
