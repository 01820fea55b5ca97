//! A blocking HTTP/1.1 server whose answers are raw bytes, shared by the
//! hostile-response tests and the tracing redaction test.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aliyun_runtime::json::{Decode, Object};
use aliyun_runtime::{
    Config, ConfigBuilder, Credentials, Error, ErrorDetails, Method, Request, RetryConfig, Service, ServiceClient,
};

pub static ES: Service = Service {
    code: "elasticsearch",
    version: "2017-06-13",
    endpoint: "elasticsearch.{region}.aliyuncs.com",
    vpc_endpoint: None,
    protocol: aliyun_runtime::Protocol::Roa,
    endpoint_exceptions: &[],
};

/// Fake credentials, recognisable in any output they leak into.
pub const SECRET: &str = "FAKE-SECRET-4f1d2b";
pub const TOKEN: &str = "FAKE-STS-TOKEN-9c3e7a";

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub at: Instant,
}

/// Writes the answer to request number `index` (0-based, over the whole
/// server); returns whether the connection may serve another request.
pub type Script = dyn Fn(usize, &mut TcpStream) -> std::io::Result<bool> + Send + Sync;

/// A blocking HTTP/1.1 server on its own threads whose answers are raw
/// bytes, so it can break the protocol in ways a real server library
/// would not let it.
pub struct Hostile {
    addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Hostile {
    pub fn start(script: impl Fn(usize, &mut TcpStream) -> std::io::Result<bool> + Send + Sync + 'static) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let shared = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                let (seen, script) = (shared.clone(), script.clone());
                std::thread::spawn(move || serve(stream, &seen, &*script));
            }
        });
        Hostile { addr, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }

    pub fn config(&self) -> ConfigBuilder {
        Config::builder()
            .endpoint(format!("http://{}", self.addr))
            .allow_http(true)
            .credentials(Credentials::new("fake-id", SECRET).with_security_token(TOKEN))
            .retry(RetryConfig::new().initial_backoff(Duration::from_millis(1)).max_backoff(Duration::from_millis(20)))
    }

    pub fn client(&self) -> ServiceClient {
        ServiceClient::new(&self.config().build(), &ES)
    }
}

pub fn serve(stream: TcpStream, seen: &Mutex<Vec<Seen>>, script: &Script) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let method = line.split_whitespace().next().unwrap_or_default().to_owned();
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let index = {
            let mut seen = seen.lock().expect("lock");
            seen.push(Seen { method, at: Instant::now() });
            seen.len() - 1
        };
        match script(index, &mut stream) {
            Ok(true) => continue,
            _ => return,
        }
    }
}

/// Writes a complete answer with a `Content-Length`.
pub fn answer(stream: &mut TcpStream, status: u16, headers: &[(&str, &str)], body: &[u8]) -> std::io::Result<bool> {
    let mut head = format!("HTTP/1.1 {status} Hostile\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;
    Ok(true)
}

/// Streams a chunked body of `total` bytes of JSON-ish filler in 64 KiB
/// chunks, counting what was written, until done or the client goes away.
pub fn flood(stream: &mut TcpStream, status: u16, total: u64, written: &AtomicU64) -> std::io::Result<bool> {
    let head = format!("HTTP/1.1 {status} Hostile\r\ntransfer-encoding: chunked\r\nx-acs-request-id: flood-1\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    let chunk = r#"{"tagKey":"k","tagValue":"v"},"#.repeat(64 * 1024 / 30);
    let mut sent = 0u64;
    while sent < total {
        stream.write_all(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes())?;
        sent += chunk.len() as u64;
        written.store(sent, Ordering::SeqCst);
    }
    stream.write_all(b"0\r\n\r\n")?;
    Ok(false)
}

/// A stand-in for a generated response type.
#[derive(Debug, Default)]
pub struct Output {
    pub request_id: Option<String>,
    pub port: Option<i32>,
}

impl Decode for Output {
    fn decode(object: &Object<'_>) -> Self {
        Output { request_id: object.member("RequestId"), port: object.member("Port") }
    }
}

pub fn post() -> Request {
    let mut request = Request::new("UpdateThing", Method::Post);
    request.path_literal("/openapi/things");
    request
}

pub fn get() -> Request {
    let mut request = Request::new("DescribeThing", Method::Get);
    request.path_literal("/openapi/things");
    request
}

pub async fn call(client: &ServiceClient, request: Request) -> Result<Output, Error<ErrorDetails>> {
    client.send::<Output, ErrorDetails>(request).await
}
