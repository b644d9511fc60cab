//! Decision records with Mermaid diagrams, shared by the app's tests and the site's: two that
//! draw, one with a typo, and one whose diagrams carry Mermaid's known XSS classes (each
//! payload would set `window.__pwned` or open an alert if it ran).

pub const DIAGRAM: &str = "---
status: accepted
date: 2026-02-02
---
# Route payments through one gateway

The checkout talks to one gateway, which picks the provider.

```mermaid
flowchart LR
  Checkout[Checkout page] --> Gateway{Payment gateway}
  Gateway -->|cards| Stripe[Stripe]
  Gateway -->|wallets| PayPal[PayPal]
  Stripe --> Ledger[(Ledger)]
  PayPal --> Ledger
```

```mermaid
sequenceDiagram
  Checkout->>Gateway: charge(order)
  Gateway-->>Checkout: receipt
```

The ledger is the single record of money received.
";

pub const BROKEN: &str = "---
status: proposed
---
# A diagram with a typo

```mermaid
flowchart LR
  A --> B -->
  this is not mermaid ((
```

Text after the diagram.
";

/// Each payload would set `window.__pwned` (or open an alert) if it ran.
pub const HOSTILE: &str = r#"---
status: proposed
---
# Hostile diagrams

```mermaid
flowchart LR
  A["<img src=x onerror=window.__pwned='label-img'>"] --> B{"<script>window.__pwned='label-script'</script>"}
  B --> C["<a href=javascript:window.__pwned='label-a'>link</a>"]
  C --> D[plain]
  click A callback "window.__pwned='callback'"
  click B "javascript:window.__pwned='click-js'" "tooltip"
  click C href "javascript:window.__pwned='click-href'"
  click D call alert(1)
```

```mermaid
%%{init: {"securityLevel": "loose", "htmlLabels": true, "flowchart": {"htmlLabels": true}, "themeCSS": "body{display:none}"}}%%
flowchart TD
  E["<img src=x onerror=window.__pwned='loose-img'>"] --> F["<b onmouseover=window.__pwned='loose-b'>bold</b>"]
  click E callback
  click F "javascript:window.__pwned='loose-click'"
```

```mermaid
sequenceDiagram
  participant P as $$<img src=x onerror=window.__pwned='katex'>$$
  P->>Q: $$<img src=x onerror=window.__pwned='katex-msg'>$$
```

```mermaid
architecture-beta
  group api(cloud)[API]
  service db("<img src=x onerror=window.__pwned='icon-text'>")[Database] in api
```

Plain text survives.
"#;
