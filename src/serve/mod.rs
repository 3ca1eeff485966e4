//! The preview server (`dateline serve`): serves the built output folder over HTTP on loopback
//! and keeps open pages in step with the watcher through a Server-Sent Events channel.
//!
//! The server runs on its own tokio runtime in a background thread, so the caller (the CLI and
//! the watcher) stays plain synchronous code: [`Server::start`] binds and returns, and the
//! watcher reports each rebuild through a [`LiveHandle`].
//!
//! Every HTML response gets a small script (`live.js`) injected; the script listens on
//! `<base>/__dateline/live` and reloads the page, re-fetches its stylesheets, or shows the build
//! error in an overlay. The files on disk are never changed.

mod files;
mod live;
#[cfg(test)]
mod tests;

use std::net::{SocketAddr, TcpListener as StdTcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;

pub use live::{LiveHandle, ReloadKind};

/// Where the injected script and the event stream live, below the base path.
const LIVE_PATH: &str = "/__dateline/live";
const SCRIPT_PATH: &str = "/__dateline/live.js";

/// The client script, served at `<base>/__dateline/live.js`.
const LIVE_JS: &str = include_str!("live.js");

/// How long [`Server::shutdown`] waits for open connections to finish before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The built site; the folder at this path may be replaced whole between requests (atomic
    /// rename swap) so resolve it per request.
    pub output: PathBuf,
    /// Path part of the site's base_url without trailing slash: "" or e.g. "/repo".
    pub base_path: String,
    /// Where to listen; the CLI defaults it to 127.0.0.1:1111. Port 0 = pick a free port.
    pub addr: SocketAddr,
}

/// A running preview server. Dropping it shuts it down like [`Server::shutdown`].
pub struct Server {
    local_addr: SocketAddr,
    base_path: String,
    live: LiveHandle,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds synchronously (so a bind error is returned here, with the address in the message),
    /// then serves on a background tokio runtime (own threads).
    pub fn start(options: ServeOptions) -> Result<Server> {
        let base_path = normalize_base(&options.base_path);
        let listener = StdTcpListener::bind(options.addr)
            .with_context(|| format!("cannot listen on {}", options.addr))?;
        let local_addr = listener
            .local_addr()
            .with_context(|| format!("cannot listen on {}", options.addr))?;
        listener
            .set_nonblocking(true)
            .with_context(|| format!("cannot listen on {local_addr}"))?;

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("dateline-serve")
            .enable_all()
            .build()
            .context("cannot start the preview server's runtime")?;
        let listener = {
            let _context = runtime.enter();
            tokio::net::TcpListener::from_std(listener)
                .with_context(|| format!("cannot listen on {local_addr}"))?
        };

        let live = LiveHandle::new();
        let (stop, stopped) = watch::channel(false);
        let app = App {
            output: Arc::new(options.output),
            script_tag: Arc::from(format!(
                r#"<script src="{base_path}{SCRIPT_PATH}" defer></script>"#
            )),
            base_path: Arc::from(base_path.as_str()),
            live: live.clone(),
            stopped: stopped.clone(),
        };
        let router = Router::new().fallback(handle).with_state(app);

        let thread = std::thread::Builder::new()
            .name("dateline-serve".to_string())
            .spawn(move || {
                runtime.block_on(run(listener, router, stopped));
                runtime.shutdown_timeout(Duration::from_secs(1));
            })
            .context("cannot start the preview server's thread")?;

        Ok(Server {
            local_addr,
            base_path,
            live,
            stop,
            thread: Some(thread),
        })
    }

    /// The address the server listens on (with the real port when port 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Root URL of the site, e.g. "http://127.0.0.1:1111/repo/".
    pub fn url(&self) -> String {
        format!("http://{}{}/", self.local_addr, self.base_path)
    }

    /// The handle through which the watcher reports rebuilds to open pages.
    pub fn live(&self) -> LiveHandle {
        self.live.clone()
    }

    /// Stops accepting, closes live connections, joins the runtime.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        self.stop.send_replace(true);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            eprintln!("serve: the server thread panicked");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// Serves until `stopped` turns true, then gives open connections [`SHUTDOWN_GRACE`] to end.
async fn run(listener: tokio::net::TcpListener, router: Router, stopped: watch::Receiver<bool>) {
    let mut signal = stopped.clone();
    let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
        let _ = signal.wait_for(|stop| *stop).await;
    });
    let mut deadline = stopped;
    let grace = async move {
        let _ = deadline.wait_for(|stop| *stop).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        result = serve.into_future() => {
            if let Err(error) = result {
                eprintln!("serve: {error}");
            }
        }
        () = grace => {}
    }
}

/// "" stays "", "repo/" and "/repo/" become "/repo".
fn normalize_base(base: &str) -> String {
    let trimmed = base.trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

/// What every request handler shares.
#[derive(Clone)]
struct App {
    output: Arc<PathBuf>,
    base_path: Arc<str>,
    script_tag: Arc<str>,
    live: LiveHandle,
    stopped: watch::Receiver<bool>,
}

/// The one handler: routing by hand keeps the base path, the 405s and the no-store header in
/// one place.
async fn handle(State(app): State<App>, request: Request) -> Response {
    let mut response = route(&app, request.method(), request.uri()).await;
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn route(app: &App, method: &Method, uri: &axum::http::Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(ALLOW, "GET, HEAD"), (CONTENT_TYPE, files::PLAIN)],
            "405 Method Not Allowed\n",
        )
            .into_response();
    }
    let head = method == Method::HEAD;
    let path = uri.path();
    let query = uri.query();
    let base = &*app.base_path;

    let inside = if base.is_empty() {
        Some(path)
    } else {
        path.strip_prefix(base)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    let Some(rest) = inside else {
        if path == "/" {
            return redirect(StatusCode::TEMPORARY_REDIRECT, &format!("{base}/"), query);
        }
        return files::not_found(app, head).await;
    };
    match rest {
        "" => redirect(StatusCode::PERMANENT_REDIRECT, &format!("{base}/"), query),
        LIVE_PATH => live::respond(app, head),
        SCRIPT_PATH => {
            let body = if head {
                Body::empty()
            } else {
                Body::from(LIVE_JS)
            };
            let mut response =
                ([(CONTENT_TYPE, "text/javascript; charset=utf-8")], body).into_response();
            files::set_length(&mut response, LIVE_JS.len());
            response
        }
        _ => files::serve(app, path, rest, query, head).await,
    }
}

/// A redirect to `location` (a path), keeping the query.
fn redirect(status: StatusCode, location: &str, query: Option<&str>) -> Response {
    let target = match query {
        Some(query) => format!("{location}?{query}"),
        None => location.to_string(),
    };
    match HeaderValue::try_from(target) {
        Ok(value) => (status, [(LOCATION, value)]).into_response(),
        Err(error) => files::internal_error(&format!("bad redirect target: {error}")),
    }
}
