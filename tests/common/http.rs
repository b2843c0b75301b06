//! A local HTTP server on 127.0.0.1 that serves a folder: the stand-in for
//! release downloads and platform APIs (tests make no network calls).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub struct Server {
    pub root: tempfile::TempDir,
    pub port: u16,
    /// Every request line received, as "GET /path".
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Serves files under `root` (GET only; 404 for anything missing). The
    /// listening thread lives as long as the test process.
    pub fn start() -> Server {
        let root = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (dir, log) = (root.path().to_path_buf(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (dir, log) = (dir.clone(), log.clone());
                std::thread::spawn(move || serve(stream, &dir, &log));
            }
        });
        Server {
            root,
            port,
            requests,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Writes a file the server will serve at `/rel`.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let path = self.root.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub fn requested(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(mut stream: TcpStream, root: &Path, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // Headers up to the blank line; the body of a GET is empty.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let mut words = request.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or("/"));
    log.lock().unwrap().push(format!("{method} {target}"));
    let rel = target.split('?').next().unwrap().trim_start_matches('/');
    let file = root.join(rel);
    let body = (!rel.contains("..") && file.is_file())
        .then(|| std::fs::read(&file).ok())
        .flatten();
    let (status, body) = match body {
        Some(bytes) => ("200 OK", bytes),
        None => ("404 Not Found", b"not found\n".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}
