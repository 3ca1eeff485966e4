//! Serving the output folder: types, folders, base path, injection, 404, traversal, methods.

use super::*;

#[test]
fn serves_files_with_their_types() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    for (path, expected) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/data.json", "application/json"),
        ("/feed.xml", "application/xml"),
        ("/table.csv", "text/csv; charset=utf-8"),
        ("/logo.svg", "image/svg+xml"),
        ("/index.html", "text/html; charset=utf-8"),
    ] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), expected, "{path}");
        assert_eq!(reply.header("cache-control"), "no-store", "{path}");
    }
    let css = get(addr, "/style.css?v=abc");
    assert_eq!(css.text(), "body { color: black }\n");
    server.shutdown();
}

#[test]
fn folders_serve_index_and_redirect_without_slash() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();

    let root = get(addr, "/");
    assert_eq!(root.status, 200);
    assert!(root.text().contains("<p>home</p>"));

    let events = get(addr, "/events/");
    assert_eq!(events.status, 200);
    assert!(events.text().contains("events"));

    let redirect = get(addr, "/events?page=2");
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), "/events/?page=2");
    assert_eq!(redirect.header("cache-control"), "no-store");

    // No protocol-relative redirect out of a doubled slash.
    let doubled = get(addr, "//events");
    assert_eq!(doubled.status, 308);
    assert_eq!(doubled.header("location"), "/events/");

    // A folder without index.html, and a file asked for as a folder.
    assert_eq!(get(addr, "/events/no-index/").status, 404);
    assert_eq!(get(addr, "/style.css/").status, 404);
    server.shutdown();
}

#[test]
fn base_path_redirects_root_and_refuses_outside() {
    let fixture = Fixture::new();
    let server = fixture.start("/repo");
    let addr = server.local_addr();
    assert_eq!(server.url(), format!("http://{addr}/repo/"));

    let root = get(addr, "/");
    assert_eq!(root.status, 307);
    assert_eq!(root.header("location"), "/repo/");

    let bare = get(addr, "/repo");
    assert_eq!(bare.status, 308);
    assert_eq!(bare.header("location"), "/repo/");

    let home = get(addr, "/repo/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("<p>home</p>"));
    assert!(
        home.text()
            .contains(r#"<script src="/repo/__dateline/live.js" defer></script></head>"#)
    );
    assert_eq!(get(addr, "/repo/style.css").status, 200);
    assert_eq!(get(addr, "/repo/__dateline/live.js").status, 200);

    assert_eq!(get(addr, "/other").status, 404);
    assert_eq!(get(addr, "/repository/").status, 404);
    assert_eq!(get(addr, "/style.css").status, 404);
    assert_eq!(get(addr, "/__dateline/live.js").status, 404);
    server.shutdown();
}

#[test]
fn url_without_base_path() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    assert_eq!(
        server.url(),
        format!("http://127.0.0.1:{}/", server.local_addr().port())
    );
    server.shutdown();
}

#[test]
fn script_is_injected_into_html_only() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();

    let page = get(addr, "/index.html");
    let expected = INDEX.replace("</head>", &format!("{TAG}</head>"));
    assert_eq!(page.text(), expected);
    assert_eq!(page.header("content-length"), expected.len().to_string());
    assert_eq!(page.body.len(), expected.len());

    for path in ["/style.css", "/app.js"] {
        let reply = get(addr, path);
        assert!(!reply.text().contains("__dateline"), "{path}");
        let on_disk = std::fs::read(fixture.site().join(&path[1..])).expect("read");
        assert_eq!(reply.body, on_disk, "{path}");
        assert_eq!(reply.header("content-length"), on_disk.len().to_string());
    }

    let head = send(addr, "HEAD", "/index.html");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), expected.len().to_string());
    assert!(head.body.is_empty());
    server.shutdown();
}

#[test]
fn injection_falls_back_to_body_then_document_end() {
    assert_eq!(
        inject_script(
            b"<html><head><title>t</title></head><body>x</body></html>",
            TAG
        )
        .map(String::from_utf8),
        Some(Ok(format!(
            "<html><head><title>t</title>{TAG}</head><body>x</body></html>"
        )))
    );
    assert_eq!(
        inject_script(b"<html><body><p>x</p></body></html>", TAG).map(String::from_utf8),
        Some(Ok(format!("<html><body><p>x</p>{TAG}</body></html>")))
    );
    assert_eq!(
        inject_script(b"<p>fragment</p>", TAG).map(String::from_utf8),
        Some(Ok(format!("<p>fragment</p>{TAG}")))
    );
    // A head without an end tag: the script goes to the end of the body, once.
    assert_eq!(
        inject_script(b"<head><title>t</title><body>x</body>", TAG).map(String::from_utf8),
        Some(Ok(format!("<head><title>t</title><body>x{TAG}</body>")))
    );
    // Markup inside a script is not a head.
    let tricky = b"<head><script>var s = '</head>';</script></head><body></body>";
    let out = String::from_utf8(inject_script(tricky, TAG).expect("rewrites")).expect("UTF-8");
    assert_eq!(out.matches(TAG).count(), 1);
    assert!(out.contains(&format!("{TAG}</head><body>")));
}

