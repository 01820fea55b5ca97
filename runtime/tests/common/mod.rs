//! A hand-rolled HTTP/1.1 server on 127.0.0.1 for loopback tests: scripted
//! replies, recorded requests, keep-alive. It runs on its own thread and
//! runtime so async and blocking clients can both use it.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

/// One scripted response.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn new(status: u16, body: &str) -> Reply {
        Reply { status, headers: Vec::new(), body: body.to_owned(), delay: Duration::ZERO }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn query(&self, name: &str) -> Option<String> {
        let (_, query) = self.target.split_once('?')?;
        query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k == name).then(|| percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned())
        })
    }
}

pub struct Server {
    pub addr: std::net::SocketAddr,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    connections: Arc<AtomicUsize>,
}

impl Server {
    /// Serves `replies` in order; after they run out, repeats the last one.
    pub fn start(replies: Vec<Reply>) -> Server {
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let queue = Arc::new(Mutex::new(VecDeque::from(replies)));
        let (tx, rx) = std::sync::mpsc::channel();
        let (rec, conns) = (recorded.clone(), connections.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
                tx.send(listener.local_addr().expect("addr")).expect("send addr");
                let last = Arc::new(Mutex::new(Reply::new(200, "{}")));
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        break;
                    };
                    conns.fetch_add(1, Ordering::SeqCst);
                    let (rec, queue, last) = (rec.clone(), queue.clone(), last.clone());
                    tokio::spawn(async move {
                        let _ = serve(stream, rec, queue, last).await;
                    });
                }
            });
        });
        let addr = rx.recv().expect("server address");
        Server { addr, recorded, connections }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().expect("lock").clone()
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn serve(
    stream: tokio::net::TcpStream,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    queue: Arc<Mutex<VecDeque<Reply>>>,
    last: Arc<Mutex<Reply>>,
) -> std::io::Result<()> {
    // Without nodelay, delayed ACKs add ~40 ms per keep-alive exchange.
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default().to_owned();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).await?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        let len =
            headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body).await?;
        recorded.lock().expect("lock").push(Recorded { method, target, headers, body });
        let reply = {
            let next = queue.lock().expect("lock").pop_front();
            let mut last = last.lock().expect("lock");
            if let Some(r) = next {
                *last = r;
            }
            last.clone()
        };
        if !reply.delay.is_zero() {
            tokio::time::sleep(reply.delay).await;
        }
        let mut head = format!("HTTP/1.1 {} Scripted\r\ncontent-length: {}\r\n", reply.status, reply.body.len());
        for (k, v) in &reply.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        head.push_str(&reply.body);
        write.write_all(head.as_bytes()).await?;
        write.flush().await?;
    }
}

/// A hand-written stand-in for a generated response type.
#[derive(Debug, Default)]
pub struct ResumeOutput {
    pub request_id: Option<String>,
    pub result: Option<bool>,
    pub meta: aliyun_runtime::ResponseMeta,
}

impl aliyun_runtime::json::Decode for ResumeOutput {
    fn decode(object: &aliyun_runtime::json::Object<'_>) -> Self {
        ResumeOutput { request_id: object.member("RequestId"), result: object.member("Result"), meta: object.meta() }
    }
}

/// A hand-written stand-in for a generated error enum.
#[derive(Debug)]
pub enum ResumeError {
    InstanceNotFound(aliyun_runtime::ErrorDetails),
    Unknown(aliyun_runtime::ErrorDetails),
}

impl aliyun_runtime::OperationError for ResumeError {
    fn from_details(details: aliyun_runtime::ErrorDetails) -> Self {
        match details.code.as_str() {
            "InstanceNotFound" => ResumeError::InstanceNotFound(details),
            _ => ResumeError::Unknown(details),
        }
    }
    fn details(&self) -> &aliyun_runtime::ErrorDetails {
        match self {
            ResumeError::InstanceNotFound(d) | ResumeError::Unknown(d) => d,
        }
    }
}

pub static ES: aliyun_runtime::Service = aliyun_runtime::Service {
    code: "elasticsearch",
    version: "2017-06-13",
    endpoint: "elasticsearch.{region}.aliyuncs.com",
    vpc_endpoint: Some("elasticsearch-vpc.{region}.aliyuncs.com"),
    protocol: aliyun_runtime::Protocol::Roa,
    endpoint_exceptions: &[],
};

/// A ResumeLogstashTask request.
pub fn resume(instance: &str) -> aliyun_runtime::Request {
    let mut r = aliyun_runtime::Request::new("ResumeLogstashTask", aliyun_runtime::Method::Post);
    r.path_literal("/openapi/logstashes/");
    r.path_param("InstanceId", instance);
    r.path_literal("/actions/resume");
    r.client_token("clientToken");
    r
}

/// A config pointed at `server` with fast retries.
pub fn config(server: &Server) -> aliyun_runtime::ConfigBuilder {
    aliyun_runtime::Config::builder()
        .endpoint(server.url())
        .allow_http(true)
        .credentials(aliyun_runtime::Credentials::new("test-ak", "test-secret"))
        .retry(
            aliyun_runtime::RetryConfig::new()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(20)),
        )
}
