//! A deterministic corpus generator for search benchmarks: N realistic decision records
//! (1 to 8 KB, a real software vocabulary, statuses, tags, people, links, and a mix of the
//! Nygard, MADR bullet and MADR front-matter dialects), the same for the same seed.
//!
//! `cargo run -p cairn-core --release --example gen_corpus -- DIR N [SEED]`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;

/// xorshift64*: small, seeded, and the same on every machine, so no dependency is needed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

pub const TECH: &[&str] = &[
    "PostgreSQL",
    "SQLite",
    "MySQL",
    "Redis",
    "Kafka",
    "RabbitMQ",
    "Elasticsearch",
    "Kubernetes",
    "Terraform",
    "Docker",
    "GraphQL",
    "gRPC",
    "REST",
    "OpenAPI",
    "React",
    "Vue",
    "Svelte",
    "TypeScript",
    "Rust",
    "Go",
    "Python",
    "Java",
    "Kotlin",
    "Swift",
    "Nginx",
    "Envoy",
    "Istio",
    "Prometheus",
    "Grafana",
    "OpenTelemetry",
    "Jaeger",
    "Sentry",
    "Vault",
    "Keycloak",
    "OAuth2",
    "OpenID",
    "JWT",
    "S3",
    "CloudFront",
    "Lambda",
    "DynamoDB",
    "BigQuery",
    "Snowflake",
    "dbt",
    "Airflow",
    "Spark",
    "Flink",
    "ClickHouse",
    "MongoDB",
    "Cassandra",
    "Neo4j",
    "Stripe",
    "Adyen",
    "PayPal",
    "Twilio",
    "SendGrid",
    "Auth0",
    "Okta",
    "GitHub",
    "GitLab",
    "Jenkins",
    "ArgoCD",
    "Helm",
    "Consul",
    "etcd",
    "NATS",
    "Pulsar",
    "Temporal",
    "Celery",
    "Sidekiq",
    "Webpack",
    "Vite",
    "Tailwind",
    "Storybook",
    "Playwright",
    "Cypress",
    "Jest",
    "pytest",
    "Bazel",
    "Nix",
];

pub const AREAS: &[&str] = &[
    "the primary store",
    "session storage",
    "event streaming",
    "background jobs",
    "search",
    "authentication",
    "authorisation",
    "billing",
    "invoicing",
    "payments",
    "notifications",
    "observability",
    "logging",
    "metrics",
    "tracing",
    "deployment",
    "infrastructure as code",
    "the public API",
    "internal services",
    "the mobile app",
    "the web front end",
    "caching",
    "feature flags",
    "data warehousing",
    "reporting",
    "secrets management",
    "CI pipelines",
    "end-to-end tests",
    "schema migrations",
    "rate limiting",
    "file uploads",
    "PDF generation",
    "email delivery",
    "multi-tenancy",
    "audit logging",
    "disaster recovery",
    "backups",
];

pub const VERBS: &[&str] = &[
    "Use",
    "Adopt",
    "Replace",
    "Defer",
    "Introduce",
    "Drop",
    "Standardise on",
    "Migrate to",
    "Evaluate",
    "Keep",
];

pub const WORDS: &[&str] = &[
    "latency",
    "throughput",
    "consistency",
    "availability",
    "partition",
    "replication",
    "migration",
    "rollback",
    "deployment",
    "cluster",
    "tenant",
    "schema",
    "index",
    "query",
    "cache",
    "queue",
    "consumer",
    "producer",
    "contract",
    "boundary",
    "module",
    "monolith",
    "service",
    "gateway",
    "proxy",
    "certificate",
    "encryption",
    "compliance",
    "retention",
    "budget",
    "licence",
    "vendor",
    "operational",
    "complexity",
    "team",
    "on-call",
    "incident",
    "runbook",
    "benchmark",
    "prototype",
    "customer",
    "requirement",
    "constraint",
    "trade-off",
    "risk",
    "cost",
    "performance",
    "security",
    "reliability",
    "maintainability",
    "scalability",
    "observability",
    "experiment",
    "rollout",
    "regression",
    "dependency",
    "upgrade",
    "version",
    "protocol",
    "payload",
    "serialisation",
    "idempotency",
    "retry",
    "timeout",
    "backpressure",
];

const FILLER: &[&str] = &[
    "the", "we", "because", "so", "that", "our", "with", "for", "and", "of", "to", "in", "this",
    "is", "it", "a", "would", "should", "can", "must", "when", "after", "before",
];

pub const TAGS: &[&str] = &[
    "db",
    "security",
    "ops",
    "payments",
    "frontend",
    "backend",
    "api",
    "data",
    "infra",
    "testing",
    "architecture",
    "process",
];

