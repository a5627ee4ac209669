//! Build script: turns the hand-written tables in `data/` into static Rust slices.
//!
//! `data/record_types.csv` becomes a table sorted by number (names are hashed at run time), and
//! `data/fields.csv` becomes the field glossary sorted by name. A bad row stops the
//! build with `FILE:LINE: problem`, so a typo never reaches a binary.

use std::collections::HashSet;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const TYPES_CSV: &str = "data/record_types.csv";
const FIELDS_CSV: &str = "data/fields.csv";
const VALUES_CSV: &str = "data/interp/values.csv";
const ERRNOS_CSV: &str = "data/interp/errnos.csv";
const TTY_KEYS_CSV: &str = "data/interp/tty_keys.csv";
const SPELLINGS_CSV: &str = "data/interp/syscall_spellings.csv";
const FAMILIES: &[&str] = &[
    "control",
    "authentication",
    "account",
    "session",
    "system",
    "audit-daemon",
    "audit-config",
    "syscall",
    "file",
    "network",
    "process",
    "kernel-module",
    "time",
    "selinux",
    "apparmor",
    "landlock",
    "ipe",
    "mac",
    "netfilter",
    "integrity",
    "anomaly",
    "response",
    "crypto",
    "virtualization",
    "device-mapper",
    "user-space",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={TYPES_CSV}");
    println!("cargo:rerun-if-changed={FIELDS_CSV}");
    for path in [VALUES_CSV, ERRNOS_CSV, TTY_KEYS_CSV, SPELLINGS_CSV] {
        println!("cargo:rerun-if-changed={path}");
    }
    let out_dir = env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR is not set"));
    let types = build_types(&read(TYPES_CSV));
    let fields = build_fields(&read(FIELDS_CSV));
    write(&Path::new(&out_dir).join("record_types.rs"), &types);
    write(&Path::new(&out_dir).join("fields.rs"), &fields);
    let mut interp = build_values(&read(VALUES_CSV));
    interp.push_str(&build_errnos(&read(ERRNOS_CSV)));
    interp.push_str(&build_tty_keys(&read(TTY_KEYS_CSV)));
    interp.push_str(&build_spellings(&read(SPELLINGS_CSV)));
    write(&Path::new(&out_dir).join("interp_tables.rs"), &interp);
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1)
}

fn read(path: &str) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("{path}: cannot read: {e}")))
}

fn write(path: &Path, text: &str) {
    if let Err(e) = fs::write(path, text) {
        fail(&format!("{}: cannot write: {e}", path.display()));
    }
}

/// One CSV row with the line number it starts on.
struct Row {
    line: usize,
    cells: Vec<String>,
}

/// Splits RFC 4180 CSV text into rows; quoted cells may hold commas, quotes and newlines.
fn parse_csv(file: &str, text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut line = 1;
    let mut row_line = 1;
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut cell_started_quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() && !cell_started_quoted => {
                quoted = true;
                cell_started_quoted = true;
            }
            '"' => fail(&format!(
                "{file}:{line}: stray quote inside an unquoted cell"
            )),
            ',' => {
                cells.push(std::mem::take(&mut cell));
                cell_started_quoted = false;
            }
            '\r' => {}
            '\n' => {
                cells.push(std::mem::take(&mut cell));
                cell_started_quoted = false;
                if !(cells.len() == 1 && cells[0].is_empty()) {
                    rows.push(Row {
                        line: row_line,
                        cells: std::mem::take(&mut cells),
                    });
                }
                cells.clear();
                line += 1;
                row_line = line;
            }
            _ if cell_started_quoted => fail(&format!("{file}:{line}: text after a closing quote")),
            _ => cell.push(c),
        }
    }
    if quoted {
        fail(&format!("{file}:{row_line}: unterminated quoted cell"));
    }
    if !cell.is_empty() || !cells.is_empty() {
        cells.push(cell);
        rows.push(Row {
            line: row_line,
            cells,
        });
    }
    rows
}

/// Checks the header row and returns the data rows, each with exactly `header.len()` cells.
fn data_rows(file: &str, text: &str, header: &[&str]) -> Vec<Row> {
    let mut rows = parse_csv(file, text).into_iter();
    let Some(head) = rows.next() else {
        fail(&format!("{file}:1: empty file"))
    };
    if head.cells != header {
        fail(&format!(
            "{file}:{}: header must be `{}`",
            head.line,
            header.join(",")
        ));
    }
    let rows: Vec<Row> = rows.collect();
    for row in &rows {
        if row.cells.len() != header.len() {
            fail(&format!(
                "{file}:{}: expected {} cells, found {}",
                row.line,
                header.len(),
                row.cells.len()
            ));
        }
        if let Some(bad) = row.cells.iter().find(|c| c.trim() != c.as_str()) {
            fail(&format!(
                "{file}:{}: cell `{bad}` has leading or trailing space",
                row.line
            ));
        }
    }
    rows
}

