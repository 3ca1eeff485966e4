//! The live-reload stream: events per build, ids, base path, threads, shutdown.

use super::*;

#[test]
fn live_events_follow_the_builds() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    let live = server.live();
    assert_eq!(live.error(), None);

    let mut first = Events::open(addr, "/__dateline/live");
    assert_eq!(first.next().name, "ok");

    let message = "content/x.md:3: bad date";
    live.failed(message);
    assert_eq!(live.error().as_deref(), Some(message));
    let error = first.next();
    assert_eq!(error.name, "error");
    assert_eq!(error_message(&error), message);

    // A page opened while the build is failing learns it first.
    let mut second = Events::open(addr, "/__dateline/live");
    let state = second.next();
    assert_eq!(state.name, "error");
    assert_eq!(error_message(&state), message);

    live.rebuilt(ReloadKind::Page);
    assert_eq!(live.error(), None);
    for events in [&mut first, &mut second] {
        let reload = events.next();
        assert_eq!(reload.name, "reload");
        let ok = events.next();
        assert_eq!(ok.name, "ok");
        assert_eq!(ok.id, reload.id);
    }
    let mut third = Events::open(addr, "/__dateline/live");
    assert_eq!(third.next().name, "ok");

    live.rebuilt(ReloadKind::Stylesheets);
    for events in [&mut first, &mut second, &mut third] {
        assert_eq!(events.next().name, "css");
        assert_eq!(events.next().name, "ok");
    }
    server.shutdown();
}

#[test]
fn event_ids_count_rebuilds() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    let live = server.live();
    let mut events = Events::open(addr, "/__dateline/live");
    let start = events.next().id;
    live.failed("broken");
    assert_eq!(events.next().id, start, "a failure is not a rebuild");
    live.rebuilt(ReloadKind::Page);
    let after = events.next().id;
    assert_ne!(after, start);
    let (server_a, _) = start.rsplit_once('.').expect("id");
    let (server_b, _) = after.rsplit_once('.').expect("id");
    assert_eq!(server_a, server_b);
    server.shutdown();
}

#[test]
fn live_events_work_under_a_base_path() {
    let fixture = Fixture::new();
    let server = fixture.start("/repo");
    let mut events = Events::open(server.local_addr(), "/repo/__dateline/live");
    assert_eq!(events.next().name, "ok");
    server.live().rebuilt(ReloadKind::Stylesheets);
    assert_eq!(events.next().name, "css");
    server.shutdown();
}

#[test]
fn live_handle_is_usable_from_plain_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<crate::serve::LiveHandle>();

    let fixture = Fixture::new();
    let server = fixture.start("");
    let mut events = Events::open(server.local_addr(), "/__dateline/live");
    assert_eq!(events.next().name, "ok");
    let live = server.live();
    std::thread::spawn(move || live.failed("from the watcher"))
        .join()
        .expect("thread");
    assert_eq!(error_message(&events.next()), "from the watcher");
    server.shutdown();
}

#[test]
fn shutdown_closes_live_connections() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    let mut events = Events::open(addr, "/__dateline/live");
    assert_eq!(events.next().name, "ok");
    server.shutdown();
    assert!(events.ended());
    assert!(TcpStream::connect_timeout(&addr, TIMEOUT).is_err());
}

#[test]
fn head_of_the_live_stream_has_no_body() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let reply = send(server.local_addr(), "HEAD", "/__dateline/live");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "text/event-stream");
    assert!(reply.body.is_empty());
    server.shutdown();
}
