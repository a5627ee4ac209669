//! `saddr=`: the socket address a syscall was given, as hex of the raw
//! `struct sockaddr`. The family comes first (in the byte order of the machine
//! that wrote the log; little-endian is assumed, as almost every auditing
//! machine is), then the family's own layout.

use std::io::Write as _;

use super::tables::SOCKET_FAMILIES;
use super::{Raw, Shown, Style, encoded};
use crate::record::Quote;

const AF_LOCAL: u16 = 1;
const AF_INET: u16 = 2;
const AF_AX25: u16 = 3;
const AF_ATMPVC: u16 = 8;
const AF_X25: u16 = 9;
const AF_INET6: u16 = 10;
const AF_NETLINK: u16 = 16;

fn u16_le(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([byte(b, at), byte(b, at + 1)])
}

fn u16_be(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([byte(b, at), byte(b, at + 1)])
}

fn u32_le(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([
        byte(b, at),
        byte(b, at + 1),
        byte(b, at + 2),
        byte(b, at + 3),
    ])
}

/// A byte of the address; past the end reads as 0, like the zero-filled
/// buffer `ausearch` decodes into.
fn byte(b: &[u8], at: usize) -> u8 {
    b.get(at).copied().unwrap_or(0)
}

/// The C string starting at `at`, at most `max` bytes.
fn c_str(b: &[u8], at: usize, max: usize) -> &[u8] {
    let s = b.get(at..).unwrap_or_default();
    let s = &s[..s.len().min(max)];
    match memchr::memchr(0, s) {
        Some(p) => &s[..p],
        None => s,
    }
}

/// An IPv4 address in dotted quad.
fn push_ipv4(b: &[u8], at: usize, out: &mut Vec<u8>) {
    let _ = write!(
        out,
        "{}.{}.{}.{}",
        byte(b, at),
        byte(b, at + 1),
        byte(b, at + 2),
        byte(b, at + 3)
    );
}

/// An IPv6 address as the C library's numeric form writes it: the longest run
/// of two or more zero groups as `::`, IPv4-mapped and -compatible addresses
/// with a dotted tail.
fn push_ipv6(b: &[u8], at: usize, out: &mut Vec<u8>) {
    let words: Vec<u16> = (0..8).map(|i| u16_be(b, at + 2 * i)).collect();
    let (mut best, mut best_len) = (usize::MAX, 0);
    let mut i = 0;
    while i < 8 {
        if words[i] == 0 {
            let start = i;
            while i < 8 && words[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best = usize::MAX;
    }
    for (i, w) in words.iter().enumerate() {
        if best != usize::MAX && i >= best && i < best + best_len {
            if i == best {
                out.push(b':');
            }
            continue;
        }
        if i != 0 {
            out.push(b':');
        }
        if i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff)) {
            push_ipv4(b, at + 12, out);
            return;
        }
        let _ = write!(out, "{w:x}");
    }
    if best != usize::MAX && best + best_len == 8 {
        out.push(b':');
    }
}

/// The scope of a link-local IPv6 address, numerically.
fn push_scope(b: &[u8], out: &mut Vec<u8>) {
    let scope = u32_le(b, 24);
    if scope != 0 {
        let _ = write!(out, "%{scope}");
    }
}

