//! Generates the permissions for our own commands, so capabilities can grant them one by one
//! (without an app manifest every app command would be allowed).

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&["demo_overview"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri build script");
}