fn build_types(text: &str) -> String {
    let file = TYPES_CSV;
    let rows = data_rows(
        file,
        text,
        &["name", "number", "flags", "family", "explanation"],
    );
    let mut entries: Vec<(u32, String, u8, String, String)> = Vec::new();
    let mut names = HashSet::new();
    let mut numbers = HashSet::new();
    for row in rows {
        let [name, number, flags, family, explanation] = &row.cells[..] else {
            unreachable!("cell count checked")
        };
        let line = row.line;
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        {
            fail(&format!("{file}:{line}: bad type name `{name}`"));
        }
        let number: u32 = number
            .parse()
            .unwrap_or_else(|_| fail(&format!("{file}:{line}: bad number `{number}`")));
        let mut bits = 0u8;
        for flag in flags.split('|').filter(|f| !f.is_empty()) {
            bits |= match flag {
                "ANOM" => 1,
                "RESP" => 2,
                "INTEGRITY" => 4,
                _ => fail(&format!("{file}:{line}: unknown flag `{flag}`")),
            };
        }
        if !FAMILIES.contains(&family.as_str()) {
            fail(&format!("{file}:{line}: unknown family `{family}`"));
        }
        if explanation.is_empty() {
            fail(&format!("{file}:{line}: empty explanation for {name}"));
        }
        if !names.insert(name.clone()) {
            fail(&format!("{file}:{line}: duplicate name {name}"));
        }
        if !numbers.insert(number) {
            fail(&format!("{file}:{line}: duplicate number {number}"));
        }
        entries.push((
            number,
            name.clone(),
            bits,
            family.clone(),
            explanation.clone(),
        ));
    }
    entries.sort_by_key(|e| e.0);
    let mut out = String::from(
        "/// Every record type, sorted by number.\npub static RECORD_TYPES: &[TypeInfo] = &[\n",
    );
    for (number, name, flags, family, explanation) in &entries {
        let _ = writeln!(
            out,
            "    TypeInfo {{ name: {name:?}, number: {number}, flags: Flags({flags}), family: {family:?}, explanation: {explanation:?} }},"
        );
    }
    out.push_str("];\n");
    out
}

fn build_fields(text: &str) -> String {
    let file = FIELDS_CSV;
    let rows = data_rows(file, text, &["name", "format", "meaning"]);
    let mut entries: Vec<(String, String, String)> = Vec::new();
    let mut names = HashSet::new();
    for row in rows {
        let [name, format, meaning] = &row.cells[..] else {
            unreachable!("cell count checked")
        };
        let line = row.line;
        if name.is_empty() {
            fail(&format!("{file}:{line}: empty field name"));
        }
        if meaning.is_empty() {
            fail(&format!("{file}:{line}: empty meaning for {name}"));
        }
        if !names.insert(name.clone()) {
            fail(&format!("{file}:{line}: duplicate field {name}"));
        }
        entries.push((name.clone(), format.clone(), meaning.clone()));
    }
    entries.sort();
    let mut out = String::from(
        "/// The field glossary, sorted by name.\npub static FIELDS: &[FieldInfo] = &[\n",
    );
    for (name, format, meaning) in &entries {
        let _ = writeln!(
            out,
            "    FieldInfo {{ name: {name:?}, format: {format:?}, meaning: {meaning:?} }},"
        );
    }
    out.push_str("];\n");
    out
}

/// A number cell: decimal, or hex with `0x`.
fn parse_number(file: &str, line: usize, cell: &str) -> u64 {
    let parsed = match cell.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => cell.parse(),
    };
    parsed.unwrap_or_else(|_| fail(&format!("{file}:{line}: bad number `{cell}`")))
}