/// `saddr=` as `ausearch -i` prints it: `{ saddr_fam=inet laddr=10.0.0.1 lport=22 }`.
fn ausearch(raw: Raw, out: &mut Vec<u8>) -> Shown {
    let bytes = match raw.quote {
        Quote::None => encoded::au_buffer(raw.text),
        _ => None,
    };
    let Some(b) = bytes else {
        out.extend_from_slice(b"malformed-host(");
        raw.push_token(out);
        out.push(b')');
        return Shown::Translated;
    };
    let slen = raw.text.len() / 2;
    let family = u16_le(&b, 0);
    let Some(fam) = SOCKET_FAMILIES.name(u64::from(family)) else {
        let _ = write!(out, "unknown-family({family})");
        return Shown::Translated;
    };
    let _ = write!(out, "{{ saddr_fam={fam} ");
    match family {
        AF_LOCAL if slen < 4 => out.extend_from_slice(b"sockaddr len too short"),
        AF_LOCAL => {
            let at = if byte(&b, 2) != 0 { 2 } else { 3 };
            out.extend_from_slice(b"path=");
            out.extend_from_slice(c_str(&b, at, 108));
        }
        AF_INET if slen < 16 => out.extend_from_slice(b"sockaddr len too short"),
        AF_INET => {
            out.extend_from_slice(b"laddr=");
            push_ipv4(&b, 4, out);
            let _ = write!(out, " lport={}", u16_be(&b, 2));
        }
        AF_AX25 => {
            out.extend_from_slice(b"call=");
            out.extend((2..9).map(|i| byte(&b, i)));
        }
        AF_ATMPVC => {
            // The interface number sits after padding that aligns it to 4 bytes.
            let _ = write!(out, "int={}", u16_le(&b, 4) as i16);
        }
        AF_X25 => {
            out.extend_from_slice(b"laddr=");
            out.extend_from_slice(c_str(&b, 2, 15));
        }
        AF_INET6 if slen < 28 => out.extend_from_slice(b"sockaddr6 len too short"),
        AF_INET6 => {
            out.extend_from_slice(b"laddr=");
            push_ipv6(&b, 8, out);
            push_scope(&b, out);
            let _ = write!(out, " lport={}", u16_be(&b, 2));
        }
        AF_NETLINK if slen < 12 => out.extend_from_slice(b"len too short"),
        AF_NETLINK => {
            let _ = write!(out, "nlnk-fam={} nlnk-pid={}", family, u32_le(&b, 4));
        }
        _ => out.extend_from_slice(b"(unsupported)"),
    }
    out.extend_from_slice(b" }");
    Shown::Translated
}

/// A note for an address too short for its family.
fn short(name: &str, have: usize, need: usize, out: &mut Vec<u8>) {
    let _ = write!(out, "{name} (address cut short: {have} of {need} bytes)");
}

/// `saddr=` for people: `inet 10.0.0.1:22`, `inet6 [2001:db8::1]:443`,
/// `unix /run/x.sock`, `unix @abstract`, `netlink pid 0`.
fn human(raw: Raw, out: &mut Vec<u8>) -> Shown {
    if !encoded::is_encoded(raw) {
        return Shown::AsIs;
    }
    let mut b = Vec::with_capacity(raw.text.len() / 2);
    encoded::decode_hex_into(raw.text, &mut b);
    let family = u16_le(&b, 0);
    let len = b.len();
    match family {
        AF_LOCAL if len <= 2 => out.extend_from_slice(b"unix (unnamed)"),
        AF_LOCAL if b[2] == 0 => {
            out.extend_from_slice(b"unix @");
            let name = &b[3..];
            let end = name.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
            out.extend_from_slice(&name[..end]);
        }
        AF_LOCAL => {
            out.extend_from_slice(b"unix ");
            out.extend_from_slice(c_str(&b, 2, 108));
        }
        AF_INET if len < 8 => short("inet", len, 16, out),
        AF_INET => {
            out.extend_from_slice(b"inet ");
            push_ipv4(&b, 4, out);
            let _ = write!(out, ":{}", u16_be(&b, 2));
        }
        AF_INET6 if len < 24 => short("inet6", len, 28, out),
        AF_INET6 => {
            out.extend_from_slice(b"inet6 [");
            push_ipv6(&b, 8, out);
            push_scope(&b, out);
            let _ = write!(out, "]:{}", u16_be(&b, 2));
        }
        AF_NETLINK if len < 12 => short("netlink", len, 12, out),
        AF_NETLINK => {
            let _ = write!(
                out,
                "netlink pid {} groups {:#x}",
                u32_le(&b, 4),
                u32_le(&b, 8)
            );
        }
        _ => match SOCKET_FAMILIES.name(u64::from(family)) {
            Some(name) => {
                let _ = write!(out, "{name} ({len} bytes)");
            }
            None => {
                let _ = write!(out, "unknown family {family} ({len} bytes)");
            }
        },
    }
    Shown::Translated
}

