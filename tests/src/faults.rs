//! A misbehaving HTTP server on 127.0.0.1 for fault tests: it answers each connection with a
//! scripted misbehaviour (slow, reset, truncated, raw bytes). It stops when dropped.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with every request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Waits this long before answering with `response`.
    Slow(Duration, Vec<u8>),
    /// Resets the connection (TCP RST) once the request has arrived.
    Reset,
    /// Sends exactly these bytes (a whole or partial HTTP response), then closes.
    Raw(Vec<u8>),
}

/// A running fault server.
#[derive(Debug)]
pub struct FaultServer {
    address: std::net::SocketAddr,
    requests: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultServer {
    /// Starts a server doing `fault` on every connection. Call from inside a Tokio runtime.
    pub async fn start(fault: Fault) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let fault = fault.clone();
                let counter = Arc::clone(&counter);
                tokio::spawn(async move { serve(stream, fault, &counter).await });
            }
        });
        Self {
            address,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    #[must_use]
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// How many requests arrived.
    #[must_use]
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, fault: Fault, requests: &AtomicUsize) {
    if !read_request(&mut stream).await {
        return;
    }
    requests.fetch_add(1, Ordering::SeqCst);
    match fault {
        Fault::Slow(delay, response) => {
            tokio::time::sleep(delay).await;
            let _ = stream.write_all(&response).await;
        }
        Fault::Reset => {
            // Linger 0: closing sends RST instead of FIN. (Deprecated because a non-zero linger
            // blocks on drop; zero never does.)
            #[allow(deprecated)]
            let _ = stream.set_linger(Some(Duration::ZERO));
        }
        Fault::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.flush().await;
        }
    }
}

/// Reads one request (headers and a `Content-Length` body); false if the peer went away.
async fn read_request(stream: &mut TcpStream) -> bool {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 4096];
    loop {
        let Ok(read) = stream.read(&mut chunk).await else {
            return false;
        };
        if read == 0 {
            return false;
        }
        buffer.extend_from_slice(&chunk[..read]);
        let Some(end) = find(&buffer, b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .and_then(|value| value.trim().parse::<usize>().ok())
            .unwrap_or(0);
        if buffer.len() >= end + 4 + length {
            return true;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// An HTTP/1.1 response with these parts, closing the connection after it.
#[must_use]
pub fn http_response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}
