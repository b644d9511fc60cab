//! The HTML every page of the site shares: escaping, the head with its Content Security
//! Policy, the header with the navigation and the search box, and the stylesheet and script
//! (kept as files beside this module and embedded at compile time).

use std::fmt::Write as _;

use crate::decision::StatusKind;

pub(crate) const CSS: &str = include_str!("assets/site.css");
pub(crate) const JS: &str = include_str!("assets/site.js");

/// Scripts and styles only from the site's own files (none inline, so injected markup cannot
/// run or restyle anything), images from the site or inlined by the renderer, nothing else:
/// no connections, frames, forms or plugins.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; base-uri 'none'; form-action 'none'";

/// `s` as HTML text or a quoted attribute value.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The way back to the site's root from a page at `path` (relative, `/`-separated).
pub(crate) fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A page's own parts; the rest comes from [`layout`].
pub(crate) struct Page<'a> {
    /// Where the page is written, relative to the site's root.
    pub path: &'a str,
    pub title: &'a str,
    /// What the script should enhance: `log`, `decision`, `board`, `graph`, `tags`, `print`.
    pub kind: &'a str,
    /// Extra navigation after the site-wide links (a section's graph and board).
    pub nav: Vec<(String, String)>,
    pub body: String,
}

/// A complete HTML document around `page`.
pub(crate) fn layout(site_title: &str, page: Page) -> String {
    let root = root_of(page.path);
    let mut out = String::with_capacity(page.body.len() + 2048);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{} · {}</title>\n\
         <link rel=\"stylesheet\" href=\"{root}assets/site.css\">\n\
         <link rel=\"alternate\" type=\"application/atom+xml\" href=\"{root}feed.xml\" title=\"{}\">\n\
         <script src=\"{root}assets/site.js\" defer></script>\n</head>\n\
         <body data-root=\"{root}\" data-page=\"{}\">\n\
         <a class=\"skip\" href=\"#main\">Skip to content</a>\n",
        esc(page.title),
        esc(site_title),
        esc(site_title),
        page.kind,
    );
    header(&mut out, site_title, &root, &page.nav);
    let _ = write!(
        out,
        "<main id=\"main\" tabindex=\"-1\">\n{}</main>\n\
         <footer><p>Published with Cairn. <a href=\"{root}feed.xml\">Atom feed</a> · \
         <a href=\"{root}all.html\">Every decision on one page</a> (for printing)</p></footer>\n\
         </body>\n</html>\n",
        page.body
    );
    out
}

fn header(out: &mut String, site_title: &str, root: &str, nav: &[(String, String)]) {
    let _ = write!(
        out,
        "<header class=\"top\">\n<a class=\"brand\" href=\"{root}index.html\">{}</a>\n\
         <nav aria-label=\"Site\"><a href=\"{root}index.html\">Log</a> \
         <a href=\"{root}tags/index.html\">Tags</a>",
        esc(site_title)
    );
    for (label, href) in nav {
        let _ = write!(out, " <a href=\"{root}{}\">{}</a>", esc(href), esc(label));
    }
    out.push_str(
        "</nav>\n<div class=\"search\" role=\"search\">\n\
         <label for=\"q\" class=\"sr\">Search decisions</label>\n\
         <input id=\"q\" type=\"search\" placeholder=\"Search decisions  /\" autocomplete=\"off\" \
         spellcheck=\"false\" role=\"combobox\" aria-expanded=\"false\" aria-controls=\"results\" \
         aria-autocomplete=\"list\">\n\
         <div id=\"results\" role=\"listbox\" aria-label=\"Search results\" hidden></div>\n\
         <p id=\"search-status\" class=\"sr\" aria-live=\"polite\"></p>\n</div>\n</header>\n",
    );
}

/// A status as a coloured chip.
pub(crate) fn chip(status: StatusKind) -> String {
    format!("<span class=\"chip s-{0}\">{0}</span>", status.as_str())
}
