//! Whole-flow tests live in `tests/whole/`; this library is empty.
//!
//! The app tests drive the built `member-companion` binary in its real webview through
//! `tauri-driver` and `WebKitWebDriver` under Xvfb. `make test` builds the binary and installs
//! the drivers first; set `COMPANION_APP_BIN` to test another build.
