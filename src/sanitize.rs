//! Making untrusted text safe to show a person. Audit logs carry bytes an
//! attacker chose (comm, proctitle, paths, TTY input); written raw, an escape
//! sequence could rewrite the analyst's terminal, and bidi or zero-width
//! characters could make a command read as something it is not.

use std::fmt::Write as _;

/// True for characters that must not reach a terminal as they are.
pub fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'   // zero-width, LRM/RLM
            | '\u{2028}'..='\u{202E}' // separators, bidi embeddings and overrides
            | '\u{2060}'..='\u{206F}' // word joiner, bidi isolates, invisible operators
            | '\u{FEFF}'              // zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
            | '\u{061C}'              // Arabic letter mark
            | '\u{180E}'              // Mongolian vowel separator
        )
}

/// Appends `bytes` to `out` with control, escape, bidi and zero-width characters
/// escaped (`\e`, `\n`, `\x07`, `\u{202e}`) and invalid UTF-8 shown as `\xNN`.
pub fn push_escaped(out: &mut String, bytes: &[u8]) {
    if bytes
        .iter()
        .all(|&b| (0x20..0x7f).contains(&b) && b != b'\\')
    {
        // Printable ASCII: nothing to escape and nothing to validate.
        out.reserve(bytes.len());
        bytes.iter().for_each(|&b| out.push(char::from(b)));
        return;
    }
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_char(out, c);
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
}

fn push_char(out: &mut String, c: char) {
    if !is_dangerous(c) {
        if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
        return;
    }
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{1b}' => out.push_str("\\e"),
        c if (c as u32) < 0x100 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:04x}}}", c as u32);
        }
    }
}

/// Appends `bytes` the way `ausearch -i` escapes them for a terminal: control
/// bytes as octal (`\033`), backslashes left alone. Unlike `ausearch`, it also
/// escapes DEL and invalid UTF-8 (octal) and C1, bidi and zero-width
/// characters (`\u{202e}`), which `ausearch` would pass through.
pub fn push_escaped_octal(out: &mut String, bytes: &[u8]) {
    if bytes.iter().all(|&b| (0x20..0x7f).contains(&b))
        && let Ok(s) = std::str::from_utf8(bytes)
    {
        out.push_str(s);
        return;
    }
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' || !is_dangerous(c) {
                out.push(c);
            } else if (c as u32) < 0x80 {
                push_octal(out, c as u8);
            } else {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
        }
        for &b in chunk.invalid() {
            push_octal(out, b);
        }
    }
}

fn push_octal(out: &mut String, b: u8) {
    let _ = write!(out, "\\{:03o}", b);
}

/// True when the bytes can be shown without any escaping.
pub fn is_clean(bytes: &[u8]) -> bool {
    if bytes
        .iter()
        .all(|&b| (0x20..0x7f).contains(&b) && b != b'\\')
    {
        return true;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => !s.chars().any(|c| is_dangerous(c) || c == '\\'),
        Err(_) => false,
    }
}

/// The escaped form as a new string.
pub fn escaped(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    push_escaped(&mut s, bytes);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(escaped(b"a\x1b[31mred\x07"), "a\\e[31mred\\x07");
        assert_eq!(escaped(b"x\x00y\x7f"), "x\\x00y\\x7f");
        assert_eq!(escaped("\u{9b}".as_bytes()), "\\x9b");
        assert_eq!(escaped(b"\xff\xfe"), "\\xff\\xfe");
    }

    #[test]
    fn escapes_bidi_and_zero_width() {
        assert_eq!(escaped("ab\u{202e}cd".as_bytes()), "ab\\u{202e}cd");
        assert_eq!(escaped("a\u{200b}b".as_bytes()), "a\\u{200b}b");
        assert_eq!(
            escaped("\u{2066}x\u{2069}".as_bytes()),
            "\\u{2066}x\\u{2069}"
        );
    }

    #[test]
    fn octal_form_for_the_ausearch_layout() {
        let mut s = String::new();
        push_escaped_octal(&mut s, b"a\x1b[31m\x07\x7f\\ \xff");
        assert_eq!(s, "a\\033[31m\\007\\177\\ \\377");
        s.clear();
        push_escaped_octal(&mut s, "x\u{202e}y\u{200b}\u{85}".as_bytes());
        assert_eq!(s, "x\\u{202e}y\\u{200b}\\u{0085}");
    }

    #[test]
    fn keeps_ordinary_text() {
        assert_eq!(escaped("/home/zoë/файл".as_bytes()), "/home/zoë/файл");
        assert!(is_clean(b"/usr/bin/ls"));
        assert!(!is_clean(b"a\x1bb"));
        assert_eq!(escaped(b"a\\b"), "a\\\\b");
    }
}
