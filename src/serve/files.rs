//! Files from the output folder: path checks, content types, the 404 page, and the injection of
//! the live-reload script into HTML responses.

use std::cell::Cell;
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use axum::body::Body;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lol_html::html_content::{ContentType, Element, EndTag};
use lol_html::{HtmlRewriter, Settings, element, end, end_tag};
use percent_encoding::percent_decode_str;

use super::App;

/// Content type of our own plain-text answers.
pub(super) const PLAIN: &str = "text/plain; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

/// Serves `rest` (the request path below the base path, starting with `/`); `full` is the whole
/// request path, for redirects.
pub(super) async fn serve(
    app: &App,
    full: &str,
    rest: &str,
    query: Option<&str>,
    head: bool,
) -> Response {
    let segments = match url_segments(rest) {
        Ok(segments) => segments,
        Err(reason) => {
            return plain(
                StatusCode::BAD_REQUEST,
                &format!("400 Bad Request: {reason}\n"),
                head,
            );
        }
    };
    let root = match canonical_root(app).await {
        Ok(Some(root)) => root,
        Ok(None) => return plain_not_found(head),
        Err(error) => return internal_error(&error),
    };
    let mut target = root.clone();
    target.extend(&segments);
    let wants_folder = rest.ends_with('/');

    let found = match resolve(&root, &target).await {
        Ok(found) => found,
        Err(error) => return internal_error(&error),
    };
    match found {
        Some(Found::Folder(folder)) if wants_folder => {
            match resolve(&root, &folder.join("index.html")).await {
                Ok(Some(Found::File(file))) => {
                    file_response(app, &file, StatusCode::OK, head).await
                }
                Ok(_) => not_found(app, head).await,
                Err(error) => internal_error(&error),
            }
        }
        Some(Found::Folder(_)) => {
            let location = format!("/{}/", full.trim_start_matches('/'));
            let location = match query {
                Some(query) => format!("{location}?{query}"),
                None => location,
            };
            match HeaderValue::try_from(location) {
                Ok(value) => (StatusCode::PERMANENT_REDIRECT, [(LOCATION, value)]).into_response(),
                Err(error) => internal_error(&format!("bad redirect target: {error}")),
            }
        }
        Some(Found::File(file)) if !wants_folder => {
            file_response(app, &file, StatusCode::OK, head).await
        }
        _ => not_found(app, head).await,
    }
}

/// The site's `404.html` with status 404, or a plain 404 when the site has none.
pub(super) async fn not_found(app: &App, head: bool) -> Response {
    let root = match canonical_root(app).await {
        Ok(Some(root)) => root,
        Ok(None) => return plain_not_found(head),
        Err(error) => return internal_error(&error),
    };
    match resolve(&root, &root.join("404.html")).await {
        Ok(Some(Found::File(page))) => file_response(app, &page, StatusCode::NOT_FOUND, head).await,
        Ok(_) => plain_not_found(head),
        Err(error) => internal_error(&error),
    }
}

/// Logs `error` on one line and answers 500.
pub(super) fn internal_error(error: &str) -> Response {
    let line = error.replace(['\n', '\r'], " ");
    eprintln!("serve: {line}");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(CONTENT_TYPE, PLAIN)],
        "500 Internal Server Error\n",
    )
        .into_response()
}

/// Sets the Content-Length of a HEAD response, whose body is left empty.
pub(super) fn set_length(response: &mut Response, length: usize) {
    response
        .headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(length));
}