pub const PEOPLE: &[&str] = &[
    "Priya Nair",
    "Jonas Berg",
    "Mei Lin",
    "Tomás Ruiz",
    "Hannah Okafor",
    "Aiko Tanaka",
    "Lars Holm",
    "Fatima Zahra",
    "Diego Alvarez",
    "Sofia Rossi",
    "Kwame Mensah",
    "Eva Novak",
];

const STATUSES: &[&str] = &[
    "Accepted",
    "Accepted",
    "Accepted",
    "Proposed",
    "Rejected",
    "Deprecated",
    "Superseded",
    "Draft",
];

fn sentence(rng: &mut Rng, out: &mut String) {
    let n = 8 + rng.below(14);
    for i in 0..n {
        let w = match rng.below(10) {
            0..=3 => rng.pick(FILLER),
            4 => rng.pick(TECH),
            _ => rng.pick(WORDS),
        };
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out.push_str(". ");
}

fn paragraphs(rng: &mut Rng, out: &mut String, bytes: usize) {
    let start = out.len();
    while out.len() - start < bytes {
        for _ in 0..(2 + rng.below(4)) {
            sentence(rng, out);
        }
        out.push_str("\n\n");
    }
}

/// The title, date and file text of decision `n` (1-based).
pub fn decision(rng: &mut Rng, n: usize, total: usize) -> (String, String) {
    let title = format!(
        "{} {} for {}",
        rng.pick(VERBS),
        rng.pick(TECH),
        rng.pick(AREAS)
    );
    let date = format!(
        "{}-{:02}-{:02}",
        2015 + rng.below(11),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let status = rng.pick(STATUSES);
    let tags = [rng.pick(TAGS), rng.pick(TAGS)];
    let people = [rng.pick(PEOPLE), rng.pick(PEOPLE)];
    let size = 1000 + rng.below(7000);
    let mut text = String::with_capacity(size + 600);
    let link = (n > 1).then(|| 1 + rng.below(n - 1));
    match n % 3 {
        0 => {
            let _ = write!(
                text,
                "---\nstatus: {}\ndate: {date}\ndecision-makers: [{}, {}]\ntags: [{}, {}]\n",
                status.to_lowercase(),
                people[0],
                people[1],
                tags[0],
                tags[1]
            );
            if let Some(l) = link {
                let _ = writeln!(text, "relates-to: [ADR-{l:04}]");
            }
            if rng.below(3) == 0 {
                let _ = writeln!(
                    text,
                    "scope: {}",
                    if rng.below(2) == 0 { "now" } else { "later" }
                );
            }
            let _ = write!(
                text,
                "---\n# {title}\n\n## Context and Problem Statement\n\n"
            );
        }
        1 => {
            let _ = write!(
                text,
                "# {title}\n\n* Status: {}\n* Deciders: {}, {}\n* Date: {date}\n* Tags: {}, {}\n\n## Context and Problem Statement\n\n",
                status.to_lowercase(), people[0], people[1], tags[0], tags[1]
            );
        }
        _ => {
            let _ = write!(
                text,
                "# {n}. {title}\n\nDate: {date}\n\n## Status\n\n{status}\n\n"
            );
            if let Some(l) = link {
                let _ = writeln!(
                    text,
                    "Relates to [{l}. Earlier decision]({l:04}-earlier.md)\n"
                );
            }
            text.push_str("## Context\n\n");
        }
    }
    paragraphs(rng, &mut text, size / 2);
    text.push_str("## Decision\n\n");
    paragraphs(rng, &mut text, size / 3);
    text.push_str("## Consequences\n\n");
    paragraphs(rng, &mut text, size / 6);
    let _ = total;
    (title, text)
}

pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// Writes `n` decisions into `dir/docs/decisions` (with a `.cairn.toml`), seeded by `seed`.
pub fn generate(dir: &Path, n: usize, seed: u64) -> std::io::Result<()> {
    let decisions = dir.join("docs/decisions");
    std::fs::create_dir_all(&decisions)?;
    std::fs::write(dir.join(".cairn.toml"), "decisions = \"docs/decisions\"\n")?;
    let mut rng = Rng::new(seed);
    for i in 1..=n {
        let (title, text) = decision(&mut rng, i, n);
        std::fs::write(decisions.join(format!("{i:04}-{}.md", slug(&title))), text)?;
    }
    Ok(())
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n)) = (args.first(), args.get(1).and_then(|s| s.parse().ok())) else {
        eprintln!("usage: gen_corpus DIR N [SEED]");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    generate(Path::new(dir), n, seed)?;
    eprintln!("wrote {n} decisions to {dir}/docs/decisions (seed {seed})");
    Ok(())
}
