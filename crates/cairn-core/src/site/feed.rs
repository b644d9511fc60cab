//! The Atom feed of new and changed decisions (newest change first, dated by Git) and the
//! sitemap, which the sitemap protocol allows only with absolute addresses, so only when the
//! site is given its base URL.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};

use super::collect::{Entry, Section};
use super::context::{label, SiteContext};
use super::html::esc;
use super::output::Site;

/// How many entries the feed keeps: readers poll it, so it stays small.
const FEED_ENTRIES: usize = 50;

/// Writes `feed.xml` and, with a base URL, `sitemap.xml`; says whether a sitemap was written.
pub(super) fn write(ctx: &SiteContext, base_url: Option<&str>, site: &mut Site) -> bool {
    let base = base_url.map(|b| format!("{}/", b.trim_end_matches('/')));
    site.add("feed.xml", feed(ctx, base.as_deref()).into_bytes());
    match &base {
        Some(base) => {
            site.add("sitemap.xml", sitemap(ctx, base).into_bytes());
            true
        }
        None => false,
    }
}

/// A decision's last change, from Git; decisions never committed are not in the feed.
fn changed(e: &Entry) -> Option<DateTime<FixedOffset>> {
    e.history.as_ref().map(|h| h.last_changed.date)
}

fn feed(ctx: &SiteContext, base: Option<&str>) -> String {
    let mut entries: Vec<(&Section, &Entry, DateTime<FixedOffset>)> = ctx
        .sections
        .iter()
        .flat_map(|s| {
            s.entries
                .iter()
                .filter_map(move |e| Some((s, e, changed(e)?)))
        })
        .collect();
    entries.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.page.cmp(&b.1.page)));
    entries.truncate(FEED_ENTRIES);
    let base = base.unwrap_or("");
    let updated = entries
        .first()
        .map(|e| e.2.to_rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{}</title>\n<id>{}</id>\n<updated>{updated}</updated>\n\
         <link rel=\"alternate\" href=\"{base}index.html\"/>\n<generator>Cairn</generator>\n",
        esc(ctx.title),
        esc(&feed_id(base, ctx)),
    );
    for (s, e, when) in entries {
        let href = format!("{base}{}{}", s.prefix, e.page);
        let created = e.history.as_ref().map(|h| h.created.date).unwrap_or(when);
        let kind = if created == when { "New" } else { "Changed" };
        let author = e
            .history
            .as_ref()
            .map(|h| h.last_changed.author.as_str())
            .unwrap_or("");
        let _ = write!(
            out,
            "<entry>\n<title>{}: {}</title>\n<id>{}</id>\n<link rel=\"alternate\" href=\"{}\"/>\n\
             <published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n\
             <summary>{kind}; status {}</summary>\n</entry>\n",
            esc(&label(s, e)),
            esc(&e.decision.display_title()),
            esc(&entry_id(base, s, e)),
            esc(&href),
            created.to_rfc3339(),
            when.to_rfc3339(),
            esc(author),
            e.decision.status_kind().as_str(),
        );
    }
    out.push_str("</feed>\n");
    out
}

/// Atom ids must be permanent: the page's address when the site has one, else a tag that
/// names the section and the decision's page.
fn feed_id(base: &str, ctx: &SiteContext) -> String {
    if base.is_empty() {
        let names: Vec<&str> = ctx.sections.iter().map(|s| s.name.as_str()).collect();
        format!("urn:cairn:site:{}", names.join(","))
    } else {
        base.to_string()
    }
}

fn entry_id(base: &str, s: &Section, e: &Entry) -> String {
    if base.is_empty() {
        format!("urn:cairn:{}:{}", s.name, e.page)
    } else {
        format!("{base}{}{}", s.prefix, e.page)
    }
}

fn sitemap(ctx: &SiteContext, base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let _ = writeln!(out, "<url><loc>{}index.html</loc></url>", esc(base));
    for s in ctx.sections {
        for e in &s.entries {
            let _ = write!(
                out,
                "<url><loc>{}</loc>",
                esc(&format!("{base}{}{}", s.prefix, e.page))
            );
            if let Some(when) = changed(e) {
                let _ = write!(out, "<lastmod>{}</lastmod>", when.date_naive());
            }
            out.push_str("</url>\n");
        }
    }
    out.push_str("</urlset>\n");
    out
}
