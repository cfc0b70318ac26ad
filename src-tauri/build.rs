//! Generates the permissions for our own commands, so capabilities can grant them one by one
//! (without an app manifest every app command would be allowed).

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "account_status",
        "sign_in",
        "sign_out",
        "sync_status",
        "sync_now",
        "mail_folders",
        "mail_page",
        "mail_open",
        "mail_fetch_body",
        "mail_show_images",
        "mail_conversation",
        "mail_mark_read",
        "mail_flag",
        "mail_move",
        "mail_delete",
        "mail_reply",
        "mail_send",
        "mail_outbox",
        "mail_download_attachment",
        "calendar_agenda",
        "calendar_event",
        "calendar_respond",
        "open_external",
        "contacts_list",
        "contacts_get",
        "search",
        "data_overview",
        "data_set_device_usage",
        "data_set_level",
        "data_spend_anyway",
        "data_set_network",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri build script");
}
