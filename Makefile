# Member Companion: the two commands are `make demo` and `make test`.
# Both install whatever a fresh Debian 12 machine lacks (as root, or with sudo), once.

SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -euo pipefail -c

# System packages: Tauri's webview and tray on Linux, the WebDriver pair, Xvfb, the kernel keyring
# tools, a private Secret Service for the keystore tests (D-Bus and GNOME Keyring), and
# Chromium for the accessibility audit (axe-core).
APT_PACKAGES := build-essential pkg-config curl file libssl-dev \
  libwebkit2gtk-4.1-dev libsoup-3.0-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev \
  xvfb webkit2gtk-driver keyutils chromium dbus-daemon gnome-keyring libdbus-1-dev
TAURI_DRIVER_VERSION := 2.0.6
CARGO_DENY_VERSION := 0.20.2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin

.PHONY: demo test report-demo deps system-packages npm-packages cargo-tools ui check-ui test-ui test-rust bench sim fuzz

## Run the app in demo mode against the embedded simulator (needs a desktop session).
demo: deps ui
	cargo run -p member-companion

## Install everything, then run every test: front end (types, unit, accessibility), Rust
## (format, lints, unit, integration, whole flows in the real webview), and compile the benchmarks.
test: deps ui check-ui test-ui test-rust
	cargo bench -p companion-benches -p companion-tests --no-run

## A whole trial to try the report on: ten simulated members, each with the real app core,
## through four months, then the report built from the lists and opened (target/report-demo).
report-demo: deps
	cargo run -p companion-report --example report_demo

## Run the benchmarks and print their figures (slow; not part of `make test`).
bench: deps
	cargo bench -p companion-benches
	# The app's cold start and memory need the release build, driven in its webview.
	cargo build --release -p member-companion --no-default-features
	cargo bench -p companion-tests --bench app_start
	# …and with a member's years of mail (issue 19: 100,000 messages, the 30-day window cached).
	COMPANION_BENCH_MESSAGES=100000 cargo bench -p companion-tests --bench app_start

## Fuzz each target for FUZZ_SECONDS (default 600) on the nightly toolchain with cargo-fuzz;
## what it finds is kept in fuzz/corpus (commit it: `make test` replays it on stable).
## Every run is bounded: 2 s an input (the sanitiser's time oracle) and 2 GB of memory.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := graph_page batch_answer sanitiser council_toml search_query
fuzz:
	command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
	cd fuzz
	for t in $${TARGET:-$(FUZZ_TARGETS)}; do
	  cargo +nightly fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) -timeout=2 -rss_limit_mb=2048 -max_len=262144
	  cargo +nightly fuzz cmin $$t
	done

## Run the Graph simulator on its own (see crates/graph-sim/README.md).
sim:
	cargo run -p companion-graph-sim -- --port 8080 --seed 7 --messages 5000

deps: system-packages npm-packages cargo-tools

system-packages:
	missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done)
	if [ -n "$$missing" ]; then
	  echo "Installing system packages: $$missing"
	  $(SUDO) apt-get update -qq
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing
	fi

npm-packages:
	# The front end, and the OpenID Certified provider the sign-in tests run against.
	for dir in ui tests/oidc-provider; do
	  if [ ! -d $$dir/node_modules ] || [ $$dir/package-lock.json -nt $$dir/node_modules/.package-lock.json ]; then
	    (cd $$dir && npm ci --no-audit --no-fund)
	  fi
	done

cargo-tools:
	if ! command -v tauri-driver >/dev/null && [ ! -x "$(CARGO_BIN)/tauri-driver" ]; then
	  cargo install tauri-driver --locked --version $(TAURI_DRIVER_VERSION)
	fi
	if ! command -v cargo-deny >/dev/null && [ ! -x "$(CARGO_BIN)/cargo-deny" ]; then
	  cargo install cargo-deny --locked --version $(CARGO_DENY_VERSION)
	fi

ui: npm-packages
	cd ui && npm run build

check-ui: npm-packages
	cd ui && npm run check

test-ui: npm-packages
	# Unit tests, then every main screen against WCAG 2.2 AA with axe-core in headless Chromium.
	# (One shell per recipe: the second line is already in ui/.)
	cd ui && npm test
	npm run a11y

test-rust: ui
	# One house style, and no lint left standing.
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	# Licences, banned crates and sources (deny.toml); advisories need GitHub, see the README.
	cargo deny --log-level error check bans licenses sources
	# The whole-flow tests drive the built app, so build it (and everything else) once first.
	cargo build --workspace --all-targets
	cargo test --workspace --no-fail-fast
