//! Tera templates: the default theme compiled into the binary, overridden file by file by a
//! site's own `templates/` folder, plus the filters the theme needs.

use std::io::Write;
use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use tera::{Kwargs, State, Tera, TeraResult};

/// Where the embedded defaults live inside Tera. A site template named `entry.html` shadows
/// `__dateline/entry.html` because Tera only falls back to the prefix when the exact name is
/// missing.
const DEFAULT_PREFIX: &str = "__dateline/";

/// The default theme, as (name, source). `dateline init --templates` copies these out.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("month.html", include_str!("../templates/month.html")),
    ("undated.html", include_str!("../templates/undated.html")),
    ("event.html", include_str!("../templates/event.html")),
    (
        "event_summary.html",
        include_str!("../templates/event_summary.html"),
    ),
    ("entry.html", include_str!("../templates/entry.html")),
    ("taxonomy.html", include_str!("../templates/taxonomy.html")),
    ("term.html", include_str!("../templates/term.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("atom.xml", include_str!("../templates/atom.xml")),
];

/// Builds the template set for the site at `root`.
pub fn load(root: &Path) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.set_fallback_prefixes([DEFAULT_PREFIX])
        .map_err(|e| anyhow!("{e}"))?;
    // Filters must be registered before templates are added: Tera 2 checks filter names when it
    // compiles a template.
    tera.register_filter("date", date_filter);
    tera.add_raw_templates(
        DEFAULT_TEMPLATES
            .iter()
            .map(|(name, source)| (format!("{DEFAULT_PREFIX}{name}"), *source)),
    )
    .map_err(|e| anyhow!("{e}"))
    .context("A built-in template failed to compile (this is a bug in dateline)")?;
    for (name, source) in site_templates(root)? {
        tera.add_raw_template(&name, &source)
            .map_err(|e| anyhow!("{e}"))
            .with_context(|| format!("Template `templates/{name}` has an error"))?;
    }
    Ok(tera)
}

/// Reads every file under `root/templates`, named by its path relative to that folder.
fn site_templates(root: &Path) -> Result<Vec<(String, String)>> {
    let dir = root.join("templates");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut templates = Vec::new();
    for item in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let item = item.with_context(|| format!("Couldn't list `{}`", dir.display()))?;
        let is_hidden = item.file_name().to_string_lossy().starts_with('.');
        if !item.file_type().is_file() || is_hidden {
            continue;
        }
        let relative = item.path().strip_prefix(&dir).unwrap_or(item.path());
        let name = relative.to_string_lossy().replace('\\', "/");
        let source = std::fs::read_to_string(item.path())
            .with_context(|| format!("Couldn't read template `{}`", item.path().display()))?;
        templates.push((name, source));
    }
    Ok(templates)
}

/// Renders `name`, turning Tera's error into one that names the template (Tera's report already
/// carries the line and a source excerpt). A page may take [`render_deadline`] and write
/// [`MAX_PAGE_BYTES`]: a template looping over a huge list, or loops nested inside each other,
/// is stopped with an error naming it instead of hanging the build or filling the memory.
pub fn render(tera: &Tera, name: &str, context: &tera::Context) -> Result<String> {
    let limits = Limits {
        deadline: render_deadline(),
        max_bytes: MAX_PAGE_BYTES,
    };
    let _watched = watchdog::watch(describe(tera, name), limits.deadline * 2);
    render_bounded(tera, name, context, limits)
}

/// The most one page may write.
pub const MAX_PAGE_BYTES: usize = 128 * 1024 * 1024;
/// Seconds one page may take to render (default 30): `DATELINE_RENDER_TIMEOUT=5`.
pub const RENDER_TIMEOUT_VAR: &str = "DATELINE_RENDER_TIMEOUT";
const DEFAULT_RENDER_TIMEOUT: Duration = Duration::from_secs(30);

/// How long one page may take to render: [`RENDER_TIMEOUT_VAR`] seconds, else 30 s.
pub fn render_deadline() -> Duration {
    static DEADLINE: LazyLock<Duration> = LazyLock::new(|| {
        std::env::var(RENDER_TIMEOUT_VAR)
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
            .map_or(DEFAULT_RENDER_TIMEOUT, Duration::from_secs_f64)
    });
    *DEADLINE
}

#[derive(Debug, Clone, Copy)]
struct Limits {
    deadline: Duration,
    max_bytes: usize,
}