/// `saddr=` in words.
pub fn saddr(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match style {
        Style::Ausearch => ausearch(raw, out),
        Style::Human => human(raw, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str, style: Style) -> String {
        let mut out = Vec::new();
        let raw = crate::interpret::raw(s);
        saddr(raw, style, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn inet() {
        // corpus: go-libaudit/normal.log, connect() to 169.254.169.254 port 80.
        let v = "02000050A9FEA9FE0000000000000000";
        assert_eq!(run(v, Style::Human), "inet 169.254.169.254:80");
        assert_eq!(
            run(v, Style::Ausearch),
            "{ saddr_fam=inet laddr=169.254.169.254 lport=80 }"
        );
        assert_eq!(
            run("0200", Style::Ausearch),
            "{ saddr_fam=inet sockaddr len too short }"
        );
        assert_eq!(
            run("0200", Style::Human),
            "inet (address cut short: 2 of 16 bytes)"
        );
    }

    #[test]
    fn inet6() {
        let v = "0A000050000000002001048600000000000000000000000100000000";
        assert_eq!(
            run(v, Style::Ausearch),
            "{ saddr_fam=inet6 laddr=2001:486::1 lport=80 }"
        );
        assert_eq!(run(v, Style::Human), "inet6 [2001:486::1]:80");
        let mapped = format!(
            "0A000050{}{}0A000001{}",
            "0".repeat(8),
            "00000000000000000000FFFF",
            "0".repeat(8)
        );
        assert_eq!(
            run(&mapped, Style::Ausearch),
            "{ saddr_fam=inet6 laddr=::ffff:10.0.0.1 lport=80 }"
        );
        let any = format!("0A000050{}", "0".repeat(48));
        assert_eq!(
            run(&any, Style::Ausearch),
            "{ saddr_fam=inet6 laddr=:: lport=80 }"
        );
        let local = format!(
            "0A000050{}{}{}",
            "0".repeat(8),
            "FE800000000000000000000000000001",
            "02000000"
        );
        assert_eq!(run(&local, Style::Human), "inet6 [fe80::1%2]:80");
    }

    #[test]
    fn unix_and_netlink() {
        // corpus: go-libaudit/normal.log, a named unix socket with zero padding.
        let v = "01007075626C69632F7069636B757000000000";
        assert_eq!(run(v, Style::Human), "unix public/pickup");
        assert_eq!(
            run(v, Style::Ausearch),
            "{ saddr_fam=local path=public/pickup }"
        );
        assert_eq!(
            run("01002F746D702F736F636B", Style::Human),
            "unix /tmp/sock"
        );
        assert_eq!(
            run("01002F746D702F736F636B", Style::Ausearch),
            "{ saddr_fam=local path=/tmp/sock }"
        );
        assert_eq!(run("0100006162", Style::Human), "unix @ab");
        assert_eq!(
            run("0100006162", Style::Ausearch),
            "{ saddr_fam=local path=ab }"
        );
        assert_eq!(run("0100", Style::Human), "unix (unnamed)");
        assert_eq!(
            run("100000000000000000000000", Style::Ausearch),
            "{ saddr_fam=netlink nlnk-fam=16 nlnk-pid=0 }"
        );
        assert_eq!(
            run("10000000D204000001000000", Style::Human),
            "netlink pid 1234 groups 0x1"
        );
        assert_eq!(
            run("11000000", Style::Ausearch),
            "{ saddr_fam=packet (unsupported) }"
        );
        assert_eq!(run("FF00", Style::Ausearch), "unknown-family(255)");
        assert_eq!(run("FF00", Style::Human), "unknown family 255 (2 bytes)");
        assert_eq!(run("X", Style::Ausearch), "malformed-host(X)");
    }
}
