//! `member-companion-report`: democratic services' tool for the trial report. `fetch` brings
//! the trial's lists; `check` reads and checks the other input files, naming every row it
//! cannot use; `build` makes the report from them all.

use clap::{Parser, Subcommand};
use companion_report::{
    build, chromium, fetch_lists, html, read_answers, read_bill, read_costs, read_responses, read_support,
    read_tickets, read_triangulation, read_usage, read_wipes, sign_in, write_csvs, write_pdf, write_xlsx, BillMapping,
    KnownMembers, ListsSource, Problem, ReportInputs,
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
    /// Build the report from the fetched lists and the other inputs: one accessible HTML file
    /// and a CSV file a table. Every input is checked first; with any problem, nothing is built.
    Build {
        /// The folder `fetch` wrote the lists to (UsageReports.csv, SupportRequests.csv).
        #[arg(long)]
        lists: PathBuf,
        /// The carrier's bill export (CSV).
        #[arg(long)]
        bill: PathBuf,
        /// How the carrier's columns map onto the report's (TOML).
        #[arg(long)]
        bill_mapping: PathBuf,
        /// The service desk's ticket export (CSV).
        #[arg(long)]
        tickets: PathBuf,
        /// The deal's costs (TOML).
        #[arg(long)]
        costs: PathBuf,
        /// What other councils said (CSV).
        #[arg(long)]
        triangulation: Option<PathBuf>,
        /// Where to write report.html, report.xlsx and the tables' CSV files.
        #[arg(long)]
        out: PathBuf,
    },
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
        Command::Build { lists, bill, bill_mapping, tickets, costs, triangulation, out } => {
            match build_report(&lists, &bill, &bill_mapping, &tickets, &costs, triangulation.as_deref(), &out) {
                Ok(()) => ExitCode::SUCCESS,
                Err(problems) => {
                    for p in &problems {
                        eprintln!("{p}");
                    }
                    eprintln!("{} problem(s) to put right; nothing was built.", problems.len());
                    ExitCode::FAILURE
                }
            }
        }
        Command::Fetch { authority, client_id, site, graph_url, out } => {
            fetch(ListsSource { authority, client_id, graph_url, site }, &out)
        }
        Command::Check { bill, bill_mapping, tickets, costs, triangulation, members } => {
            check(bill, bill_mapping, tickets, costs, triangulation, members)
        }
    }
}

/// Reads and checks every input, then builds the report; the problems, if any.
fn build_report(
    lists: &Path,
    bill: &Path,
    mapping: &Path,
    tickets: &Path,
    costs: &Path,
    triangulation: Option<&Path>,
    out: &Path,
) -> Result<(), Vec<String>> {
    let mut problems: Vec<String> = Vec::new();
    let bytes = |path: &Path, problems: &mut Vec<String>| read(path).map_err(|e| problems.push(e)).ok();
    let usage_file = lists.join("UsageReports.csv");
    let support_file = lists.join("SupportRequests.csv");
    let usage = bytes(&usage_file, &mut problems).map(|b| read_usage(&name(&usage_file), &b)).unwrap_or_default();
    let support =
        bytes(&support_file, &mut problems).map(|b| read_support(&name(&support_file), &b)).unwrap_or_default();
    let answers_file = lists.join("SurveyAnswers.csv");
    let responses_file = lists.join("MemberSurveys.csv");
    let answers =
        bytes(&answers_file, &mut problems).map(|b| read_answers(&name(&answers_file), &b)).unwrap_or_default();
    let responses =
        bytes(&responses_file, &mut problems).map(|b| read_responses(&name(&responses_file), &b)).unwrap_or_default();
    let wipes_file = lists.join("DeviceWipeRequests.csv");
    let wipes = bytes(&wipes_file, &mut problems).map(|b| read_wipes(&name(&wipes_file), &b)).unwrap_or_default();
    let known: KnownMembers = Some(usage.rows.iter().map(|u| u.member.clone()).collect());
    let mapping = bytes(mapping, &mut problems).and_then(|m| {
        BillMapping::from_toml(&String::from_utf8_lossy(&m))
            .map_err(|e| problems.push(format!("{}: {e}", name(mapping))))
            .ok()
    });
    let bill = match (mapping, bytes(bill, &mut problems)) {
        (Some(m), Some(b)) => Some(read_bill(&name(bill), &b, &m, &known)),
        _ => None,
    };
    let tickets = bytes(tickets, &mut problems).map(|b| read_tickets(&name(tickets), &b, &known));
    let costs = bytes(costs, &mut problems).and_then(|b| {
        read_costs(&name(costs), &String::from_utf8_lossy(&b))
            .map_err(|p| problems.extend(p.iter().map(ToString::to_string)))
            .ok()
    });
    problems.extend(usage.problems.iter().chain(&support.problems).map(ToString::to_string));
    problems.extend(answers.problems.iter().chain(&responses.problems).map(ToString::to_string));
    problems.extend(wipes.problems.iter().map(ToString::to_string));
    problems.extend(
        bill.iter().flat_map(|b| &b.problems).chain(tickets.iter().flat_map(|t| &t.problems)).map(ToString::to_string),
    );
    let others = match triangulation {
        None => Vec::new(),
        Some(path) => match bytes(path, &mut problems).map(|b| read_triangulation(&name(path), &b)) {
            Some(read) => {
                problems.extend(read.problems.iter().map(ToString::to_string));
                read.rows
            }
            None => Vec::new(),
        },
    };
    let (Some(bill), Some(tickets), Some(costs)) = (bill, tickets, costs) else { return Err(problems) };
    if !problems.is_empty() {
        return Err(problems);
    }
    let sections = build(&ReportInputs {
        usage: usage.rows,
        support: support.rows,
        bill: bill.rows,
        tickets: tickets.rows,
        costs,
        answers: answers.rows,
        responses: responses.rows,
        others,
        wipes: wipes.rows,
    });
    let title = "Member device trial: the report";
    let written = write_csvs(&sections, out)
        .and_then(|()| std::fs::write(out.join("report.html"), html(title, &sections)))
        .and_then(|()| write_xlsx(title, &sections, &out.join("report.xlsx")).map_err(std::io::Error::other));
    match written {
        Ok(()) => {
            println!("{}", out.join("report.html").display());
            println!("{}", out.join("report.xlsx").display());
            match chromium() {
                Some(browser) => match write_pdf(&browser, &out.join("report.html"), &out.join("report.pdf")) {
                    Ok(()) => println!("{}", out.join("report.pdf").display()),
                    Err(e) => eprintln!("The PDF was not made: {e}"),
                },
                None => println!("No PDF: headless Chromium is not installed (set CHROMIUM_PATH)."),
            }
            Ok(())
        }
        Err(e) => Err(vec![format!("{}: {e}", out.display())]),
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
            Ok((mapping, bytes)) => {
                let read = read_bill(&name(bill), &bytes, &mapping, &known);
                println!("{}: {} lines read", name(bill), read.rows.len());
                problems.extend(read.problems);
            }
            Err(e) => failures.push(e),
        }
    }
    if let Some(path) = &tickets {
        match read(path).map(|b| read_tickets(&name(path), &b, &known)) {
            Ok(read) => {
                println!("{}: {} tickets read", name(path), read.rows.len());
                problems.extend(read.problems);
            }
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
            Ok(read) => {
                println!("{}: {} councils read", name(path), read.rows.len());
                problems.extend(read.problems);
            }
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