#[test]
fn missing_files_get_the_404_page() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();

    let missing = get(addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), "text/html; charset=utf-8");
    let expected = NOT_FOUND.replace("</head>", &format!("{TAG}</head>"));
    assert_eq!(missing.text(), expected);
    assert_eq!(missing.header("content-length"), expected.len().to_string());

    std::fs::remove_file(fixture.site().join("404.html")).expect("remove 404.html");
    let plain = get(addr, "/no-such-file.css");
    assert_eq!(plain.status, 404);
    assert!(plain.header("content-type").starts_with("text/plain"));
    server.shutdown();
}

#[test]
fn traversal_is_refused() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    for (target, expected) in [
        ("/../secret.txt", 400),
        ("/../etc/passwd", 400),
        ("/%2e%2e/%2e%2e/etc/passwd", 400),
        ("/%2e%2e/secret.txt", 400),
        ("/..%2fsecret.txt", 400),
        ("/..%2fsecret", 400),
        ("/a/..%5c..%5csecret", 400),
        ("/a/..%5c..%5csecret.txt", 400),
        ("/%5c..%5csecret.txt", 400),
        ("/%00", 400),
        ("/index.html%00.css", 400),
        ("/C:/Windows/win.ini", 400),
        ("/./index.html", 400),
        ("/%ff", 400),
        ("//etc/passwd", 404),
        ("/etc/passwd", 404),
    ] {
        let reply = get(addr, target);
        assert_eq!(reply.status, expected, "{target}");
        let text = reply.text();
        assert!(!text.contains("TOPSECRET"), "{target}");
        assert!(!text.contains("root:"), "{target}");
    }
    server.shutdown();
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_folder_are_refused() {
    let fixture = Fixture::new();
    let outside = fixture.dir.path().join("secret.txt");
    std::os::unix::fs::symlink(&outside, fixture.site().join("leak.txt")).expect("symlink");
    std::os::unix::fs::symlink(fixture.dir.path(), fixture.site().join("up")).expect("symlink");
    // Links that stay inside are fine.
    std::os::unix::fs::symlink(
        fixture.site().join("style.css"),
        fixture.site().join("alias.css"),
    )
    .expect("symlink");
    let server = fixture.start("");
    let addr = server.local_addr();
    for target in ["/leak.txt", "/up/secret.txt", "/up/"] {
        let reply = get(addr, target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!reply.text().contains("TOPSECRET"), "{target}");
    }
    assert_eq!(get(addr, "/alias.css").status, 200);
    server.shutdown();
}

#[test]
fn only_get_and_head_are_allowed() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let reply = send(addr, method, "/index.html");
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), "GET, HEAD");
    }
    assert_eq!(send(addr, "POST", "/__dateline/live").status, 405);
    server.shutdown();
}

#[test]
fn client_script_is_served() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let reply = get(server.local_addr(), "/__dateline/live.js");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(reply.header("cache-control"), "no-store");
    let script = reply.text();
    assert_eq!(script, crate::serve::LIVE_JS);
    assert!(script.contains("EventSource"));
    assert!(script.contains("textContent"));
    assert!(!script.contains("innerHTML"));
    server.shutdown();
}

#[test]
fn bind_errors_name_the_address() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("address");
    let fixture = Fixture::new();
    let error = Server::start(ServeOptions {
        output: fixture.site(),
        base_path: String::new(),
        addr,
    })
    .err()
    .expect("the port is taken");
    assert!(
        format!("{error:#}").contains(&addr.to_string()),
        "{error:#}"
    );
}

#[test]
fn the_output_folder_is_resolved_per_request() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    assert!(get(addr, "/").text().contains("<p>home</p>"));

    // What the builder does: a new folder, swapped in whole.
    let next = fixture.dir.path().join("next");
    std::fs::create_dir(&next).expect("create");
    std::fs::write(
        next.join("index.html"),
        "<html><head></head><body>second</body></html>",
    )
    .expect("write");
    let old = fixture.dir.path().join("old");
    std::fs::rename(fixture.site(), &old).expect("rename");
    std::fs::rename(&next, fixture.site()).expect("rename");

    let reply = get(addr, "/");
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("second"));
    server.shutdown();
}

#[test]
fn serving_never_writes_to_the_output() {
    fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.expect("walk");
            if entry.file_type().is_file() {
                let bytes = std::fs::read(entry.path()).expect("read");
                files.insert(entry.path().to_path_buf(), bytes);
            }
        }
        files
    }
    let fixture = Fixture::new();
    let before = snapshot(fixture.dir.path());
    let server = fixture.start("");
    let addr = server.local_addr();
    for target in [
        "/",
        "/index.html",
        "/events/",
        "/missing",
        "/style.css",
        "/../secret.txt",
    ] {
        get(addr, target);
    }
    let live = server.live();
    live.failed("broken");
    live.rebuilt(ReloadKind::Page);
    server.shutdown();
    assert_eq!(snapshot(fixture.dir.path()), before);
}

#[test]
fn content_types() {
    for (file, expected) in [
        ("a.html", "text/html; charset=utf-8"),
        ("a.HTM", "text/html; charset=utf-8"),
        ("a.js", "text/javascript; charset=utf-8"),
        ("a.css", "text/css; charset=utf-8"),
        ("a.json", "application/json"),
        ("a.xml", "application/xml"),
        ("a.csv", "text/csv; charset=utf-8"),
        ("a.svg", "image/svg+xml"),
        ("a.png", "image/png"),
        ("a.woff2", "font/woff2"),
        ("a.txt", "text/plain; charset=utf-8"),
        ("CNAME", "application/octet-stream"),
    ] {
        assert_eq!(content_type(Path::new(file)), expected, "{file}");
    }
}
