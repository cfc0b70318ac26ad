//! The layering rules of ARCHITECTURE.md, checked against Cargo's own view of the workspace:
//! the vault knows no network, the Graph and modern.gov clients know no store, the lock's logic and the
//! notifications' rules do no I/O,
//! the core knows no Tauri, and production code never reaches the simulator.
#![allow(missing_docs)] // a test binary

use std::collections::{BTreeSet, HashMap};
use std::process::Command;

/// The GUI-free core: every crate a production build is made of, the shell aside.
const CORE: [&str; 13] = [
    "companion-app",
    "companion-allowance",
    "companion-desktop-notices",
    "companion-evidence",
    "companion-graph",
    "companion-keystore",
    "companion-mail-html",
    "companion-moderngov",
    "companion-network-cost",
    "companion-notify",
    "companion-protection",
    "companion-sync",
    "companion-vault",
];

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    cmd
}

/// Every package each workspace crate reaches through normal (not dev or build) dependencies,
/// by package name, from `cargo metadata`'s resolved graph.
fn reachable() -> HashMap<String, BTreeSet<String>> {
    // This machine's platform only: the phone platforms' crates need not be downloaded.
    let rustc = Command::new("rustc").arg("-vV").output().expect("rustc runs");
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .expect("rustc names its host");
    let out = cargo()
        .args(["metadata", "--format-version", "1", "--offline", "--filter-platform", &host])
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("cargo metadata is JSON");
    let name_of: HashMap<&str, &str> = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p["id"].as_str()?, p["name"].as_str()?)))
        .collect();
    let mut normal: HashMap<&str, Vec<&str>> = HashMap::new();
    for node in meta["resolve"]["nodes"].as_array().into_iter().flatten() {
        let id = node["id"].as_str().unwrap_or_default();
        let deps = node["deps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["dep_kinds"].as_array().into_iter().flatten().any(|k| k["kind"].is_null()))
            .filter_map(|d| d["pkg"].as_str());
        normal.insert(id, deps.collect());
    }
    let members: Vec<&str> =
        meta["workspace_members"].as_array().into_iter().flatten().filter_map(|m| m.as_str()).collect();
    members
        .iter()
        .map(|&member| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![member];
            while let Some(id) = stack.pop() {
                for &dep in normal.get(id).into_iter().flatten() {
                    if seen.insert(name_of.get(dep).copied().unwrap_or(dep).to_owned()) {
                        stack.push(dep);
                    }
                }
            }
            (name_of.get(member).copied().unwrap_or(member).to_owned(), seen)
        })
        .collect()
}

#[test]
fn the_layers_depend_only_downwards() {
    let graph = reachable();
    let reaches = |krate: &str, dep: &str| {
        graph.get(krate).unwrap_or_else(|| panic!("{krate} is a workspace member")).contains(dep)
    };
    for krate in CORE {
        assert!(!reaches(krate, "tauri"), "{krate} must not know about Tauri");
    }
    for net in ["reqwest", "hyper", "companion-graph"] {
        assert!(!reaches("companion-vault", net), "the vault must know no network ({net})");
    }
    for store in ["companion-vault", "rusqlite", "companion-keystore"] {
        assert!(!reaches("companion-graph", store), "the Graph client must know no store ({store})");
        assert!(!reaches("companion-moderngov", store), "the modern.gov client must know no store ({store})");
    }
    for io in ["reqwest", "rusqlite", "companion-keystore", "companion-vault", "tokio"] {
        assert!(!reaches("companion-protection", io), "the lock's logic must do no I/O ({io})");
        assert!(!reaches("companion-notify", io), "what notifications say is decided with no I/O ({io})");
    }
}

/// The packages `krate` reaches through normal dependencies when built on its own with
/// `features` (Cargo resolves features for the selected package, not the whole workspace).
fn tree(krate: &str, features: &[&str]) -> BTreeSet<String> {
    self::features(krate, features).into_keys().collect()
}

#[test]
fn no_core_crate_reaches_the_simulator_unless_a_test_feature_asks() {
    // Some crates reach the simulator behind a feature only tests and benchmarks turn on (the
    // app's `demo`, the allowance's `month-simulation`); built as a product, none does.
    for krate in CORE {
        let names = tree(krate, &[]);
        assert!(names.contains(krate), "the tree of {krate} was read");
        assert!(!names.contains("companion-graph-sim"), "{krate} reaches the simulator");
    }
}

#[test]
fn the_councils_tools_are_production_code_and_never_reach_the_simulator_or_tauri() {
    for tool in ["companion-admin", "companion-report"] {
        let names = tree(tool, &[]);
        assert!(names.contains(tool), "the tree was read: {names:?}");
        for banned in ["companion-graph-sim", "axum", "tauri"] {
            assert!(!names.contains(banned), "{tool} reaches {banned}");
        }
    }
}

#[test]
fn the_council_build_never_reaches_the_simulator() {
    let names = tree("member-companion", &["--no-default-features"]);
    assert!(names.contains("companion-app"), "the tree was read: {names:?}");
    for banned in [
        "companion-graph-sim",
        "axum",
        "companion-sync-cli",
        "companion-admin",
        "companion-report",
        "companion-test-dbus",
    ] {
        assert!(!names.contains(banned), "the council build reaches {banned}");
    }
    // …and the demo build does, so the check above can fail.
    assert!(tree("member-companion", &[]).contains("companion-graph-sim"), "the demo build has its tenant");
}

/// The features each package is built with when `krate` is built on its own with `args`
/// (a package listed twice, at two versions, has the union).
fn features(krate: &str, args: &[&str]) -> HashMap<String, BTreeSet<String>> {
    let out = cargo()
        .args(["tree", "--offline", "-p", krate, "-e", "normal", "--prefix", "none", "--format", "{p} [{f}]"])
        .args(args)
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree: {}", String::from_utf8_lossy(&out.stderr));
    let mut built: HashMap<String, BTreeSet<String>> = HashMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Some((name, rest)) = line.split_once(' ') else { continue };
        let list = rest.split_once('[').and_then(|(_, r)| r.split_once(']')).map_or("", |(f, _)| f);
        built.entry(name.to_owned()).or_default().extend(list.split(',').filter(|f| !f.is_empty()).map(str::to_owned));
    }
    built
}

#[test]
fn the_council_build_leaves_out_what_once_made_it_large() {
    // Issue 12's 12 MB: the log filter without a regex engine (no `env-filter`), one table of
    // HTML's entities (html5ever's, not quick-xml's `escape-html`), and the time-zone database
    // cut to the zones the app uses (the zones are set in .cargo/config.toml, and
    // companion-graph's tests check that the filter is applied and keeps what `to_utc` needs).
    let built = features("member-companion", &["--no-default-features"]);
    let of = |name: &str| built.get(name).unwrap_or_else(|| panic!("the council build has no {name}: {built:?}"));
    assert!(of("tracing-subscriber").contains("fmt"), "the tree's features were read");
    assert!(!of("tracing-subscriber").contains("env-filter"), "the log filter brings a regex engine back");
    assert!(!of("quick-xml").contains("escape-html"), "a second table of HTML's entities is back");
    assert!(of("chrono-tz").contains("filter-by-regex"), "the whole time-zone database is back");
}