/// Which bound a render crossed.
#[derive(Debug, Clone, Copy)]
enum Crossed {
    Time(Duration),
    Size(usize),
}

/// Collects a page, refusing to grow past the limits. Tera checks every write, so a loop that
/// writes is stopped here; one that writes nothing is left to the watchdog.
struct PageWriter {
    bytes: Vec<u8>,
    started: Instant,
    limits: Limits,
    crossed: Option<Crossed>,
}

impl Write for PageWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len().saturating_add(buf.len()) > self.limits.max_bytes {
            self.crossed = Some(Crossed::Size(self.limits.max_bytes));
        } else if self.started.elapsed() > self.limits.deadline {
            self.crossed = Some(Crossed::Time(self.limits.deadline));
        }
        if self.crossed.is_some() {
            return Err(std::io::Error::other("page render limit reached"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn render_bounded(
    tera: &Tera,
    name: &str,
    context: &tera::Context,
    limits: Limits,
) -> Result<String> {
    let mut page = PageWriter {
        bytes: Vec::new(),
        started: Instant::now(),
        limits,
        crossed: None,
    };
    let rendered = tera.render_to(name, context, &mut page);
    if let Some(crossed) = page.crossed {
        let what = match crossed {
            Crossed::Time(limit) => format!(
                "it took more than {} s for one page (the limit is set by {RENDER_TIMEOUT_VAR})",
                limit.as_secs_f64()
            ),
            Crossed::Size(limit) => {
                format!("it wrote more than {} MiB for one page", limit >> 20)
            }
        };
        bail!(
            "Rendering {} was stopped: {what}. A loop over a huge list, or loops nested inside \
             each other, is the usual cause: check it and the templates it includes or extends",
            describe(tera, name)
        );
    }
    rendered
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("Couldn't render template `{name}`"))?;
    String::from_utf8(page.bytes).with_context(|| format!("Template `{name}` wrote invalid UTF-8"))
}

/// `templates/index.html` for a site's template, or the built-in one it falls back to.
fn describe(tera: &Tera, name: &str) -> String {
    if tera.get_template_names().any(|n| n == name) {
        format!("`templates/{name}`")
    } else {
        format!("the built-in template `{name}`")
    }
}

/// The last resort for a render that writes nothing and never ends: Tera cannot be interrupted,
/// so after twice the deadline the process stops with a message naming the template. A whole
/// build has only written its staging folder by then, which the next build sweeps away, so the
/// previous output is left as it was.
mod watchdog {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Mutex, OnceLock};
    use std::time::{Duration, Instant};

    /// Renders in progress: id → (deadline, what is rendering).
    type Running = Mutex<HashMap<u64, (Instant, String)>>;

    pub struct Watched(u64);

    impl Drop for Watched {
        fn drop(&mut self) {
            running()
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&self.0);
        }
    }

    pub fn watch(what: String, limit: Duration) -> Watched {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let until = Instant::now() + limit;
        start(limit);
        let mut running = running().lock().unwrap_or_else(|e| e.into_inner());
        running.insert(id, (until, what));
        Watched(id)
    }

    fn running() -> &'static Running {
        static RUNNING: OnceLock<Running> = OnceLock::new();
        RUNNING.get_or_init(Default::default)
    }

    fn start(limit: Duration) {
        static STARTED: OnceLock<()> = OnceLock::new();
        STARTED.get_or_init(|| {
            let tick = (limit / 8).clamp(Duration::from_millis(10), Duration::from_secs(1));
            let spawned = std::thread::Builder::new()
                .name("render-watchdog".into())
                .spawn(move || {
                    loop {
                        std::thread::sleep(tick);
                        let running = running().lock().unwrap_or_else(|e| e.into_inner());
                        let now = Instant::now();
                        if let Some((_, what)) = running.values().find(|(until, _)| now > *until) {
                            eprintln!(
                                "Error: Rendering {what} was stopped: it ran for more than {} s \
                                 on one page without finishing. A loop over a huge list, or loops \
                                 nested inside each other, is the usual cause: check it and the \
                                 templates it includes or extends. Nothing was replaced: the \
                                 previous output is as it was.",
                                limit.as_secs_f64()
                            );
                            std::process::exit(1);
                        }
                    }
                });
            // Without a watchdog, renders are still bounded by the writer's checks.
            drop(spawned);
        });
    }
}

