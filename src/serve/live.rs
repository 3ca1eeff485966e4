//! The live-reload channel: the watcher reports rebuilds through a [`LiveHandle`]; open pages
//! follow them over Server-Sent Events at `<base>/__dateline/live`.
//!
//! Every event carries the id `<server>.<rebuilds>`: a page that was disconnected (a hidden tab,
//! a lagging connection) sees from the first state event after it is back whether it missed a
//! rebuild of this same server, and reloads only then.

use std::convert::Infallible;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::watch;

use super::App;

/// How many events a slow connection may fall behind before it is sent the current state.
const CHANNEL_CAPACITY: usize = 64;
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How soon a page reconnects after losing the server (e.g. a restart).
const RETRY: Duration = Duration::from_secs(1);

/// What a successful rebuild changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReloadKind {
    /// Anything: open pages reload.
    Page,
    /// Only stylesheets: open pages re-fetch them and keep their state (scroll, open details).
    Stylesheets,
}

/// Reports rebuilds to open pages. Cheap to clone; usable from plain threads.
#[derive(Clone)]
pub struct LiveHandle {
    inner: Arc<Live>,
}

struct Live {
    state: Mutex<LiveState>,
    events: broadcast::Sender<Message>,
    /// Tells this server's events from a later server's after a restart.
    instance: String,
}

struct LiveState {
    error: Option<String>,
    rebuilds: u64,
}

#[derive(Debug, Clone)]
enum Kind {
    Reload,
    Css,
    Error(String),
    Ok,
}

#[derive(Debug, Clone)]
struct Message {
    kind: Kind,
    rebuilds: u64,
}

impl LiveHandle {
    pub(super) fn new() -> LiveHandle {
        let (events, _) = broadcast::channel(CHANNEL_CAPACITY);
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let instance = format!(
            "{:x}{:x}",
            started.as_nanos() & 0xffff_ffff_ffff,
            std::process::id()
        );
        LiveHandle {
            inner: Arc::new(Live {
                state: Mutex::new(LiveState {
                    error: None,
                    rebuilds: 0,
                }),
                events,
                instance,
            }),
        }
    }

    /// A rebuild succeeded: clears any error and tells every open page to reload (or, for
    /// Stylesheets, to re-fetch its stylesheets without reloading).
    pub fn rebuilt(&self, kind: ReloadKind) {
        let mut state = self.state();
        state.error = None;
        state.rebuilds += 1;
        let kind = match kind {
            ReloadKind::Page => Kind::Reload,
            ReloadKind::Stylesheets => Kind::Css,
        };
        // Sent under the lock, so every connection sees events in the order of the calls. An
        // error only means nobody is listening.
        let _ = self.inner.events.send(Message {
            kind,
            rebuilds: state.rebuilds,
        });
        let _ = self.inner.events.send(Message {
            kind: Kind::Ok,
            rebuilds: state.rebuilds,
        });
    }

    /// A rebuild failed: the last good site keeps being served, and every open page (and every
    /// page loaded from now on) shows `message` in an overlay until the next `rebuilt`.
    pub fn failed(&self, message: &str) {
        let mut state = self.state();
        state.error = Some(message.to_string());
        let _ = self.inner.events.send(Message {
            kind: Kind::Error(message.to_string()),
            rebuilds: state.rebuilds,
        });
    }

    /// Current error, if any (for tests and the terminal).
    pub fn error(&self) -> Option<String> {
        self.state().error.clone()
    }

    fn state(&self) -> MutexGuard<'_, LiveState> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The current state as an event: `error` while a build is failing, else `ok`.
    fn current(&self) -> Message {
        let state = self.state();
        Message {
            kind: match &state.error {
                Some(message) => Kind::Error(message.clone()),
                None => Kind::Ok,
            },
            rebuilds: state.rebuilds,
        }
    }

    fn event(&self, message: &Message) -> Event {
        let (name, data) = match &message.kind {
            Kind::Reload => ("reload", "{}".to_string()),
            Kind::Css => ("css", "{}".to_string()),
            Kind::Ok => ("ok", "{}".to_string()),
            Kind::Error(text) => ("error", serde_json::json!({ "message": text }).to_string()),
        };
        Event::default()
            .event(name)
            .id(format!("{}.{}", self.inner.instance, message.rebuilds))
            .data(data)
    }

    /// The current state, then every event until the server stops.
    fn stream(
        &self,
        stopped: watch::Receiver<bool>,
    ) -> impl Stream<Item = Result<Event, Infallible>> + use<> {
        // Subscribe before reading the state, so nothing falls between the two.
        let receiver = self.inner.events.subscribe();
        let first = self.event(&self.current()).retry(RETRY);
        let live = self.clone();
        futures_util::stream::unfold(
            (Some(first), receiver, stopped, live),
            |(first, mut receiver, mut stopped, live)| async move {
                if let Some(first) = first {
                    return Some((Ok(first), (None, receiver, stopped, live)));
                }
                let message = tokio::select! {
                    _ = stopped.wait_for(|stop| *stop) => return None,
                    received = receiver.recv() => match received {
                        Ok(message) => message,
                        Err(RecvError::Lagged(_)) => live.current(),
                        Err(RecvError::Closed) => return None,
                    },
                };
                let event = live.event(&message);
                Some((Ok(event), (None, receiver, stopped, live)))
            },
        )
    }
}

/// `GET/HEAD <base>/__dateline/live`.
pub(super) fn respond(app: &App, head: bool) -> Response {
    if head {
        return (
            [(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"))],
            (),
        )
            .into_response();
    }
    Sse::new(app.live.stream(app.stopped.clone()))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response()
}
