//! Hostile workspace content shared by the desktop's and the static site's end-to-end tests:
//! links that try to take the window elsewhere or run script, and a card that does the same.

/// Each payload would set `window.__pwned` if it ran. The `\u{1}` before `data:` is a raw
/// control character in the file, which a browser strips before it reads the scheme.
pub const DECISION: &str = "---
status: proposed
date: 2026-01-20
---
# Hostile links

- [A web site](https://example.com/)
- [Mail with an attachment](mailto:ops@example.com?subject=Hi&attach=/etc/passwd)
- [A javascript: link](javascript:window.__pwned='md-js')
- [A data: link](data:text/html,<script>window.top.__pwned='md-data'</script>)
- [A file: link](file:///etc/passwd)
- <a href=\"\u{1}data:text/html,<script>window.top.__pwned='c0-data'</script>\" id=\"c0\">data: behind a control character</a>
- <a href=\" javascript:window.__pwned='space-js'\">javascript: behind a space</a>
- <a href=\"java&#9;script:window.__pwned='tab-js'\">javascript: with a tab inside</a>
- <input type=\"text\" value=\"Your password, please\"> a text field

- [x] A task list's box survives, disabled.

Plain text survives.
";

/// A card whose title carries links: the workshop outcome renders card titles as Markdown.
/// It waits in the Inbox, so the outcome lists it as still unsorted whenever the workshop
/// starts (a card already in Now is listed only if it moved).
pub const MAP: &str = "---
scope-map: hostile
backbone: [Use]
slices: [Inbox, Now, Later]
---
## Inbox

- [ ] Read <https://example.com/autolink> and <a href=\"https://example.com/raw\">this</a> and <a href=\"\u{1}data:text/html,<script>window.top.__pwned='card'</script>\">that</a> ^c-950
  - activity: Use
";
