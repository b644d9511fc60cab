//! Markdown to safe HTML for the desktop view: pulldown-cmark renders, with links and images
//! rewritten on the way, and ammonia then keeps only a whitelist of tags and attributes, so a
//! hostile decision file cannot run script in the app.
//!
//! What survives as a link is one of three things: an in-app link to another decision
//! (`href="#decision/0004-x.md"`), an external `http(s):`/`mailto:` link (opened by the app in
//! the system browser), or an anchor inside the page. Images are shown only from inside the
//! workspace, inlined as `data:` URLs, so the web view never loads a file by path; each image
//! and all the images of one page together have a size budget.
//!
//! A ```` ```mermaid ```` code block becomes `<pre class="mermaid">` holding its source as
//! escaped text: the one class ammonia lets through. The UI (and the static site) draw those
//! blocks as diagrams in the browser; without script they stay readable source.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Parser, Tag, TagEnd};

use crate::decision::mentions;
use crate::paths::resolve_inside;

/// Prefix of in-app links to another decision; the UI routes them itself.
pub const DECISION_HREF: &str = "#decision/";

/// Images larger than this are not inlined (the alt text is shown instead).
pub const MAX_IMAGE_BYTES: u64 = 2 * 1024 * 1024;

/// All the images inlined into one page together: a file full of references to one large
/// image must not make a page of hundreds of megabytes. Images past the budget are shown as
/// their alt text.
pub const MAX_PAGE_IMAGE_BYTES: u64 = 5 * 1024 * 1024;

/// What rendering needs to know about the workspace to resolve links and images.
pub struct Context<'a> {
    /// The workspace root: images are shown only from inside it.
    pub root: &'a Path,
    /// The folder of the file being rendered, against which relative links resolve.
    pub base: &'a Path,
    /// The decisions folder and the decision file names in it, to recognise decision links.
    pub decisions_dir: &'a Path,
    pub decision_files: &'a HashSet<String>,
    /// Each decision number that exactly one file of the log carries, with that file: a
    /// reference in prose ("see ADR 0007") becomes a link to it.
    pub decision_numbers: &'a HashMap<u32, String>,
}

/// The [`Context::decision_numbers`] of a log given as (number, file name) pairs: a number
/// that two files share names neither, as lint's `duplicate-number` reports.
pub fn unique_numbers<'a>(
    decisions: impl IntoIterator<Item = (Option<u32>, &'a str)>,
) -> HashMap<u32, String> {
    let mut out: HashMap<u32, Option<String>> = HashMap::new();
    for (n, file) in decisions {
        if let Some(n) = n {
            out.entry(n)
                .and_modify(|f| *f = None)
                .or_insert_with(|| Some(file.to_string()));
        }
    }
    out.into_iter().filter_map(|(n, f)| Some((n, f?))).collect()
}

/// Renders `markdown` to sanitised HTML.
pub fn to_html(markdown: &str, ctx: &Context) -> String {
    let opts = crate::markdown::options();
    let mut dropped_links = Vec::new();
    let mut in_dropped_image = 0usize;
    let mut image_budget = MAX_PAGE_IMAGE_BYTES;
    let mut in_diagram = false;
    let events = bounded(Parser::new_ext(markdown, opts)).filter_map(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_mermaid(&info) => {
            in_diagram = true;
            Some(Event::Html(DIAGRAM_OPEN.into()))
        }
        Event::End(TagEnd::CodeBlock) if in_diagram => {
            in_diagram = false;
            Some(Event::Html("</pre>\n".into()))
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => match link_href(&dest_url, ctx) {
            Some(href) => {
                dropped_links.push(false);
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url: href.into(),
                    title,
                    id,
                }))
            }
            None => {
                // The text stays; only the link goes.
                dropped_links.push(true);
                None
            }
        },
        Event::End(TagEnd::Link) => match dropped_links.pop() {
            Some(true) => None,
            _ => Some(Event::End(TagEnd::Link)),
        },
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => match image_src(&dest_url, ctx, &mut image_budget) {
            Some(src) if in_dropped_image == 0 => Some(Event::Start(Tag::Image {
                link_type,
                dest_url: src.into(),
                title,
                id,
            })),
            _ => {
                // The alt text is shown as plain text in place of the image.
                in_dropped_image += 1;
                None
            }
        },
        Event::End(TagEnd::Image) if in_dropped_image > 0 => {
            in_dropped_image -= 1;
            None
        }
        other => Some(other),
    });
    let events = link_mentions(events, ctx.decision_numbers);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    sanitize(&html)
}