/// A response with `bytes` as body, or for HEAD no body but the same Content-Length.
fn body_response(status: StatusCode, content_type: &str, bytes: Vec<u8>, head: bool) -> Response {
    let length = bytes.len();
    let body = if head {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    let content_type = HeaderValue::from_str(content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let mut response = (
        status,
        [
            (CONTENT_TYPE, content_type),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        body,
    )
        .into_response();
    if head {
        set_length(&mut response, length);
    }
    response
}

fn plain(status: StatusCode, text: &str, head: bool) -> Response {
    body_response(status, PLAIN, text.as_bytes().to_vec(), head)
}

fn plain_not_found(head: bool) -> Response {
    plain(StatusCode::NOT_FOUND, "404 Not Found\n", head)
}

/// The decoded, checked segments of a URL path; empty segments (`//`) are skipped.
fn url_segments(path: &str) -> Result<Vec<String>, &'static str> {
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| "the path is not UTF-8")?;
    if decoded.contains(['\\', '\0']) {
        return Err("the path contains a backslash or a NUL");
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/').filter(|segment| !segment.is_empty()) {
        if segment == "." || segment == ".." {
            return Err("the path contains a dot segment");
        }
        if is_drive(segment) {
            return Err("the path contains a drive name");
        }
        segments.push(segment.to_string());
    }
    Ok(segments)
}

/// `C:`, `c:foo`: a segment Windows would read as a drive.
fn is_drive(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// The output folder as it is now (it may have been swapped since the last request); `None`
/// when there is none yet.
async fn canonical_root(app: &App) -> Result<Option<PathBuf>, String> {
    match tokio::fs::canonicalize(&*app.output).await {
        Ok(root) => Ok(Some(root)),
        Err(error) if is_missing(&error) => Ok(None),
        Err(error) => Err(format!("{}: {error}", app.output.display())),
    }
}

enum Found {
    File(PathBuf),
    Folder(PathBuf),
}

/// What `path` is, once symlinks are followed; `None` when it is missing, outside `root`, or
/// neither a regular file nor a folder.
async fn resolve(root: &Path, path: &Path) -> Result<Option<Found>, String> {
    let canonical = match tokio::fs::canonicalize(path).await {
        Ok(canonical) => canonical,
        Err(error) if is_missing(&error) => return Ok(None),
        Err(error) => return Err(format!("{}: {error}", path.display())),
    };
    if !canonical.starts_with(root) {
        return Ok(None);
    }
    let metadata = match tokio::fs::metadata(&canonical).await {
        Ok(metadata) => metadata,
        Err(error) if is_missing(&error) => return Ok(None),
        Err(error) => return Err(format!("{}: {error}", canonical.display())),
    };
    Ok(if metadata.is_dir() {
        Some(Found::Folder(canonical))
    } else if metadata.is_file() {
        Some(Found::File(canonical))
    } else {
        None
    })
}

fn is_missing(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

async fn file_response(app: &App, file: &Path, status: StatusCode, head: bool) -> Response {
    let bytes = match tokio::fs::read(file).await {
        Ok(bytes) => bytes,
        // Swapped away between the lookup and the read.
        Err(error) if is_missing(&error) => return plain_not_found(head),
        Err(error) => return internal_error(&format!("{}: {error}", file.display())),
    };
    let content_type = content_type(file);
    let bytes = if content_type.starts_with("text/html") {
        inject_script(&bytes, &app.script_tag).unwrap_or(bytes)
    } else {
        bytes
    };
    body_response(status, &content_type, bytes, head)
}

/// The Content-Type for `file`, with a charset for text.
pub(super) fn content_type(file: &Path) -> String {
    let extension = file
        .extension()
        .and_then(|extension| extension.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => return HTML.to_string(),
        "js" | "mjs" => return "text/javascript; charset=utf-8".to_string(),
        "json" | "map" => return "application/json".to_string(),
        "xml" => return "application/xml".to_string(),
        "webmanifest" => return "application/manifest+json".to_string(),
        _ => {}
    }
    let mime = mime_guess::from_ext(&extension).first_or_octet_stream();
    if mime.type_() == mime_guess::mime::TEXT && mime.get_param("charset").is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// `html` with `tag` at the end of `<head>`, else at the end of `<body>`, else at the end of
/// the document; `None` when lol_html fails.
pub(super) fn inject_script(html: &[u8], tag: &str) -> Option<Vec<u8>> {
    let inserted = Rc::new(Cell::new(false));
    let tag: Rc<str> = Rc::from(tag);
    let at_end_of = |selector: &'static str| {
        let inserted = inserted.clone();
        let tag = tag.clone();
        element!(selector, move |el: &mut Element| {
            let inserted = inserted.clone();
            let tag = tag.clone();
            el.on_end_tag(end_tag!(move |end: &mut EndTag<'_>| {
                if !inserted.get() {
                    end.before(&tag, ContentType::Html);
                    inserted.set(true);
                }
                Ok(())
            }))
        })
    };
    let head = at_end_of("head");
    let body = at_end_of("body");
    let document_inserted = inserted.clone();
    let document_tag = tag.clone();
    let settings = Settings::new()
        .with_strict(false)
        .append_element_content_handler(head)
        .append_element_content_handler(body)
        .append_document_content_handler(end!(move |end| {
            if !document_inserted.get() {
                end.append(&document_tag, ContentType::Html);
                document_inserted.set(true);
            }
            Ok(())
        }));
    let mut output = Vec::with_capacity(html.len() + tag.len());
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| output.extend_from_slice(chunk));
    rewriter.write(html).ok()?;
    rewriter.end().ok()?;
    Some(output)
}
