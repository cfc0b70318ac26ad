//! `member-companion-admin`: the council ICT's tool for the trial's SharePoint site.

use clap::{Parser, Subcommand};
use companion_admin::{run_provision, site_host, AdminConfig, AppGrant};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "member-companion-admin", version, about = "The council ICT's tool for Member Companion's trial site")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make (or bring up to date) the trial's lists on the trial site and grant the app that
    /// site alone. Safe to run again: it changes only what differs and says what it changed.
    Provision {
        /// The sign-in authority, e.g. https://login.microsoftonline.com/{tenant-id}.
        #[arg(long)]
        authority: String,
        /// The client id ICT signs in with (the app's registration; allow public client flows).
        #[arg(long)]
        client_id: String,
        /// The trial site: {hostname}:/sites/{path}, e.g. council.sharepoint.com:/sites/MemberTrial.
        #[arg(long)]
        site: String,
        /// The Graph root.
        #[arg(long, default_value = "https://graph.microsoft.com/v1.0")]
        graph_url: String,
        /// Grant this app (its client id) write access to the site alone (Sites.Selected).
        #[arg(long)]
        grant_app: Option<String>,
        /// The granted app's name, as the site's permissions will show it.
        #[arg(long, default_value = "Member Companion")]
        grant_app_name: String,
    },
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Command::Provision { authority, client_id, site, graph_url, grant_app, grant_app_name } = Cli::parse().command;
    if site_host(&site).is_none() {
        eprintln!("“{site}” is not a site address: give {{hostname}}:/sites/{{path}}");
        return ExitCode::from(2);
    }
    let config = AdminConfig { authority, client_id, graph_url, site };
    let grant = grant_app.map(|app_id| AppGrant { app_id, display_name: grant_app_name });
    let run = run_provision(&config, grant.as_ref(), |code, uri| {
        eprintln!("To sign in, open {uri} in a browser and enter the code {code}");
    });
    match run.await {
        Ok(done) => {
            println!("Site: {} ({})", done.site.display_name, done.site.web_url);
            if done.changes.is_empty() {
                println!("Nothing to change: the site already has the trial's lists as the app expects them.");
            } else {
                for change in &done.changes {
                    println!("- {change}");
                }
            }
            println!("\nThe app's configuration for these lists:\n\n{}", done.app_config());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Provisioning stopped: {e}");
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                eprintln!("  because: {c}");
                cause = c.source();
            }
            eprintln!("Nothing already changed is undone; run provision again once this is put right.");
            ExitCode::FAILURE
        }
    }
}
