//! `member-companion-report`: democratic services' tool for the trial report. `check` reads
//! and checks the report's input files, naming every row it cannot use.

use clap::{Parser, Subcommand};
use companion_report::{
    fetch_lists, read_bill, read_costs, read_tickets, read_triangulation, sign_in, BillMapping, KnownMembers,
    ListsSource, Problem,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "member-companion-report",
    version,
    about = "Democratic services' tool for the Member Companion trial report"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read the trial's lists from the trial site into one CSV file a list (the officer signs
    /// in with a code, on any device with a browser).
    Fetch {
        /// The sign-in authority, e.g. https://login.microsoftonline.com/{tenant-id}.
        #[arg(long)]
        authority: String,
        /// The client id to sign in with (the council's registration; public client flows allowed).
        #[arg(long)]
        client_id: String,
        /// The trial site: {hostname}:/sites/{path}.
        #[arg(long)]
        site: String,
        /// The Graph root.
        #[arg(long, default_value = "https://graph.microsoft.com/v1.0")]
        graph_url: String,
        /// Where to write the CSV files.
        #[arg(long)]
        out: PathBuf,
    },
    /// Check the report's input files: every row that cannot be used is named with its file,
    /// line and problem. Exits with 1 if there is any.
    Check {
        /// The carrier's bill export (CSV).
        #[arg(long, requires = "bill_mapping")]
        bill: Option<PathBuf>,
        /// How the carrier's columns map onto the report's (TOML; see docs/report-inputs.md).
        #[arg(long)]
        bill_mapping: Option<PathBuf>,
        /// The service desk's ticket export (CSV).
        #[arg(long)]
        tickets: Option<PathBuf>,
        /// The deal's costs (TOML).
        #[arg(long)]
        costs: Option<PathBuf>,
        /// What other councils said (CSV).
        #[arg(long)]
        triangulation: Option<PathBuf>,
        /// The trial's member codes, one a line (e.g. the usage reports list's Member code
        /// column); without it, codes are not checked.
        #[arg(long)]
        members: Option<PathBuf>,
    },
}

fn name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Fetch { authority, client_id, site, graph_url, out } => {
            fetch(ListsSource { authority, client_id, graph_url, site }, &out)
        }
        Command::Check { bill, bill_mapping, tickets, costs, triangulation, members } => {
            check(bill, bill_mapping, tickets, costs, triangulation, members)
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn fetch(source: ListsSource, out: &Path) -> ExitCode {
    let run = async {
        let token = sign_in(&source, |code, uri| {
            eprintln!("To sign in, open {uri} in a browser and enter the code {code}");
        })
        .await?;
        fetch_lists(&source, &token, out).await
    };
    match run.await {
        Ok(lists) => {
            for (list, items) in lists {
                println!("{list}: {items} items → {}", out.join(format!("{list}.csv")).display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("The lists could not be fetched: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(
    bill: Option<PathBuf>,
    bill_mapping: Option<PathBuf>,
    tickets: Option<PathBuf>,
    costs: Option<PathBuf>,
    triangulation: Option<PathBuf>,
    members: Option<PathBuf>,
) -> ExitCode {
    let mut problems: Vec<Problem> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let known: KnownMembers = match members.as_deref().map(read).transpose() {
        Ok(Some(bytes)) => Some(
            String::from_utf8_lossy(&bytes)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        Ok(None) => {
            println!("No --members file: member codes are not checked.");
            None
        }
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let (Some(bill), Some(mapping)) = (&bill, &bill_mapping) {
        let result = read(mapping).and_then(|m| {
            BillMapping::from_toml(&String::from_utf8_lossy(&m)).map_err(|e| format!("{}: {e}", name(mapping)))
        });
        match result.and_then(|m| read(bill).map(|b| (m, b))) {
            Ok((mapping, bytes)) => match read_bill(&name(bill), &bytes, &mapping, &known) {
                Ok(read) => {
                    println!("{}: {} lines read", name(bill), read.rows.len());
                    problems.extend(read.problems);
                }
                Err(e) => failures.push(e.to_string()),
            },
            Err(e) => failures.push(e),
        }
    }
    if let Some(path) = &tickets {
        match read(path).map(|b| read_tickets(&name(path), &b, &known)) {
            Ok(Ok(read)) => {
                println!("{}: {} tickets read", name(path), read.rows.len());
                problems.extend(read.problems);
            }
            Ok(Err(e)) => failures.push(e.to_string()),
            Err(e) => failures.push(e),
        }
    }
    if let Some(path) = &costs {
        match read(path) {
            Ok(bytes) => match read_costs(&name(path), &String::from_utf8_lossy(&bytes)) {
                Ok(_) => println!("{}: read", name(path)),
                Err(p) => problems.extend(p),
            },
            Err(e) => failures.push(e),
        }
    }
    if let Some(path) = &triangulation {
        match read(path).map(|b| read_triangulation(&name(path), &b)) {
            Ok(Ok(read)) => {
                println!("{}: {} councils read", name(path), read.rows.len());
                problems.extend(read.problems);
            }
            Ok(Err(e)) => failures.push(e.to_string()),
            Err(e) => failures.push(e),
        }
    }
    for p in &problems {
        println!("{p}");
    }
    for f in &failures {
        eprintln!("{f}");
    }
    if problems.is_empty() && failures.is_empty() {
        println!("Every row can be used.");
        ExitCode::SUCCESS
    } else {
        println!("{} problem(s) to put right; nothing above was counted.", problems.len() + failures.len());
        ExitCode::FAILURE
    }
}