/// The rows of `values` in file order, plus a copy sorted by value in which the
/// first row listed for a value wins (the order flag names are printed in is
/// the file order; lookups use the sorted copy).
fn build_values(text: &str) -> String {
    let file = VALUES_CSV;
    let rows = data_rows(file, text, &["table", "value", "name"]);
    let mut tables: Vec<(String, Vec<(u64, String)>)> = Vec::new();
    for row in rows {
        let [table, value, name] = &row.cells[..] else {
            unreachable!("cell count checked")
        };
        if table.is_empty()
            || !table
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            fail(&format!("{file}:{}: bad table name `{table}`", row.line));
        }
        if name.is_empty() {
            fail(&format!("{file}:{}: empty name", row.line));
        }
        let value = parse_number(file, row.line, value);
        match tables.iter_mut().find(|(t, _)| t == table) {
            Some((_, entries)) => entries.push((value, name.clone())),
            None => tables.push((table.clone(), vec![(value, name.clone())])),
        }
    }
    let mut out = String::new();
    for (table, listed) in &tables {
        let mut sorted: Vec<&(u64, String)> = Vec::new();
        let mut by_value: Vec<&(u64, String)> = listed.iter().collect();
        by_value.sort_by_key(|e| e.0);
        for e in by_value {
            if sorted.last().is_none_or(|l| l.0 != e.0) {
                sorted.push(e);
            }
        }
        let _ = write!(
            out,
            "/// `{table}` from `{file}`.\npub static {}: Table = Table {{\n    listed: &[",
            table.to_ascii_uppercase()
        );
        for (v, n) in listed {
            let _ = write!(out, "({v:#x}, {n:?}), ");
        }
        out.push_str("],\n    sorted: &[");
        for (v, n) in sorted {
            let _ = write!(out, "({v:#x}, {n:?}), ");
        }
        out.push_str("],\n};\n");
    }
    out
}

/// errno numbers with their names and C library messages, sorted by number;
/// the first name listed for a number wins (EAGAIN over EWOULDBLOCK).
fn build_errnos(text: &str) -> String {
    let file = ERRNOS_CSV;
    let mut rows: Vec<(u64, String, String)> = Vec::new();
    for row in data_rows(file, text, &["value", "name", "message"]) {
        let [value, name, message] = &row.cells[..] else {
            unreachable!("cell count checked")
        };
        let value = parse_number(file, row.line, value);
        if !name.starts_with('E') || message.is_empty() {
            fail(&format!("{file}:{}: bad errno row", row.line));
        }
        rows.push((value, name.clone(), message.clone()));
    }
    rows.sort_by_key(|r| r.0);
    rows.dedup_by_key(|r| r.0);
    let mut out = String::from(
        "/// errno: number, name, C library message, meaning for people; sorted by number.\npub static ERRNOS: &[(u64, &str, &str, &str)] = &[\n",
    );
    for (v, n, m) in rows {
        let meaning = lower_first(&m);
        let _ = writeln!(out, "    ({v}, {n:?}, {m:?}, {meaning:?}),");
    }
    out.push_str("];\n");
    out
}

/// "Permission denied" becomes "permission denied"; "RFS specific error" stays.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_ascii_uppercase() && !b.is_ascii_uppercase() => {
            let mut t = a.to_ascii_lowercase().to_string();
            t.push_str(&s[1..]);
            t
        }
        _ => s.to_string(),
    }
}

/// Terminal key sequences and their names, in file order (first match wins).
fn build_tty_keys(text: &str) -> String {
    let file = TTY_KEYS_CSV;
    let mut out = String::from(
        "/// TTY key sequences and names, in match order.\npub static TTY_KEYS: &[(&[u8], &str)] = &[\n",
    );
    for row in data_rows(file, text, &["bytes", "name"]) {
        let [hex, name] = &row.cells[..] else {
            unreachable!("cell count checked")
        };
        if hex.is_empty()
            || hex.len() % 2 != 0
            || !hex.bytes().all(|b| b.is_ascii_hexdigit())
            || name.is_empty()
        {
            fail(&format!("{file}:{}: bad key row", row.line));
        }
        let bytes: Vec<String> = (0..hex.len())
            .step_by(2)
            .map(|i| format!("0x{}", &hex[i..i + 2]))
            .collect();
        let _ = writeln!(out, "    (&[{}], {name:?}),", bytes.join(", "));
    }
    out.push_str("];\n");
    out
}

/// Syscall names as audit-userspace spells them where the kernel tables differ,
/// sorted by (arch, number).
fn build_spellings(text: &str) -> String {
    let file = SPELLINGS_CSV;
    let mut rows: Vec<(String, u64, String)> = Vec::new();
    for row in data_rows(file, text, &["arch", "number", "name"]) {
        let [arch, number, name] = &row.cells[..] else {
            unreachable!("cell count checked")
        };
        let number = parse_number(file, row.line, number);
        if arch.is_empty() || name.is_empty() {
            fail(&format!("{file}:{}: empty cell", row.line));
        }
        rows.push((arch.clone(), number, name.clone()));
    }
    rows.sort();
    let before = rows.len();
    rows.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    if rows.len() != before {
        fail(&format!("{file}: an (arch, number) pair is listed twice"));
    }
    let mut out = String::from(
        "/// ausearch's syscall spellings: (arch, number, name), sorted.\npub static SYSCALL_SPELLINGS: &[(&str, u32, &str)] = &[\n",
    );
    for (a, n, name) in rows {
        let _ = writeln!(out, "    ({a:?}, {n}, {name:?}),");
    }
    out.push_str("];\n");
    out
}
