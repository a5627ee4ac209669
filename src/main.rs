//! The `auexplain` binary: parses the command line, runs, and maps the result
//! to grep's exit codes (0 matched, 1 nothing matched, 2 error). A closed pipe
//! (`auexplain big.log | head`) is a normal end.

use std::io;
use std::process::ExitCode;

use auexplain::app::{self, Status};
use auexplain::argv;
use auexplain::cli::{Cli, Command};
use auexplain::lists;
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse_from(argv::rewrite(std::env::args_os()));
    let result = match &cli.command {
        Some(Command::Types { pattern, format }) => {
            lists::types_cmd(pattern.as_deref(), *format).map(matched)
        }
        Some(Command::Fields { pattern, format }) => {
            lists::fields_cmd(pattern.as_deref(), *format).map(matched)
        }
        None => app::run(&cli.run),
    };
    match result {
        Ok(Status::Matched) => ExitCode::SUCCESS,
        Ok(Status::NothingMatched) => ExitCode::from(1),
        Ok(Status::Error) => ExitCode::from(2),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("auexplain: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn matched(found: bool) -> Status {
    if found {
        Status::Matched
    } else {
        Status::NothingMatched
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
