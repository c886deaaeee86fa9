//! A tiny real HTTP server on 127.0.0.1:0 that answers each connection with canned bytes,
//! so tests exercise the client over real TCP, including broken answers no framework sends.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use url::Url;

/// How the canned server answers.
#[derive(Clone)]
pub enum Answer {
    /// Write these bytes, then close.
    Raw(Vec<u8>),
    /// Write the head, then stream `total` bytes of `filler` until done or the client leaves.
    Stream { head: String, total: u64 },
    /// Accept, read the request, and never answer.
    Silent,
}

/// A complete HTTP/1.1 answer with a correct `Content-Length`.
pub fn http(status: &str, content_type: &str, body: &str) -> Answer {
    Answer::Raw(
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// A JSON `200 OK` answer.
pub fn json_ok(body: &str) -> Answer {
    http("200 OK", "application/json", body)
}

/// A running canned server: its base URL and the heads of the requests it received.
pub struct Canned {
    pub base: Url,
    pub requests: mpsc::UnboundedReceiver<String>,
}

/// Starts a server that gives `answer` to every connection.
pub async fn serve(answer: Answer) -> Canned {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let port = listener.local_addr().expect("local addr").port();
    let (sender, requests) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let answer = answer.clone();
            let sender = sender.clone();
            tokio::spawn(async move {
                let head = read_head(&mut socket).await;
                let _ = sender.send(head);
                match answer {
                    Answer::Raw(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.shutdown().await;
                    }
                    Answer::Stream { head, total } => {
                        if socket.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let chunk = vec![b' '; 64 * 1024];
                        let mut sent = 0u64;
                        while sent < total {
                            if socket.write_all(&chunk).await.is_err() {
                                return;
                            }
                            sent += chunk.len() as u64;
                        }
                    }
                    Answer::Silent => tokio::time::sleep(Duration::from_secs(30)).await,
                }
            });
        }
    });
    Canned {
        base: Url::parse(&format!("http://127.0.0.1:{port}")).expect("loopback URL"),
        requests,
    }
}

/// Reads the request head (up to the blank line); the client sends no body on GET.
async fn read_head(socket: &mut tokio::net::TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        match socket.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// A port on which nothing listens (bound, then released).
pub async fn closed_port_url() -> Url {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let port = listener.local_addr().expect("local addr").port();
    drop(listener);
    Url::parse(&format!("http://127.0.0.1:{port}")).expect("loopback URL")
}
