//! TTY input (`data=` of TTY and USER_TTY records): printable runs in
//! quotes, control keys and escape sequences by name: `"ls",<ret>,<up>`.

use super::encoded::{au_buffer, decode_hex_into};
use super::tables::TTY_KEYS;
use super::{Raw, Shown, Style};
use crate::record::Quote;

/// Appends one TTY byte inside a quoted run: octal for control and high bytes,
/// a backslash before `\` and `"`.
fn push_tty_char(b: u8, out: &mut Vec<u8>) {
    if !(0x20..=0x7e).contains(&b) {
        out.extend_from_slice(&[
            b'\\',
            b'0' + (b >> 6 & 7),
            b'0' + (b >> 3 & 7),
            b'0' + (b & 7),
        ]);
    } else {
        if b == b'\\' || b == b'"' {
            out.push(b'\\');
        }
        out.push(b);
    }
}

/// The name of the control key sequence at the start of `s`, and its length.
fn named_key(s: &[u8]) -> Option<(&'static str, usize)> {
    let first = *s.first()?;
    if first >= b' ' && !(0x7f..0xa0).contains(&first) {
        return None;
    }
    TTY_KEYS
        .iter()
        .find(|(seq, _)| s.starts_with(seq))
        .map(|(seq, name)| (*name, seq.len()))
}

/// TTY input: printable runs in quotes, control keys by name, comma-separated:
/// `"ls",<ret>,<up>`. The same for both styles.
pub fn tty_data(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    if raw.quote != Quote::None
        || !raw.text.iter().all(u8::is_ascii_hexdigit)
        || (style == Style::Human && raw.text.is_empty())
    {
        return Shown::AsIs;
    }
    let mut data = Vec::with_capacity(raw.text.len() / 2 + 1);
    let ok = match style {
        Style::Ausearch => match au_buffer(raw.text) {
            Some(buf) => {
                data = buf;
                true
            }
            None => false,
        },
        Style::Human => decode_hex_into(raw.text, &mut data),
    };
    if !ok {
        if style == Style::Ausearch {
            out.extend_from_slice(b"(null)");
            return Shown::Decoded;
        }
        return Shown::AsIs;
    }
    data.truncate(raw.text.len() / 2);
    let start = out.len();
    let mut in_text = false;
    let mut i = 0;
    while i < data.len() {
        if let Some((name, len)) = named_key(&data[i..]) {
            if in_text {
                out.push(b'"');
                in_text = false;
            }
            if out.len() > start {
                out.push(b',');
            }
            out.push(b'<');
            out.extend_from_slice(name.as_bytes());
            out.push(b'>');
            i += len;
        } else {
            if !in_text {
                if out.len() > start {
                    out.push(b',');
                }
                out.push(b'"');
                in_text = true;
            }
            push_tty_char(data[i], out);
            i += 1;
        }
    }
    if in_text {
        out.push(b'"');
    }
    Shown::Decoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret::raw;
    use crate::interpret::run_on as run;

    #[test]
    fn tty_keys_by_name() {
        let r = raw("6C730D1B5B41097F");
        let want = "\"ls\",<ret>,<up>,<tab>,<backspace>";
        assert_eq!(run(tty_data, r, Style::Ausearch).1, want);
        assert_eq!(run(tty_data, r, Style::Human).1, want);
        assert_eq!(
            run(tty_data, raw("22E280AE"), Style::Human).1,
            "\"\\\"\\342\\200\\256\""
        );
    }

    #[test]
    fn odd_and_empty_input() {
        assert_eq!(run(tty_data, raw(""), Style::Ausearch).1, "(null)");
        assert_eq!(run(tty_data, raw(""), Style::Human).0, Shown::AsIs);
        assert_eq!(run(tty_data, raw("6C7"), Style::Human).0, Shown::AsIs);
        assert_eq!(run(tty_data, raw("zz"), Style::Human).0, Shown::AsIs);
    }
}