/// `{{ entry.date | date(format="%-d %B %Y") }}`: formats the ISO dates dateline puts in the
/// template context (`2020-09-28`, `2020-09-28T14:33:00`, RFC 3339). Default format is
/// `%Y-%m-%d`.
fn date_filter(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
    let items: Vec<chrono::format::Item> = chrono::format::StrftimeItems::new(format).collect();
    if items.contains(&chrono::format::Item::Error) {
        return Err(tera::Error::message(format!(
            "`date` filter: invalid format `{format}`"
        )));
    }
    let formatted = if let Ok(t) = chrono::DateTime::parse_from_rfc3339(value) {
        t.format_with_items(items.into_iter()).to_string()
    } else if let Ok(t) = chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S") {
        t.format_with_items(items.into_iter()).to_string()
    } else if let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        let uses_time = items.iter().any(|i| {
            matches!(i, chrono::format::Item::Numeric(n, _) if matches!(n, chrono::format::Numeric::Hour | chrono::format::Numeric::Minute))
        });
        if uses_time {
            return Err(tera::Error::message(format!(
                "`date` filter: `{value}` is a day without a time, but format `{format}` asks for one"
            )));
        }
        d.format_with_items(items.into_iter()).to_string()
    } else {
        return Err(tera::Error::message(format!(
            "`date` filter: `{value}` is not a date (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS or RFC 3339)"
        )));
    };
    Ok(formatted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_str(template: &str, ctx: &tera::Context) -> Result<String> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir(dir.path().join("templates"))?;
        std::fs::write(dir.path().join("templates/t.html"), template)?;
        let tera = load(dir.path())?;
        render(&tera, "t.html", ctx)
    }

    #[test]
    fn date_filter_formats_each_precision() {
        let mut ctx = tera::Context::new();
        ctx.insert("d", "2020-09-28");
        ctx.insert("t", "2020-09-28T14:33:00");
        ctx.insert("z", "2020-09-28T14:33:00+03:00");
        let out = render_str(
            r#"{{ d | date(format="%-d %B %Y") }}|{{ t | date(format="%H:%M") }}|{{ z | date(format="%H:%M %:z") }}"#,
            &ctx,
        )
        .unwrap();
        assert_eq!(out, "28 September 2020|14:33|14:33 +03:00");
    }

    #[test]
    fn date_filter_refuses_time_of_a_day() {
        let mut ctx = tera::Context::new();
        ctx.insert("d", "2020-09-28");
        let err = render_str(r#"{{ d | date(format="%H:%M") }}"#, &ctx).unwrap_err();
        assert!(format!("{err:#}").contains("without a time"), "{err:#}");
    }

    #[test]
    fn syntax_error_names_template_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/entry.html"),
            "line one\n{% if %}\n",
        )
        .unwrap();
        let err = format!("{:#}", load(dir.path()).unwrap_err());
        assert!(err.contains("templates/entry.html"), "{err}");
        assert!(err.contains("2"), "{err}");
    }

    #[test]
    fn endless_loops_are_stopped_with_the_template_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        let nested = "{% for a in range(end=100000) %}{% for b in range(end=100000) %}x\
                      {% endfor %}{% endfor %}";
        std::fs::write(dir.path().join("templates/404.html"), nested).unwrap();
        let tera = load(dir.path()).unwrap();
        let ctx = tera::Context::new();
        let small = Limits {
            deadline: Duration::from_secs(60),
            max_bytes: 1000,
        };
        let err = render_bounded(&tera, "404.html", &ctx, small).unwrap_err();
        let err = format!("{err:#}");
        assert!(err.contains("`templates/404.html` was stopped"), "{err}");
        assert!(err.contains("MiB for one page"), "{err}");
        let quick = Limits {
            deadline: Duration::from_millis(50),
            max_bytes: usize::MAX,
        };
        let started = Instant::now();
        let err = format!(
            "{:#}",
            render_bounded(&tera, "404.html", &ctx, quick).unwrap_err()
        );
        assert!(err.contains("took more than 0.05 s"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10));
        // A built-in template is named as such.
        assert_eq!(
            describe(&tera, "search.html"),
            "the built-in template `search.html`"
        );
    }

    #[test]
    fn site_template_overrides_default() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/404.html"), "custom 404").unwrap();
        let tera = load(dir.path()).unwrap();
        assert_eq!(
            render(&tera, "404.html", &tera::Context::new()).unwrap(),
            "custom 404"
        );
    }
}
