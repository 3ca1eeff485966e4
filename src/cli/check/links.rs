//! Internal links of `dateline check`: the set of paths the site would have, and the Markdown
//! links and images in entry and event bodies that point outside it.

use super::*;

/// Every path the site would have: pages, exports, built-in assets and the site's static files.
pub(super) struct Pages<'a> {
    paths: HashSet<String>,
    site: &'a Checked,
}

impl<'a> Pages<'a> {
    pub(super) fn of(root: &Path, config: &SiteConfig, site: &'a Checked) -> Pages<'a> {
        let fixed = [
            "",
            "search/",
            "404.html",
            "robots.txt",
            "atom.xml",
            "timeline.json",
        ];
        let exports = ["events.csv", "sitemap.xml", search::INDEX_FILE];
        let assets = static_files::DEFAULT_STATIC.iter().map(|(p, _)| *p);
        let cname = config.cname.iter().map(|_| "CNAME");
        let built = fixed.into_iter().chain(exports).chain(assets).chain(cname);
        let mut paths: HashSet<String> = built.map(|p| format!("/{p}")).collect();
        paths.extend(static_paths(root));
        paths.extend(site.entries.iter().map(|e| e.site_path.clone()));
        paths.extend(site.timeline.events.iter().map(|e| e.site_path()));
        paths.extend(site.curated_slugs.iter().map(|s| format!("/events/{s}/")));
        for event in &site.timeline.events {
            paths.insert(match event.date.start {
                Some(day) => format!("/timeline/{}/", day.format("%Y-%m")),
                None => "/timeline/undated/".to_string(),
            });
        }
        let taxonomies = Taxonomies::build(&site.timeline, &site.entries);
        for kind in Kind::ALL {
            paths.insert(format!("/{}/", kind.folder()));
            for term in &taxonomies.get(kind).terms {
                let pages = term.events.len().div_ceil(TERM_PAGE_SIZE);
                paths.extend((2..=pages).map(|n| format!("{}page/{n}/", term.path)));
                paths.insert(term.path.clone());
            }
        }
        Pages { paths, site }
    }

    /// `None` when `path` exists (servers add the slash to a folder, and serve `index.html`);
    /// else why not, as the end of the message.
    fn missing(&self, path: &str) -> Option<String> {
        let folder = format!("{path}/");
        let index = path.strip_suffix("index.html");
        let no_extension = !path.rsplit('/').next().unwrap_or("").contains('.');
        if self.paths.contains(path)
            || (no_extension && self.paths.contains(&folder))
            || index.is_some_and(|p| self.paths.contains(p))
        {
            return None;
        }
        let slug = path
            .strip_prefix("/entries/")
            .map(|p| slug_of_name(p.trim_matches('/')));
        if slug
            .as_ref()
            .is_some_and(|s| self.site.unloaded.contains(s))
        {
            return None; // its entry did not load, which is reported already
        }
        if self.site.drafts.contains(path) || self.site.drafts.contains(&folder) {
            return Some(" (it is a draft, built only with --drafts)".to_string());
        }
        // Most often the date in the URL is wrong: name the entry with that slug.
        let meant = (self.site.entries.iter()).find(|e| slug.as_ref() == Some(&e.slug));
        Some(meant.map_or(String::new(), |e| {
            format!(" (hint: did you mean `{}`?)", e.site_path)
        }))
    }
}

/// `/img/x.png` for `static/img/x.png`, as the build copies them (hidden files skipped).
fn static_paths(root: &Path) -> Vec<String> {
    let dir = root.join("static");
    let walker = walkdir::WalkDir::new(&dir).into_iter();
    let visible =
        |e: &walkdir::DirEntry| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.');
    let files = walker
        .filter_entry(visible)
        .flatten()
        .filter(|e| e.file_type().is_file());
    let relative = files.filter_map(|e| e.path().strip_prefix(&dir).map(Path::to_path_buf).ok());
    relative
        .map(|p| format!("/{}", p.to_string_lossy().replace('\\', "/")))
        .collect()
}

/// A Markdown body, the file line it starts on, and the page it is rendered on.
pub(super) struct Document<'a> {
    pub(super) file: &'a Path,
    pub(super) body: &'a str,
    pub(super) body_line: usize,
    pub(super) page: String,
}

/// The line `body` starts on in `text`, the file it is the end of.
pub(super) fn body_line(text: &str, body: &str) -> usize {
    let front = text.get(..text.len().saturating_sub(body.len()));
    front.map_or(1, |t| t.matches('\n').count() + 1)
}

/// Links and images whose destination is inside the site but names no page or file.
pub(super) fn broken_links(doc: &Document, pages: &Pages, out: &mut Vec<Problem>) {
    // The options `markdown::render` uses, so links are found exactly where the page has them.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    for (event, range) in Parser::new_ext(doc.body, options).into_offset_iter() {
        let (what, dest, kind) = match event {
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) => ("link", dest_url, link_type),
            Event::Start(Tag::Image {
                dest_url,
                link_type,
                ..
            }) => ("image", dest_url, link_type),
            _ => continue,
        };
        let target = internal_path(&dest, &doc.page).filter(|_| kind != LinkType::Email);
        let Some((target, why)) = target.and_then(|t| Some((t.clone(), pages.missing(&t)?))) else {
            continue;
        };
        let before = doc.body.get(..range.start).unwrap_or("");
        let line = doc.body_line + before.matches('\n').count();
        let missing = if target == dest.as_ref() {
            "the site has no such page or file".to_string()
        } else {
            format!("it resolves to `{target}`, which the site does not have")
        };
        let message = format!("{what} to `{dest}` leads nowhere: {missing}{why}");
        out.push(Problem::new(ERROR, doc.file, Some(line), message));
    }
}

/// The site path a destination points at, resolved against `page`; `None` for external
/// addresses and same-page anchors.
fn internal_path(dest: &str, page: &str) -> Option<String> {
    let path = dest.trim().split(['#', '?']).next().unwrap_or("");
    let scheme = path.find(':').is_some_and(|c| !path[..c].contains('/'));
    if path.is_empty() || scheme || path.starts_with("//") {
        return None;
    }
    let path = percent_decode(path);
    let joined = match path.strip_prefix('/') {
        Some(rooted) => rooted.to_string(),
        None => format!("{}{path}", page.trim_start_matches('/')),
    };
    // Browsers stop `..` at the root, and so does this.
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "." | "" => {}
            ".." => _ = segments.pop(),
            s => segments.push(s),
        }
    }
    let folder = ["/", "/.", "/.."].iter().any(|end| joined.ends_with(end)) || joined == "..";
    let slash = if folder && !segments.is_empty() {
        "/"
    } else {
        ""
    };
    Some(format!("/{}{slash}", segments.join("/")))
}

/// `%D0%BF` → `п`, so encoded links match the site's Unicode slugs.
fn percent_decode(text: &str) -> String {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        let hex = tail.get(..2).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(decoded) if b == b'%' => {
                bytes.push(decoded);
                rest = &tail[2..];
            }
            _ => {
                bytes.push(b);
                rest = tail;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}
