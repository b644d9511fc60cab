//! The parser against seven real ADR folders, read in place (see `common`): exact counts
//! of what each folder states, spot checks of single records, and the diagnostics that
//! remain, so a regression on real-world Markdown shows up as a changed number.
//!
//! The expected figures were found by reading the files, not by running the parser; the
//! comment above each test says how.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use cairn_core::workspace::Source;
use cairn_core::{Decision, Log, StatusKind, Workspace};
use chrono::NaiveDate;

/// What a folder holds, in the terms the brief counts.
#[derive(Debug, PartialEq, Eq)]
struct Figures {
    listed: usize,
    titled: usize,
    with_status: usize,
    numbered: usize,
    set_aside: Vec<String>,
}

fn figures(log: &Log) -> Figures {
    let count = |f: fn(&Decision) -> bool| log.decisions.iter().filter(|d| f(d)).count();
    Figures {
        listed: log.decisions.len(),
        titled: count(|d| d.title.is_some()),
        with_status: count(|d| d.status.is_some()),
        numbered: count(|d| d.number.is_some()),
        set_aside: log
            .other_files
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect(),
    }
}

/// Opens the corpus the way a user would and loads its log; checks that every Markdown
/// file of the folder is either listed or set aside.
fn load(name: &str, want: Source) -> Option<(Workspace, Log)> {
    let root = common::corpus(name)?;
    let ws = match want {
        // Decentraland keeps its records in `content/`, which no convention names.
        Source::Explicit => Workspace::open(&root.join("content")),
        _ => Workspace::discover(&root),
    }
    .expect("the corpus is a workspace");
    assert_eq!(ws.source, want, "{name}: found through the wrong marker");
    let log = ws.load().expect("the log loads");
    let on_disk = std::fs::read_dir(&ws.decisions_dir)
        .expect("the decisions folder reads")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| e.file_name().to_string_lossy().ends_with(".md"))
        .count();
    assert_eq!(
        log.decisions.len() + log.other_files.len(),
        on_disk,
        "{name}: every Markdown file is listed or set aside"
    );
    Some((ws, log))
}

fn get<'a>(log: &'a Log, file: &str) -> &'a Decision {
    log.decisions
        .iter()
        .find(|d| d.file_name == file)
        .unwrap_or_else(|| panic!("{file} is listed"))
}

/// Prints every diagnostic that remains and returns them as `(file, line, message)`, so
/// each test can assert the exact set it expects.
fn diagnostics(name: &str, log: &Log) -> Vec<(String, Option<usize>, String)> {
    let mut out = Vec::new();
    for d in &log.decisions {
        for g in &d.diagnostics {
            eprintln!("{name}: {}:{:?}: {}", d.file_name, g.line, g.message);
            out.push((d.file_name.clone(), g.line, g.message.clone()));
        }
    }
    out
}

fn status(d: &Decision) -> (&str, StatusKind) {
    let s = d
        .status
        .as_ref()
        .unwrap_or_else(|| panic!("{} has a status", d.file_name));
    (s.raw.as_str(), s.kind)
}

