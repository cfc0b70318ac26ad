//! Member Companion's desktop entry point; the app itself is in the library.
// Keep a console window from opening alongside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    member_companion_lib::run();
}
