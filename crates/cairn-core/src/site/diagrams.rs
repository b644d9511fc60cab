//! Mermaid diagrams on the site. The renderer leaves each diagram as `<pre class="mermaid">`
//! holding escaped source, readable as it is. When the build is given Mermaid's browser
//! bundle (the package installs one; see [`super::default_diagram_script`]), it is copied into
//! the site and only the pages with a diagram load it, so `site.js` draws them in the
//! reader's browser; with no bundle the source stays, labelled as a diagram.
//!
//! Those pages alone allow inline styles: Mermaid's SVG carries its own `<style>` element and
//! style attributes. Scripts stay `'self'` only, so markup injected through a diagram still
//! cannot run.

use std::io::Read;
use std::path::Path;

use super::html::CSP;
use super::output::Site;
use crate::{Error, Result};

/// What a page holds when it has a diagram (the renderer writes exactly this; ammonia lets
/// the class through on `<pre>` alone).
const MARK: &[u8] = b"<pre class=\"mermaid\">";
/// Where the bundle goes in the site.
pub(crate) const SCRIPT_PATH: &str = "assets/mermaid.min.js";
/// Mermaid 11's bundle is 3.5 MB; four times that is not a Mermaid bundle.
const MAX_SCRIPT_BYTES: u64 = 16 * 1024 * 1024;

/// [`CSP`] with inline styles allowed, for the pages that draw a diagram.
fn diagram_csp() -> String {
    CSP.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';")
}

/// The bundle's bytes, refused unread when it is larger than a bundle can be.
pub(crate) fn read_script(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if size > MAX_SCRIPT_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: MAX_SCRIPT_BYTES,
            purpose: "for Mermaid's bundle",
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_SCRIPT_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// Whether a page's HTML has a diagram.
pub(crate) fn has_diagram(html: &[u8]) -> bool {
    html.windows(MARK.len()).any(|w| w == MARK)
}

/// Makes the pages with a diagram load `script` (before `site.js`, which draws them) under
/// the diagram CSP, and adds the bundle to the site when any page needs it. Returns how many
/// pages have a diagram.
pub(crate) fn enable(site: &mut Site, script: Option<Vec<u8>>) -> usize {
    let Some(script) = script else {
        return site.pages().filter(|(_, html)| has_diagram(html)).count();
    };
    let csp = diagram_csp();
    let mut pages = 0;
    for (path, html) in site.pages_mut() {
        if !has_diagram(html) {
            continue;
        }
        let root = super::html::root_of(path);
        let site_js = format!("<script src=\"{root}assets/site.js\" defer></script>");
        let text = String::from_utf8_lossy(html)
            .replacen(
                &format!("content=\"{CSP}\""),
                &format!("content=\"{csp}\""),
                1,
            )
            .replacen(
                &site_js,
                &format!("<script src=\"{root}{SCRIPT_PATH}\" defer></script>\n{site_js}"),
                1,
            );
        *html = text.into_bytes();
        pages += 1;
    }
    if pages > 0 {
        site.add(SCRIPT_PATH, script);
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Vec<u8> {
        super::super::html::layout(
            "T",
            super::super::html::Page {
                path: "d/x.html",
                title: "x",
                kind: "decision",
                nav: Vec::new(),
                body: body.into(),
            },
        )
        .into_bytes()
    }

    #[test]
    fn only_pages_with_a_diagram_load_the_bundle_and_allow_inline_styles() {
        let mut site = Site::default();
        site.add(
            "d/a.html",
            page("<pre class=\"mermaid\">flowchart LR\n A--&gt;B</pre>"),
        );
        site.add("d/b.html", page("<p>No diagram.</p>"));
        assert_eq!(enable(&mut site, Some(b"/* mermaid */".to_vec())), 1);
        let a = String::from_utf8(site.get("d/a.html").unwrap().to_vec()).unwrap();
        assert!(a.contains("<script src=\"../assets/mermaid.min.js\" defer></script>\n<script src=\"../assets/site.js\" defer>"), "{a}");
        assert!(a.contains("style-src 'self' 'unsafe-inline';"), "{a}");
        assert!(a.contains("script-src 'self';"), "{a}");
        let b = String::from_utf8(site.get("d/b.html").unwrap().to_vec()).unwrap();
        assert!(
            !b.contains("mermaid.min.js") && !b.contains("unsafe-inline"),
            "{b}"
        );
        assert_eq!(site.get(SCRIPT_PATH), Some(&b"/* mermaid */"[..]));
    }

    #[test]
    fn without_a_bundle_or_a_diagram_nothing_is_added() {
        let mut site = Site::default();
        site.add("d/a.html", page("<pre class=\"mermaid\">x</pre>"));
        assert_eq!(enable(&mut site, None), 1);
        assert!(site.get(SCRIPT_PATH).is_none());
        let mut site = Site::default();
        site.add("d/b.html", page("<p>No diagram.</p>"));
        assert_eq!(enable(&mut site, Some(b"x".to_vec())), 0);
        assert!(site.get(SCRIPT_PATH).is_none());
    }

    #[test]
    fn a_file_larger_than_a_bundle_is_refused_unread() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("big.js");
        let f = std::fs::File::create(&p).unwrap();
        f.set_len(MAX_SCRIPT_BYTES + 1).unwrap();
        assert_eq!(read_script(&p).unwrap_err().kind(), "too-large");
    }
}
