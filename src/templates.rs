//! Tera templates: the default theme compiled into the binary, overridden file by file by a
//! site's own `templates/` folder, plus the filters the theme needs.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
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
/// carries the line and a source excerpt).
pub fn render(tera: &Tera, name: &str, context: &tera::Context) -> Result<String> {
    tera.render(name, context)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("Couldn't render template `{name}`"))
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