/// How a diagram block starts; its source follows as text, which the HTML writer escapes.
pub const DIAGRAM_OPEN: &str = "<pre class=\"mermaid\">";

/// Whether a fenced block's info string names Mermaid (`mermaid`, `Mermaid title=x`).
fn is_mermaid(info: &str) -> bool {
    info.split_whitespace()
        .next()
        .is_some_and(|lang| lang.eq_ignore_ascii_case("mermaid"))
}

/// The ammonia whitelist: ammonia's defaults (no script, style, iframe, object, form or
/// event-handler attributes; only safe URL schemes) narrowed further to the three kinds of
/// link above and `data:` images that this module produced. The only input that survives is
/// a disabled checkbox (a task list's box): a text or password field could fake a prompt.
/// The one class kept is `mermaid` on `<pre>`, which marks a diagram's source for the UI.
pub fn sanitize(html: &str) -> String {
    let schemes: HashSet<&str> = ["http", "https", "mailto", "data"].into_iter().collect();
    ammonia::Builder::default()
        .url_schemes(schemes)
        .url_relative(ammonia::UrlRelative::Custom(Box::new(only_fragments)))
        .attribute_filter(filter_attribute)
        .link_rel(Some("noopener noreferrer"))
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .add_tags(["input"])
        .add_allowed_classes("pre", ["mermaid"])
        .clean(html)
        .to_string()
}

/// The last word on each attribute ammonia kept. A link's `href` is kept only as an anchor
/// or an external link (a `mailto:` without its query), an image's `src` only as an image
/// this module inlined, and no other attribute may carry a `data:`, `javascript:` or
/// `vbscript:` URL. Checked on the value as a browser reads it, which first strips leading
/// control characters and spaces and drops tabs and line breaks anywhere: ammonia's own
/// check accepts `"\x01data:text/html,…"` as a `data:` URL (a scheme allowed for images).
fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match (element, attribute) {
        (_, "href") => {
            if value.starts_with('#') && !value.chars().any(char::is_control) {
                Some(Cow::Borrowed(value))
            } else {
                external_target(value)
            }
        }
        (_, "src") => (element == "img" && is_inline_image(value)).then_some(Cow::Borrowed(value)),
        _ => {
            let read = as_browser_reads(value);
            let scheme_ok = !["data:", "javascript:", "vbscript:"]
                .iter()
                .any(|s| read.starts_with(s));
            scheme_ok.then_some(Cow::Borrowed(value))
        }
    }
}

/// A URL as a browser's parser sees it before it looks at the scheme (WHATWG URL: leading and
/// trailing C0 controls and spaces stripped, ASCII tabs and line breaks removed), lower-cased.
fn as_browser_reads(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase()
}

fn only_fragments(url: &str) -> Option<Cow<'_, str>> {
    url.starts_with('#').then_some(Cow::Borrowed(url))
}

fn is_inline_image(value: &str) -> bool {
    [
        "data:image/png;base64,",
        "data:image/jpeg;base64,",
        "data:image/gif;base64,",
        "data:image/webp;base64,",
        "data:image/svg+xml;base64,",
    ]
    .iter()
    .any(|p| value.starts_with(p))
}

