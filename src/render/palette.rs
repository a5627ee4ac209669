//! Colours for text output. Whether to colour is decided once, up front; this
//! module only wraps text in the escape codes of a fixed palette when asked.

use owo_colors::{OwoColorize, Style};

/// The roles text can play.
#[derive(Clone, Copy, Debug)]
pub enum Role {
    TypeName,
    Anom,
    Resp,
    Integrity,
    Failure,
    Success,
    Dim,
    Key,
    Warning,
    Summary,
}

fn style(role: Role) -> Style {
    let s = Style::new();
    match role {
        Role::TypeName => s.bold().cyan(),
        Role::Anom => s.bold().white().on_red(),
        Role::Resp => s.bold().white().on_magenta(),
        Role::Integrity => s.bold().black().on_yellow(),
        Role::Failure => s.bold().red(),
        Role::Success => s.green(),
        Role::Dim => s.dimmed(),
        Role::Key => s.blue(),
        Role::Warning => s.bold().yellow(),
        Role::Summary => s.bold(),
    }
}

/// The colour role of a flag badge (ANOM, RESP, INTEGRITY, or an event flag
/// such as ROOT_TRANSITION).
pub fn flag_role(flag: &str) -> Role {
    match flag {
        "ANOM" => Role::Anom,
        "RESP" => Role::Resp,
        "INTEGRITY" => Role::Integrity,
        _ => Role::Warning,
    }
}

/// Appends `text` to `out`, coloured for `role` when `color` is on.
pub fn paint(out: &mut String, color: bool, role: Role, text: &str) {
    use std::fmt::Write as _;
    if color {
        let _ = write!(out, "{}", text.style(style(role)));
    } else {
        out.push_str(text);
    }
}
