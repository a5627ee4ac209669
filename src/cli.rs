//! The command line: every option, its help text, and the examples `--help` shows.

use std::ffi::OsString;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render::Format;

const EXAMPLES: &str = "\
Examples:
  auexplain data/sample.log                 explain every record of a log
  sudo auexplain                            explain this host's /var/log/audit/audit.log
  journalctl -o cat _TRANSPORT=audit | auexplain
  auexplain --line 'type=USER_AUTH msg=audit(1700000000.123:42): pid=1 uid=0 \\
      msg='\\''op=PAM:authentication acct=\"root\" exe=\"/usr/sbin/sshd\" addr=203.0.113.9 res=failed'\\'''
  auexplain --summary audit.log                      one sentence per event
  auexplain -m 'ANOM_*,USER_AUTH,1400' audit.log     events with records of these types
  auexplain --category anom,resp,integrity audit.log  anomalies, responses, integrity
  auexplain -ts today -ua alice --success no audit.log   ausearch's filters
  auexplain -k shadow-read --format raw audit.log    whole matching events, original lines
  auexplain --records -m USER_AUTH --format raw audit.log   grep by record type
  auexplain --format json --events audit.log | jq .  one JSON object per event
  auexplain -i audit.log                             ausearch -i layout
  auexplain --resolve-ids audit.log                  name ids from this machine
  auexplain types 'ANOM_*'                           what a record type means
  auexplain fields auid                              what a field means

Exit status: 0 when something matched, 1 when nothing did, 2 on error.";

/// Explains Linux audit logs in plain words.
#[derive(Parser, Debug)]
#[command(
    name = "auexplain",
    version,
    about = "Explains Linux audit logs in plain words: every record type, every field, every event.",
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List record types, or describe those matching a name, glob or number.
    Types {
        /// A name (USER_AUTH), glob (ANOM_*), or number (1135).
        pattern: Option<String>,
        /// text or json (one object per type).
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print the field glossary, or the entries matching a name or glob.
    Fields {
        /// A field name (auid) or glob (a*_len).
        pattern: Option<String>,
        /// text or json (one object per field).
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Log files to read; `-` reads standard input. With none: standard input when
    /// it is a pipe, else /var/log/audit/audit.log.
    #[arg(value_name = "FILE")]
    pub files: Vec<OsString>,

    /// Explain this text as if it were a log line (repeatable).
    #[arg(long = "line", value_name = "TEXT")]
    pub lines: Vec<String>,

    /// Only records of these types: names, numbers or globs, comma-separated.
    #[arg(short = 'm', long = "type", value_name = "LIST", value_delimiter = ',')]
    pub types: Vec<String>,

    /// Only records in these categories: anom, resp, integrity, or a family
    /// such as authentication, account, selinux (see `auexplain types`).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub category: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Same as --format interpreted: records in `ausearch -i`'s layout.
    #[arg(short = 'i', long = "interpret")]
    pub interpret: bool,

    /// When to colour text output; NO_COLOR turns `auto` off.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Show times in UTC instead of the local zone.
    #[arg(long)]
    pub utc: bool,

    /// Put each field's meaning beside it (text output).
    #[arg(short = 'v', long = "explain-fields")]
    pub explain_fields: bool,

    /// Look uids and gids up in this machine's user database when the log
    /// does not name them (names found so are marked as local). Done anyway
    /// when reading this machine's own /var/log/audit.
    #[arg(long)]
    pub resolve_ids: bool,

    /// Threads that render output (0: one per core). Output order never changes.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,

    /// Show records one by one instead of grouped under their event.
    #[arg(long, help_heading = "Events")]
    pub records: bool,

    /// One line per event: its time and a sentence saying what happened.
    #[arg(long, conflicts_with = "records", help_heading = "Events")]
    pub summary: bool,

    /// JSON: one `"kind": "event"` object per event, with its summary and records.
    #[arg(long, help_heading = "Events")]
    pub events: bool,

    /// Events at or after this time (-ts): now, recent, boot, today, yesterday,
    /// this-hour, this-week, week-ago, this-month, this-year; -1h, 2d; 2024-06-01
    /// 14:00:00, 06/01/2024; @EPOCH.
    #[arg(
        long,
        value_name = "TIME",
        allow_hyphen_values = true,
        help_heading = "Filters"
    )]
    pub start: Option<String>,

    /// Events at or before this time (-te); same forms as --start.
    #[arg(
        long,
        value_name = "TIME",
        allow_hyphen_values = true,
        help_heading = "Filters"
    )]
    pub end: Option<String>,

    /// Events of these users (-ua): number or name, matched against auid, uid,
    /// euid, acct and id, and the names the logging host wrote (ENRICHED).
    #[arg(
        long,
        value_name = "USERS",
        value_delimiter = ',',
        help_heading = "Filters"
    )]
    pub user: Vec<String>,

    /// Events caught by an audit rule with this key (repeatable).
    #[arg(short = 'k', long, value_name = "KEY", help_heading = "Filters")]
    pub key: Vec<String>,

    /// Only events that succeeded (yes) or failed (no).
    #[arg(long, value_enum, value_name = "YES|NO", help_heading = "Filters")]
    pub success: Option<YesNo>,

    /// Events of these process ids.
    #[arg(
        short = 'p',
        long,
        value_name = "PIDS",
        value_delimiter = ',',
        help_heading = "Filters"
    )]
    pub pid: Vec<String>,

    /// Events of processes whose parent has one of these ids (-pp).
    #[arg(
        long,
        value_name = "PIDS",
        value_delimiter = ',',
        help_heading = "Filters"
    )]
    pub ppid: Vec<String>,

    /// Events of this program: a full path, or a name matching the path's last
    /// part or comm (repeatable).
    #[arg(short = 'x', long, value_name = "EXE", help_heading = "Filters")]
    pub exe: Vec<String>,

    /// Events of these system calls, by name or number (-sc).
    #[arg(
        long,
        value_name = "CALLS",
        value_delimiter = ',',
        help_heading = "Filters"
    )]
    pub syscall: Vec<String>,

    /// Events about this file: a path in PATH, CWD, name= or path=, or a bare
    /// file name (repeatable).
    #[arg(short = 'f', long, value_name = "PATH", help_heading = "Filters")]
    pub file: Vec<String>,

    /// Events with this address or host name (addr=, hostname=, socket address).
    #[arg(
        long,
        value_name = "ADDRS",
        value_delimiter = ',',
        help_heading = "Filters"
    )]
    pub addr: Vec<String>,

    /// Events from these nodes (node= or the syslog host).
    #[arg(
        short = 'n',
        long,
        value_name = "NODES",
        value_delimiter = ',',
        help_heading = "Filters"
    )]
    pub node: Vec<String>,

    /// Events with these serial numbers (the number after the colon in msg=audit(...)).
    #[arg(
        short = 'a',
        long,
        value_name = "SERIALS",
        value_delimiter = ',',
        help_heading = "Filters"
    )]
    pub event: Vec<String>,
}

/// An answer to `--success`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

impl RunArgs {
    /// The output format, with `-i` taken into account.
    pub fn format(&self) -> Format {
        if self.interpret {
            Format::Interpreted
        } else {
            self.format
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