/// Whether a URL is one the app may open in the system browser: `http(s):` or `mailto:`.
pub fn is_external_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// The URL the app opens in the system browser for `url`, or None when it opens nothing.
/// A `mailto:` keeps only its addresses: its query (`?subject=…&body=…&attach=…`, which some
/// mail programs obey, attaching local files) and fragment go, and an address with a percent
/// escape (which could hide a `?`) is refused.
pub fn external_target(url: &str) -> Option<Cow<'_, str>> {
    if !is_external_url(url) {
        return None;
    }
    if !url
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        return Some(Cow::Borrowed(url));
    }
    let to = &url[..url.find(['?', '#']).unwrap_or(url.len())];
    (to.len() > "mailto:".len() && !to.contains('%')).then_some(Cow::Borrowed(to))
}

/// The href a Markdown link becomes, or None to drop it (its text stays).
fn link_href(dest: &CowStr, ctx: &Context) -> Option<String> {
    let dest = dest.trim();
    if is_external_url(dest) {
        return external_target(dest).map(Cow::into_owned);
    }
    if dest.starts_with('#') {
        // An anchor inside the page, but never one that looks like an in-app route.
        return (!dest.starts_with(DECISION_HREF)).then(|| dest.to_string());
    }
    if dest.contains(':') {
        // Any other scheme: javascript:, data:, file:, vbscript:, …
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    let path = percent_decode(path);
    let in_folder = resolve_inside(ctx.root, ctx.base, &path)
        .ok()
        .and_then(|resolved| {
            let dir = ctx.decisions_dir.canonicalize().ok()?;
            let name = resolved.file_name()?.to_str()?;
            (resolved.parent() == Some(dir.as_path()) && ctx.decision_files.contains(name))
                .then(|| name.to_string())
        });
    // A route to a published page (`/adr/ADR-51`) names its decision by number only.
    let by_route = || match mentions::link_target(&path) {
        Some((n, None)) => ctx.decision_numbers.get(&n).cloned(),
        _ => None,
    };
    in_folder
        .or_else(by_route)
        .map(|name| format!("{DECISION_HREF}{name}"))
}

/// `events` with every reference in prose ("see ADR 0007", by the rule of
/// [`mentions`]) that names a decision of the log turned into an in-app link to it. Text in
/// code, links and images is left alone: a link cannot hold another.
fn link_mentions<'e, 'n>(
    events: impl Iterator<Item = Event<'e>> + 'n,
    numbers: &'n HashMap<u32, String>,
) -> impl Iterator<Item = Event<'e>> + 'n
where
    'e: 'n,
{
    let (mut code, mut links, mut images) = (0usize, 0usize, 0usize);
    events.flat_map(move |event| {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Link { .. }) => links += 1,
            Event::End(TagEnd::Link) => links = links.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => images += 1,
            Event::End(TagEnd::Image) => images = images.saturating_sub(1),
            Event::Text(text) if code + links + images == 0 && !numbers.is_empty() => {
                return mention_links(text, numbers);
            }
            _ => {}
        }
        vec![event]
    })
}

/// One text event split around the references it holds to decisions in `numbers`.
fn mention_links<'e>(text: &str, numbers: &HashMap<u32, String>) -> Vec<Event<'e>> {
    let mut out = Vec::new();
    let mut at = 0;
    for c in mentions::MENTION.captures_iter(text) {
        let (Some(all), Some(n)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let Some(file) = n.as_str().parse().ok().and_then(|n: u32| numbers.get(&n)) else {
            continue;
        };
        if all.start() > at {
            out.push(Event::Text(text[at..all.start()].to_string().into()));
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: format!("{DECISION_HREF}{file}").into(),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }));
        out.push(Event::Text(all.as_str().to_string().into()));
        out.push(Event::End(TagEnd::Link));
        at = all.end();
    }
    if at < text.len() {
        out.push(Event::Text(text[at..].to_string().into()));
    }
    out
}

