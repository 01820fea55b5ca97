//! What the stand-alone benches share: a keep-alive HTTP/1.1 server that
//! runs in a child process (so the client's peak memory is its own), and
//! the process's memory figures from `/proc/self/status`.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

/// Environment variable that turns the bench binary into its own server.
const ROLE: &str = "ALIYUN_BENCH_SERVE";

/// How the server sends its one answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// `Content-Length`, the whole body in one write.
    Length,
    /// `Transfer-Encoding: chunked`, 64 KiB chunks.
    Chunked,
}

/// The server process; killed when dropped.
pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts this same binary as a server answering every request with the
/// body that `spec` names (passed to [`serve_if_asked`]'s `body` function
/// in the child).
pub fn spawn_server(spec: &str) -> ServerProcess {
    let exe = std::env::current_exe().expect("own path");
    let mut child = Command::new(exe)
        .env(ROLE, spec)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn server");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("server stdout");
    BufReader::new(stdout).read_line(&mut line).expect("server port");
    let port: u16 = line.trim().parse().expect("port number");
    ServerProcess { child, url: format!("http://127.0.0.1:{port}") }
}

/// In the child: serves forever and never returns. In the parent: returns.
/// `body` turns the spec into the status, body and framing to send.
pub fn serve_if_asked(body: impl Fn(&str) -> (u16, Vec<u8>, Framing)) {
    let Ok(spec) = std::env::var(ROLE) else {
        return;
    };
    let (status, body, framing) = body(&spec);
    let body = Arc::new(body);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    println!("{}", listener.local_addr().expect("addr").port());
    std::io::stdout().flush().expect("flush");
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let body = body.clone();
        std::thread::spawn(move || {
            let _ = connection(stream, status, &body, framing);
        });
    }
    std::process::exit(0);
}

fn connection(stream: TcpStream, status: u16, body: &[u8], framing: Framing) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut length = 0usize;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut request_body = vec![0; length];
        reader.read_exact(&mut request_body)?;
        match framing {
            Framing::Length => {
                let head = format!(
                    "HTTP/1.1 {status} OK\r\ncontent-type: application/json\r\nx-acs-request-id: bench-1\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                writer.write_all(head.as_bytes())?;
                writer.write_all(body)?;
            }
            Framing::Chunked => {
                let head = format!(
                    "HTTP/1.1 {status} OK\r\ncontent-type: application/json\r\nx-acs-request-id: bench-1\r\ntransfer-encoding: chunked\r\n\r\n"
                );
                writer.write_all(head.as_bytes())?;
                for chunk in body.chunks(64 * 1024) {
                    writer.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())?;
                    writer.write_all(chunk)?;
                    writer.write_all(b"\r\n")?;
                }
                writer.write_all(b"0\r\n\r\n")?;
            }
        }
        writer.flush()?;
    }
}

/// A line of `/proc/self/status` in KiB (`VmHWM`, `VmRSS`); 0 elsewhere.
pub fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// KiB as MiB with one decimal.
pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}
