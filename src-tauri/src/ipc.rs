//! The one list of what crosses to the UI: every command and event, written once. The
//! invoke handler, the permissions (`build.rs` reads the list below) and the TypeScript
//! bindings (`ui/src/lib/ipc/bindings.ts`, checked by a test) all come from it.
//!
//! The running app takes only what it needs from the list: Tauri's own handler and the events'
//! names. The commands' type descriptions are built only for the bindings, so the app neither
//! carries that code (0.3 MB) nor builds the descriptions at every start.

use crate::commands::{account, calendar, contacts, data, mail, notifications, papers, protection, trial, updates};
use crate::events::{AllowanceAlertEvent, DataChangedEvent, NoticeOpenedEvent, SyncProgressEvent, SyncStatusEvent};
use crate::links::LinkRequestedEvent;
use tauri_specta::{collect_events, ErrorHandlingMode};

/// Hands the command list to `$collect`: Tauri's `generate_handler` for the app, tauri-specta's
/// `collect_commands` for the bindings.
macro_rules! app_commands {
    ($collect:ident) => {
        $collect![
            account::account_status,
            account::sign_in,
            account::sign_out,
            protection::protection_status,
            protection::protection_choose_pin,
            protection::protection_unlock,
            protection::protection_lock,
            protection::protection_change_pin,
            protection::protection_forget_pin,
            protection::protection_touch,
            protection::protection_settings,
            updates::sync_status,
            updates::sync_now,
            mail::mail_folders,
            mail::mail_page,
            mail::mail_open,
            mail::mail_open_full,
            mail::mail_fetch_body,
            mail::mail_show_images,
            mail::mail_conversation,
            mail::mail_mark_read,
            mail::mail_flag,
            mail::mail_move,
            mail::mail_delete,
            mail::mail_reply,
            mail::mail_send,
            mail::mail_forward,
            mail::mail_stage_attachment,
            mail::mail_unstage_attachment,
            mail::mail_send_cost,
            mail::mail_outbox,
            mail::mail_download_attachment,
            mail::open_external,
            calendar::calendar_agenda,
            calendar::calendar_event,
            calendar::calendar_respond,
            contacts::contacts_list,
            contacts::contacts_get,
            contacts::directory_search,
            contacts::directory_person,
            contacts::address_suggestions,
            contacts::search,
            contacts::search_server,
            notifications::notifications_settings,
            notifications::notifications_set_settings,
            data::data_overview,
            data::data_set_device_usage,
            data::data_set_level,
            data::data_spend_anyway,
            data::data_set_network,
            trial::evidence_consent,
            trial::evidence_set_consent,
            trial::survey_due,
            trial::survey_open,
            trial::survey_answer,
            trial::survey_submit,
            trial::survey_dismiss,
            trial::help_diagnostics,
            trial::help_send,
            trial::help_requests,
            trial::evidence_what_we_collect,
            trial::display_settings_seen,
            papers::papers_meetings,
            papers::papers_meeting,
            papers::papers_fetch,
            papers::papers_read,
            papers::papers_notes,
            papers::papers_note_save,
            papers::papers_note_delete,
            papers::papers_notes_to_onedrive,
        ]
    };
}

/// The handler the app runs the commands through.
pub fn invoke_handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
    use tauri::generate_handler;
    app_commands!(generate_handler)
}

/// The events alone: what the app mounts, so each event knows its name.
pub fn events() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new().events(collect_events![
        DataChangedEvent,
        SyncStatusEvent,
        SyncProgressEvent,
        AllowanceAlertEvent,
        LinkRequestedEvent,
        NoticeOpenedEvent
    ])
}

/// The commands and events with their types, for the bindings.
pub fn builder() -> tauri_specta::Builder<tauri::Wry> {
    use tauri_specta::collect_commands;
    events()
        .commands(app_commands!(collect_commands))
        .typ::<companion_app::ErrorKind>()
        // One shape per type: nothing crossing the boundary differs between the two directions.
        .disable_serde_phases()
        // Commands answer `{status: "ok", data} | {status: "error", error: AppError}`;
        // `ui/src/lib/ipc/index.ts` unwraps them in one place.
        .error_handling(ErrorHandlingMode::Result)
}

#[cfg(test)]
mod tests {
    use specta_typescript::Typescript;
    use std::path::Path;

    /// Where the generated bindings live, committed so the UI builds without Rust.
    const BINDINGS: &str = "../ui/src/lib/ipc/bindings.ts";

    fn generate() -> String {
        let out = std::env::temp_dir().join(format!("member-companion-bindings-{}.ts", std::process::id()));
        super::builder()
            // Byte counts and ids stay far below 2^53, so numbers are exact in JavaScript.
            .dangerously_cast_bigints_to_number()
            .export(Typescript::default().header("// Generated from the Rust types by src-tauri/src/ipc.rs: do not edit.\n// Regenerate with `UPDATE_BINDINGS=1 cargo test -p member-companion ipc`.\n"), &out)
            .expect("the bindings export");
        let text = std::fs::read_to_string(&out).expect("the bindings were written");
        let _ = std::fs::remove_file(&out);
        text
    }

    #[test]
    fn the_committed_typescript_bindings_match_the_rust_types() {
        let generated = generate();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).expect("the bindings file is writable");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == generated, "ui/src/lib/ipc/bindings.ts differs from the Rust types: run `UPDATE_BINDINGS=1 cargo test -p member-companion ipc` and commit it");
    }
}