/// The `data:` URL of a relative image inside the workspace, or None: outside it (`..`, an
/// absolute path, a symbolic link out), not an image, over [`MAX_IMAGE_BYTES`] or over what
/// is left of the page's `budget`, which an inlined image uses up.
fn image_src(dest: &CowStr, ctx: &Context, budget: &mut u64) -> Option<String> {
    let dest = dest.trim();
    if dest.contains(':') || dest.starts_with('#') {
        return None;
    }
    let path = percent_decode(dest.split(['#', '?']).next().unwrap_or_default());
    let resolved = resolve_inside(ctx.root, ctx.base, &path).ok()?;
    let ext = resolved.extension()?.to_str()?.to_ascii_lowercase();
    let mime = match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        _ => return None,
    };
    let meta = std::fs::metadata(&resolved).ok()?;
    let cap = MAX_IMAGE_BYTES.min(*budget);
    if !meta.is_file() || meta.len() > cap {
        return None;
    }
    // Read no more than the cap even if the file grew since its size was looked at.
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(&resolved).ok()?, cap + 1),
        &mut bytes,
    )
    .ok()?;
    let len = u64::try_from(bytes.len()).ok()?;
    if len > cap {
        return None;
    }
    *budget -= len;
    Some(format!("data:{mime};base64,{}", base64(&bytes)))
}

/// `%20` and friends in link targets; invalid escapes are left as they are.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|&b| (b as char).to_digit(16));
        if bytes[i] == b'%' {
            // Two hex digits exactly: `from_str_radix` would also take a sign (`%+1`).
            if let (Some(h), Some(l)) = (hex(i + 1), hex(i + 2)) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Standard base64 (RFC 4648) with padding; small enough not to need a crate.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The part of a decision's text after its front matter, which the metadata panel shows
/// instead.
pub fn body_of(text: &str, body_line: usize) -> &str {
    if body_line <= 1 {
        return text;
    }
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == body_line {
            return &text[offset..];
        }
        offset += line.len();
    }
    ""
}

/// The deepest nesting of elements rendered. html5ever, under ammonia, spends time
/// quadratic in the nesting depth (start tags scan the open elements), so a body of 100,000
/// nested block quotes or list items took minutes to show. Deeper Markdown elements lose
/// their tags and raw HTML past the bound is shown as text; the words are all kept.
pub const MAX_NESTING: usize = 64;

/// `events` with nesting bounded by [`MAX_NESTING`]. Markdown elements are dropped in
/// matching start/end pairs; raw HTML is not parsed, so its depth is estimated from its tags.
fn bounded<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut kept: Vec<bool> = Vec::new();
    let mut depth = 0usize; // Markdown elements open and kept
    let mut raw = 0usize; // raw HTML elements open, estimated
    events.filter_map(move |event| match event {
        Event::Start(tag) => {
            let keep = depth + raw < MAX_NESTING;
            kept.push(keep);
            depth += usize::from(keep);
            keep.then_some(Event::Start(tag))
        }
        Event::End(tag) => {
            let keep = kept.pop().unwrap_or(true);
            depth -= usize::from(keep && depth > 0);
            keep.then_some(Event::End(tag))
        }
        Event::Html(html) | Event::InlineHtml(html)
            if depth + raw_depth(&html).0 + raw > MAX_NESTING =>
        {
            Some(Event::Text(html))
        }
        Event::Html(html) => {
            raw = raw.saturating_add_signed(raw_depth(&html).1);
            Some(Event::Html(html))
        }
        Event::InlineHtml(html) => {
            raw = raw.saturating_add_signed(raw_depth(&html).1);
            Some(Event::InlineHtml(html))
        }
        other => Some(other),
    })
}