fn links(d: &Decision) -> Vec<(&str, Option<u32>)> {
    d.links
        .iter()
        .map(|l| (l.relation.as_str(), l.target_number))
        .collect()
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// decentraland-adr: 177 `ADR-N-slug.md` files in `content/` (one, ADR-102, is named
/// "… copy.md"), each with front matter stating `title`, `adr`, `date` and `status`
/// (`grep -c '^status:'` inside the front matter: 177). `.TEMPLATE.md` and
/// `.SDK-COMPONENT-TEMPLATE.md` are templates. Statuses are EIP-style: Living 93, Draft
/// 24, Deprecated 17, Final 15, Withdrawn 13, Review 11, Stagnant 4.
#[test]
fn decentraland_adr() {
    let Some((_, log)) = load("decentraland-adr", Source::Explicit) else {
        return;
    };
    assert_eq!(
        figures(&log),
        Figures {
            listed: 177,
            titled: 177,
            with_status: 177,
            numbered: 177,
            set_aside: vec![".SDK-COMPONENT-TEMPLATE.md".into(), ".TEMPLATE.md".into()],
        }
    );
    let mut kinds = std::collections::BTreeMap::new();
    for d in &log.decisions {
        *kinds.entry(status(d)).or_insert(0) += 1;
    }
    let kinds: Vec<_> = kinds.into_iter().collect();
    assert_eq!(
        kinds,
        [
            (("Deprecated", StatusKind::Deprecated), 17),
            (("Draft", StatusKind::Draft), 24),
            (("Final", StatusKind::Accepted), 15),
            (("Living", StatusKind::Accepted), 93),
            (("Review", StatusKind::Proposed), 11),
            (("Stagnant", StatusKind::Draft), 4),
            (("Withdrawn", StatusKind::Rejected), 13),
        ]
    );

    let d = get(&log, "ADR-1-adr-process.md");
    assert_eq!(
        d.title.as_deref(),
        Some("ADR documents specification & process")
    );
    assert_eq!((d.number, d.date), (Some(1), date(2020, 10, 5)));
    assert_eq!(d.status.as_ref().map(|s| s.line), Some(5));

    let d = get(&log, "ADR-50-isolated-scenes.md");
    assert_eq!(status(d), ("Withdrawn", StatusKind::Rejected));
    assert_eq!(d.people.authors, ["Suduck", "menduz", "brianamadori"]);

    let d = get(&log, "ADR-102-decentraland-protocol-for-explorers copy.md");
    assert_eq!(d.number, Some(102));

    // The one diagnostic is true: ADR 45 is dated the 45th of January.
    let d = get(&log, "ADR-45-entities-v4.md");
    assert_eq!((d.date, d.date_raw.as_deref()), (None, Some("2020-01-45")));
    let diags = diagnostics("decentraland-adr", &log);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(
        (diags[0].0.as_str(), diags[0].1),
        ("ADR-45-entities-v4.md", Some(3))
    );
}

/// govuk-aws: adr-tools (`.adr-dir`), 38 files 0001–0039 with no 0034, each with a `## Status`
/// section whose first line states the status (`grep -L '^## Status'` finds none missing).
/// 0033 and 0035 are both titled "# 3. …", copied from ADR 3.
#[test]
fn govuk_aws() {
    let Some((_, log)) = load("govuk-aws", Source::AdrDir) else {
        return;
    };
    assert_eq!(
        figures(&log),
        Figures {
            listed: 38,
            titled: 38,
            with_status: 38,
            numbered: 38,
            set_aside: vec![],
        }
    );
    let d = get(&log, "0004-dns-definitions-for-hosts-and-services.md");
    assert_eq!(d.status_kind(), StatusKind::Superseded);
    assert_eq!(links(d), [("superseded-by", Some(15))]);
    assert_eq!(
        d.links[0].target_file.as_deref(),
        Some("0015-dns-infrastructure.md")
    );

    let d = get(&log, "0010-terraform-directory-structure.md");
    assert_eq!(status(d), ("Accepted", StatusKind::Accepted));
    assert_eq!(links(d), [("amended-by", Some(17))]);
    assert_eq!(d.date, date(2017, 7, 4));
    assert_eq!(
        links(get(&log, "0017-terraform-data-structure.md")),
        [("amends", Some(10))]
    );

    let spellings = [
        (
            "0003-aws-networking-outline.md",
            "Partly superseded",
            StatusKind::Superseded,
        ),
        (
            "0006-puppet-architecture.md",
            "Pending",
            StatusKind::Proposed,
        ),
        (
            "0038-mongo_replacement_by_documentdb.md",
            "Approved",
            StatusKind::Accepted,
        ),
    ];
    for (file, raw, kind) in spellings {
        assert_eq!(status(get(&log, file)), (raw, kind), "{file}");
    }

    // The only diagnostics are the two copied titles, which are kept as written.
    assert_eq!(
        get(&log, "0033-ip-ranges.md").title.as_deref(),
        Some("3. Networking Outline")
    );
    let diags = diagnostics("govuk-aws", &log);
    let files: Vec<_> = diags.iter().map(|(f, l, _)| (f.as_str(), *l)).collect();
    assert_eq!(
        files,
        [
            ("0033-ip-ranges.md", Some(1)),
            ("0035-bouncer-load-balancer-on-port-80-and-443.md", Some(1)),
        ]
    );
    assert!(diags.iter().all(|(_, _, m)| m.contains("numbered 3")));
}

/// hydra: Docusaurus front matter (`slug`, `title: |`, `authors`, `tags: [Status]`) in
/// `docs/adr`, named `YYYY-MM-DD_NNN-slug.md`. All 34 carry a status tag (`grep -c '^tags: \['`)
/// and a `## Status` section.
#[test]
fn hydra() {
    let Some((_, log)) = load("hydra", Source::Conventional("docs/adr".into())) else {
        return;
    };
    assert_eq!(
        figures(&log),
        Figures {
            listed: 34,
            titled: 34,
            with_status: 34,
            numbered: 34,
            set_aside: vec![],
        }
    );
    let d = get(&log, "2022-03-28_017-udp-networking.md");
    assert_eq!(
        d.title.as_deref(),
        Some("Use UDP protocol for Hydra networking")
    );
    assert_eq!(d.status_kind(), StatusKind::Superseded);
    // "Superseded (as never implemented) by [ADR 32](/adr/32)"
    assert_eq!(links(d), [("superseded-by", Some(32))]);

    // "Superseded by [ADR 23](/adr/23) and [ADR 26](/adr/26)"
    let d = get(&log, "2022-04-13_018-single-state.md");
    assert_eq!(
        links(d),
        [("superseded-by", Some(23)), ("superseded-by", Some(26))]
    );

    let d = get(
        &log,
        "2022-12-05_021-Bounded-transaction-validity-on-Hydra-protocol-transactions.md",
    );
    assert_eq!(d.date, date(2022, 12, 5));
    assert_eq!(
        d.people.authors,
        ["ch1bo", "pgrange", "ffakenz", "abailly", "v0d1ch"]
    );
    assert!(d.tags.is_empty(), "a status tag is the status, not a tag");

    let d = get(&log, "2022-03-17_015-admin-api.md");
    assert_eq!(status(d), ("Proposed", StatusKind::Proposed));

    assert_eq!(diagnostics("hydra", &log), []);
}

/// jabref: MADR 4 in Just-the-Docs front matter (`parent`, `nav_order`). 70 records
/// 0000–0069 plus `adr-template.md` and `index.md`. Only 6 front matters state a status
/// (0042, 0045, 0047, 0049, 0057, 0061: `grep -n '^status:'`); the other 64 state none.
/// 0039 is about a template engine and is a record, not a template.
#[test]
fn jabref() {
    let Some((_, log)) = load("jabref", Source::Conventional("docs/decisions".into())) else {
        return;
    };
    assert_eq!(
        figures(&log),
        Figures {
            listed: 70,
            titled: 70,
            with_status: 6,
            numbered: 70,
            set_aside: vec!["adr-template.md".into(), "index.md".into()],
        }
    );
    let d = get(&log, "0039-use-apache-velocity-as-template-engine.md");
    assert_eq!(
        d.title.as_deref(),
        Some("Use Apache Velocity as template engine")
    );

    let d = get(&log, "0047-use-references-heading-in-citations-tab.md");
    assert_eq!(status(d), ("accepted", StatusKind::Accepted));
    assert_eq!(d.date, date(2025, 7, 31));
    assert_eq!(
        d.people.deciders,
        [
            "@ryan-carpenter",
            "@ThiloteE",
            "@SiedlerChr",
            "@callixtus",
            "@koppor"
        ]
    );

    // `status: "superseded by ADR-0057"` and `status: "accepted; supersedes ADR-0045"`.
    let d = get(&log, "0045-use-input-flag-always-for-input-files.md");
    assert_eq!(d.status_kind(), StatusKind::Superseded);
    assert_eq!(links(d), [("superseded-by", Some(57))]);
    let d = get(&log, "0057-allow-positional-input-file-argument.md");
    assert_eq!(d.status_kind(), StatusKind::Accepted);
    assert_eq!(links(d), [("supersedes", Some(45))]);

    // MADR 2 bullets under front matter.
    let d = get(&log, "0013-add-native-support-biblatex-software.md");
    assert_eq!(d.people.deciders, ["Oliver Kopp"]);

    assert_eq!(diagnostics("jabref", &log), []);
}

/// log4brains: `.log4brains.yml` points at `./docs/adr`; 9 MADR 2 records named
/// `YYYYMMDD-slug.md`, so none has a number, and all 9 have a `- Status:` bullet.
/// README.md, index.md and template.md are set aside.
#[test]
fn log4brains() {
    let Some((_, log)) = load("log4brains", Source::Log4brains) else {
        return;
    };
    assert_eq!(
        figures(&log),
        Figures {
            listed: 9,
            titled: 9,
            with_status: 9,
            numbered: 0,
            set_aside: vec!["README.md".into(), "index.md".into(), "template.md".into()],
        }
    );
    let d = get(&log, "20200926-use-the-adr-number-as-its-unique-id.md");
    assert_eq!(
        d.title.as_deref(),
        Some("Use the ADR number as its unique ID")
    );
    assert_eq!(d.status_kind(), StatusKind::Superseded);
    assert_eq!(d.date, date(2020, 9, 26));
    assert_eq!(links(d), [("superseded-by", None)]);
    assert_eq!(
        d.links[0].target_file.as_deref(),
        Some("20201016-use-the-adr-slug-as-its-unique-id.md")
    );

    let d = get(&log, "20201103-use-lunr-for-search.md");
    assert_eq!(status(d), ("accepted", StatusKind::Accepted));
    assert_eq!(d.date, date(2020, 11, 3));

    assert_eq!(diagnostics("log4brains", &log), []);
}

/// madr: the MADR project's own 19 records, front matter with `parent`/`nav_order`. Only
/// 0003 states a status (`status: on hold`); 0008 and 0013 show `status:` inside code
/// examples in their bodies, which are not their status.
#[test]
fn madr() {
    let Some((_, log)) = load("madr", Source::Conventional("docs/decisions".into())) else {
        return;
    };
    assert_eq!(
        figures(&log),
        Figures {
            listed: 19,
            titled: 19,
            with_status: 1,
            numbered: 19,
            set_aside: vec!["adr-template.md".into(), "index.md".into()],
        }
    );
    let d = get(&log, "0003-provide-own-madr-tools.md");
    assert_eq!(status(d), ("on hold", StatusKind::Proposed));
    assert_eq!(d.status.as_ref().map(|s| s.line), Some(4));
    assert_eq!(d.title.as_deref(), Some("Write Own MADR Tooling"));

    let d = get(&log, "0013-use-yaml-front-matter-for-meta-data.md");
    assert!(d.status.is_none());
    assert!(d.date.is_none());

    assert_eq!(diagnostics("madr", &log), []);
}

/// moj-cloud-platform: adr-tools style with emoji statuses ("✅ Accepted", "🤔 Incomplete",
/// "⛔️ Superseded by …") in `architecture-decision-record/`, numbered `NNN-`. 45 of 49
/// have a `## Status` section; 028–031 are sign-posts to private ADRs and state none.
#[test]
fn moj_cloud_platform() {
    let Some((_, log)) = load(
        "moj-cloud-platform",
        Source::Conventional("architecture-decision-record".into()),
    ) else {
        return;
    };
    assert_eq!(
        figures(&log),
        Figures {
            listed: 49,
            titled: 49,
            with_status: 45,
            numbered: 49,
            set_aside: vec!["README.md".into()],
        }
    );
    // "Date: 10/04/18" and "Date 09/04/2018".
    let d = get(&log, "004-use-kubernetes-for-container-management.md");
    assert_eq!(d.date, date(2018, 4, 10));
    assert_eq!(status(d), ("Accepted", StatusKind::Accepted));
    assert_eq!(
        get(&log, "006-Use-github-as-user-directory.md").date,
        date(2018, 4, 9)
    );

    let d = get(&log, "021-Multi-cluster.md");
    assert_eq!(d.status_kind(), StatusKind::Superseded);
    assert_eq!(links(d), [("superseded-by", Some(36))]);

    let d = get(&log, "034-EKS-Fargate.md");
    assert_eq!(status(d), ("Incomplete", StatusKind::Draft));
    assert_eq!(d.title.as_deref(), Some("EKS Fargate"));

    let d = get(&log, "018-Dedicated-Ingress-Controllers.md");
    assert_eq!(d.status_kind(), StatusKind::Rejected);

    // Update notes that end in a link are not relations.
    let d = get(&log, "012-One-cluster-for-dev-staging-prod.md");
    assert_eq!(links(d), []);

    for file in [
        "028-Repo-vulnerability-scanning.md",
        "029-Kubernetes-security-config-auditing.md",
        "030-AWS-root-user-security.md",
        "031-Image-vulnerability-scanning.md",
    ] {
        assert!(get(&log, file).status.is_none(), "{file}");
    }

    assert_eq!(diagnostics("moj-cloud-platform", &log), []);
}

/// A missing corpus is a skip, not a failure, except under CI, and the default location is
/// the shared folder beside the checkout.
#[test]
fn a_missing_corpus_is_skipped_except_under_ci() {
    let found = std::panic::catch_unwind(|| common::corpus("no-such-corpus"));
    if cairn_testkit::inputs::on_ci() {
        assert!(found.is_err(), "under CI a missing corpus fails the test");
    } else {
        assert!(matches!(found, Ok(None)));
    }
    if std::env::var_os("CAIRN_CORPORA").is_none() {
        assert!(common::corpora_root().ends_with("shared/corpora"));
    }
}