/// How deep a piece of raw HTML nests elements at most, and how many it leaves open (less
/// than zero when it closes outer ones), counting tags by their `<`: void elements and
/// `<…/>` do not stay open. An estimate, only for [`bounded`].
fn raw_depth(html: &str) -> (usize, isize) {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let (mut open, mut peak) = (0isize, 0isize);
    for (i, _) in html.match_indices('<') {
        let rest = &html[i + 1..];
        if rest.starts_with('/') {
            open -= 1;
            continue;
        }
        let name = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let tag = rest.find('>').map_or(rest, |e| &rest[..e]);
        if !name.is_empty() && !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
            open += 1;
            peak = peak.max(open);
        }
    }
    (peak.unsigned_abs(), open)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_flattened_past_the_bound_and_the_text_kept() {
        let quotes = format!("{} deep words", ">".repeat(100_000));
        let html = to_html(&quotes, &ctx_for_nesting());
        assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING);
        assert!(html.contains("deep words"));
        let raw = format!("{}raw words", "<div>".repeat(100_000));
        let html = to_html(&raw, &ctx_for_nesting());
        assert!(html.matches("<div>").count() <= MAX_NESTING);
        assert!(html.contains("raw words"));
        assert_eq!(raw_depth("<p><br><img src=x/><x/></p>"), (1, 0));
        assert_eq!(raw_depth("<p>a</p><p>b</p></div>"), (1, -1));
    }

    fn ctx_for_nesting() -> Context<'static> {
        static FILES: std::sync::LazyLock<HashSet<String>> = std::sync::LazyLock::new(HashSet::new);
        static NUMBERS: std::sync::LazyLock<HashMap<u32, String>> =
            std::sync::LazyLock::new(HashMap::new);
        Context {
            root: Path::new("/nonexistent"),
            base: Path::new("/nonexistent"),
            decisions_dir: Path::new("/nonexistent"),
            decision_files: &FILES,
            decision_numbers: &NUMBERS,
        }
    }

    struct Fixture {
        _dir: tempfile::TempDir,
        root: std::path::PathBuf,
        files: HashSet<String>,
        numbers: HashMap<u32, String>,
    }

    impl Fixture {
        fn new() -> Fixture {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("ws");
            let decisions = root.join("docs/decisions");
            std::fs::create_dir_all(decisions.join("img")).unwrap();
            std::fs::write(decisions.join("0001-a.md"), "# A\n").unwrap();
            std::fs::write(decisions.join("0002-b.md"), "# B\n").unwrap();
            std::fs::write(decisions.join("img/dot.png"), [0x89, b'P', b'N', b'G']).unwrap();
            std::fs::write(dir.path().join("outside.png"), [0x89, b'P', b'N', b'G']).unwrap();
            let files = ["0001-a.md", "0002-b.md"].map(String::from).into();
            let numbers = [(1, "0001-a.md"), (2, "0002-b.md")]
                .map(|(n, f)| (n, f.to_string()))
                .into();
            Fixture {
                _dir: dir,
                root,
                files,
                numbers,
            }
        }

        fn render(&self, md: &str) -> String {
            let decisions = self.root.join("docs/decisions");
            to_html(
                md,
                &Context {
                    root: &self.root,
                    base: &decisions,
                    decisions_dir: &decisions,
                    decision_files: &self.files,
                    decision_numbers: &self.numbers,
                },
            )
        }
    }

    #[test]
    fn references_in_prose_link_to_their_decisions() {
        let f = Fixture::new();
        let html = f.render(
            "See ADR 0002, ADR-1 and ADR 9; not `ADR 2` nor [ADR 2](https://x.org/).\n\n\
             ```\nADR 1\n```\n\nAs [the first](/adr/ADR-1) said.\n",
        );
        assert!(
            html.contains(
                "See <a href=\"#decision/0002-b.md\" rel=\"noopener noreferrer\">ADR 0002</a>, \
                 <a href=\"#decision/0001-a.md\" rel=\"noopener noreferrer\">ADR-1</a> and ADR 9;"
            ),
            "{html}"
        );
        assert_eq!(html.matches("#decision/").count(), 3, "{html}");
        assert!(html.contains("<code>ADR 2</code>"), "{html}");
        assert!(
            html.contains(
                "<a href=\"#decision/0001-a.md\" rel=\"noopener noreferrer\">the first</a>"
            ),
            "{html}"
        );
        assert!(html.contains("<pre><code>ADR 1\n</code></pre>"), "{html}");
    }

    #[test]
    fn renders_markdown() {
        let f = Fixture::new();
        let html = f.render("# Title\n\n* one\n* **two**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<strong>two</strong>"));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn decision_links_become_in_app_links() {
        let f = Fixture::new();
        let html = f.render("See [B](0002-b.md) and [B again](./0002-b.md#context).");
        assert_eq!(
            html.matches("href=\"#decision/0002-b.md\"").count(),
            2,
            "{html}"
        );
        // A link to something that is not a decision keeps its text, loses the link.
        let html = f.render("[missing](0009-nope.md) [up](../../../etc/passwd)");
        assert!(!html.contains("href"), "{html}");
        assert!(html.contains("missing") && html.contains("up"));
    }

    #[test]
    fn external_links_only_http_and_mailto() {
        let f = Fixture::new();
        let html = f.render(
            "[w](https://example.com/x) [m](mailto:a@b.c) [j](javascript:alert(1)) \
             [d](data:text/html,<script>alert(1)</script>) [v](vbscript:x) [f](file:///etc/passwd)",
        );
        assert!(html.contains("href=\"https://example.com/x\""), "{html}");
        assert!(html.contains("href=\"mailto:a@b.c\""));
        assert!(html.contains("rel=\"noopener noreferrer\""));
        for bad in ["javascript:", "data:", "vbscript:", "file:"] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
    }

    #[test]
    fn hostile_html_is_stripped() {
        let f = Fixture::new();
        let md = r#"
<script>window.__pwned = 1</script>
<img src=x onerror="window.__pwned = 2">
<svg onload="window.__pwned = 3"><script>alert(1)</script></svg>
<iframe src="javascript:alert(1)"></iframe>
<a href="javascript:alert(1)">click</a>
<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>
<div onclick="alert(1)" style="background:url(javascript:alert(1))">div</div>
<object data="x.swf"></object><embed src="x.swf">
<form action="https://evil.example"><input name=x></form>
<meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<style>body{display:none}</style>
<a href="../../secret.md">rel</a>
<img src="data:image/svg+xml,<svg onload=alert(1)>">
"#;
        let html = f.render(md);
        for bad in [
            "<script",
            "onerror",
            "onload",
            "onclick",
            "<iframe",
            "javascript:",
            "<svg",
            "<object",
            "<embed",
            "<form",
            "<meta",
            "<style",
            "style=",
            "data:",
            "secret.md",
        ] {
            assert!(!html.to_lowercase().contains(bad), "{bad} survived: {html}");
        }
    }

    #[test]
    fn images_only_from_inside_the_workspace() {
        let f = Fixture::new();
        let html = f.render("![dot](img/dot.png)");
        assert!(
            html.contains("src=\"data:image/png;base64,iVBORw==\""),
            "{html}"
        );
        let html = f.render("![out](../../../outside.png) ![remote](https://example.com/a.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("out") && html.contains("remote"));
    }

    /// Every `href`/`src` value left in `html`, entities decoded as a browser would.
    fn url_values(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let value = part.split('"').next().unwrap_or_default();
                out.push(value.replace("&amp;", "&"));
            }
        }
        out
    }

    #[test]
    fn no_scheme_slips_through_behind_control_characters() {
        let f = Fixture::new();
        for payload in [
            "<a href=\"\u{1}data:text/html,<script>window.__pwned=1</script>\">c1</a>",
            "<a href=\"&#1;data:text/html;base64,PHNjcmlwdD4=\">entity</a>",
            "<a href=\"\u{1f}javascript:window.__pwned=1\">us</a>",
            "<a href=\" javascript:window.__pwned=1\">space</a>",
            "<a href=\"&#9;javascript:window.__pwned=1\">tab</a>",
            "<a href=\"java&#9;script:window.__pwned=1\">inner tab</a>",
            "<a href=\"java&#10;script:window.__pwned=1\">inner newline</a>",
            "<a href=\"\u{0}javascript:window.__pwned=1\">nul</a>",
            "<a href=\"&#x0c;data:text/html,x\">form feed</a>",
            "<a href=\"\u{1}https://example.com\">hidden http</a>",
            "<img src=\"\u{1}data:image/svg+xml;base64,PHN2Zz4=\">",
            "<img src=\"https://tracker.example/pixel.png\">",
            "<blockquote cite=\"\u{1}javascript:x\">q</blockquote>",
        ] {
            let html = f.render(payload);
            for url in url_values(&html) {
                let read = as_browser_reads(&url);
                let ok = url.starts_with('#')
                    || ((read.starts_with("https://")
                        || read.starts_with("http://")
                        || read.starts_with("mailto:"))
                        && !url.chars().any(char::is_control))
                    || is_inline_image(&url);
                assert!(ok, "{payload:?} left {url:?}: {html}");
                assert!(!read.starts_with("https://tracker"), "{html}");
            }
            let lower = html.to_lowercase();
            assert!(
                !lower.contains("javascript:") && !lower.contains("data:text"),
                "{payload:?}: {html}"
            );
        }
    }

    #[test]
    fn mailto_links_lose_their_query() {
        let f = Fixture::new();
        let html = f.render(
            "[m](mailto:a@b.c?subject=Hi&body=x&attach=/home/u/.ssh/id_rsa) \
             <a href=\"mailto:d@e.f?cc=evil@x.y&amp;attach=~/.gnupg\">raw</a> \
             [frag](mailto:g@h.i#x)",
        );
        assert!(html.contains("href=\"mailto:a@b.c\""), "{html}");
        assert!(html.contains("href=\"mailto:d@e.f\""), "{html}");
        assert!(html.contains("href=\"mailto:g@h.i\""), "{html}");
        for bad in ["?", "subject", "body", "attach", "cc=", "#x"] {
            assert!(
                url_values(&html).iter().all(|u| !u.contains(bad)),
                "{bad}: {html}"
            );
        }
        // A query hidden behind a percent escape is not guessed at: the link goes.
        let html = f.render("[p](mailto:a@b.c%3Fattach=/etc/passwd)");
        assert!(!html.contains("href"), "{html}");
        assert_eq!(
            external_target("MAILTO:a@b.c?body=x").as_deref(),
            Some("MAILTO:a@b.c")
        );
        assert_eq!(
            external_target("https://a.b/?q=1").as_deref(),
            Some("https://a.b/?q=1")
        );
        assert_eq!(external_target("javascript:x"), None);
    }

    #[test]
    fn only_disabled_checkboxes_survive_as_inputs() {
        let f = Fixture::new();
        let html = f.render(
            "- [x] done\n- [ ] todo\n\n\
             <input type=\"text\" value=\"secret\" autofocus>\n\
             <input type=\"password\" name=\"pw\">\n\
             <input type=\"image\" src=\"https://evil.example/x.png\">\n\
             <input type=\"submit\" formaction=\"https://evil.example\">\n\
             <input type=\"checkbox\">\n\
             <input>\n",
        );
        let inputs: Vec<&str> = html
            .split("<input")
            .skip(1)
            .map(|s| s.split('>').next().unwrap_or_default())
            .collect();
        assert_eq!(inputs.len(), 8, "{html}");
        for input in &inputs {
            assert!(input.contains("type=\"checkbox\""), "{input}: {html}");
            assert!(input.contains("disabled"), "{input}: {html}");
            for bad in [
                "text",
                "password",
                "image",
                "submit",
                "src",
                "value",
                "name",
                "autofocus",
                "formaction",
            ] {
                assert!(!input.contains(bad), "{bad} in {input}: {html}");
            }
        }
        assert_eq!(html.matches("checked").count(), 1, "{html}");
    }

    #[test]
    fn images_stay_inside_the_repository() {
        let f = Fixture::new();
        let outside = f.root.parent().unwrap().join("outside.png");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, f.root.join("docs/decisions/img/link.png")).unwrap();
        let html = f.render(&format!(
            "![up](../../../outside.png) ![abs]({}) ![enc](%2e%2e/%2e%2e/%2e%2e/outside.png) \
             ![link](img/link.png) ![remote](https://example.com/a.png) ![file](file:///etc/x.png)",
            outside.display()
        ));
        assert!(!html.contains("<img"), "{html}");
        for alt in ["up", "abs", "enc", "link", "remote", "file"] {
            assert!(html.contains(alt), "{alt}: {html}");
        }
    }

    #[test]
    fn inlined_images_have_a_size_cap_and_a_page_budget() {
        let f = Fixture::new();
        let img = f.root.join("docs/decisions/img");
        let png = |n: usize| {
            let mut v = vec![0u8; n];
            v[..4].copy_from_slice(&[0x89, b'P', b'N', b'G']);
            v
        };
        let big = usize::try_from(MAX_IMAGE_BYTES).unwrap() + 1;
        std::fs::write(img.join("big.png"), png(big)).unwrap();
        let html = f.render("![big](img/big.png)");
        assert!(
            !html.contains("<img") && html.contains("big"),
            "one image over the cap"
        );
        // Images each under the cap, together over the page's budget: those that fit are
        // shown in order, the rest as their alt text.
        let each = usize::try_from(MAX_PAGE_IMAGE_BYTES / 3 + 1).unwrap();
        for name in ["p1", "p2", "p3"] {
            std::fs::write(img.join(format!("{name}.png")), png(each)).unwrap();
        }
        let html =
            f.render("![p1](img/p1.png) ![p2](img/p2.png) ![p3](img/p3.png) ![dot](img/dot.png)");
        assert_eq!(html.matches("<img").count(), 3, "p1, p2 and the small dot");
        assert!(html.contains("alt=\"p1\"") && html.contains("alt=\"p2\""));
        assert!(
            !html.contains("alt=\"p3\"") && html.contains("p3"),
            "p3 as text"
        );
        assert!(html.contains("alt=\"dot\""));
    }

    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn external_url_check() {
        assert!(is_external_url("https://example.com"));
        assert!(is_external_url("MAILTO:a@b.c"));
        assert!(!is_external_url("javascript:alert(1)"));
        assert!(!is_external_url("file:///etc/passwd"));
        assert!(!is_external_url("https://a.b/ x"));
        assert!(!is_external_url("/etc/passwd"));
    }

    #[test]
    fn mermaid_blocks_become_escaped_diagram_source() {
        let f = Fixture::new();
        let html = f.render(
            "```mermaid\nflowchart LR\n  A[\"<img src=x onerror=alert(1)>\"] --> B & C\n```\n\n\
             ``` Mermaid title=x\nsequenceDiagram\n```\n\n```rust\nfn main() {}\n```\n",
        );
        assert!(
            html.contains(
                "<pre class=\"mermaid\">flowchart LR\n  A[\"&lt;img src=x \
                 onerror=alert(1)&gt;\"] --&gt; B &amp; C\n</pre>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<pre class=\"mermaid\">sequenceDiagram\n</pre>"),
            "{html}"
        );
        assert_eq!(
            html.matches("class=").count(),
            2,
            "other code keeps no class: {html}"
        );
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn only_the_mermaid_class_on_pre_survives() {
        let f = Fixture::new();
        let html = f.render(
            "<pre class=\"mermaid evil\" onclick=\"x()\">a</pre>\n\n\
             <div class=\"mermaid\">b</div>\n\n<code class=\"mermaid\">c</code>\n\n\
             <pre class=\"hidden\">d</pre>\n",
        );
        assert!(html.contains("<pre class=\"mermaid\">a</pre>"), "{html}");
        // Other classes go (an emptied attribute may stay).
        assert_eq!(
            html.matches("class=\"").count(),
            html.matches("class=\"mermaid\"").count() + html.matches("class=\"\"").count(),
            "{html}"
        );
        assert_eq!(html.matches("class=\"mermaid\"").count(), 1, "{html}");
        assert!(
            !html.contains("onclick") && !html.contains("evil"),
            "{html}"
        );
    }

    #[test]
    fn body_skips_front_matter() {
        let text = "---\nstatus: accepted\n---\n# T\nbody\n";
        assert_eq!(body_of(text, 4), "# T\nbody\n");
        assert_eq!(body_of(text, 1), text);
    }
}
