//! Finding where a record starts inside a line, whatever came before it:
//! `node=`/`host=` prefixes, syslog and RFC 5424 headers, kernel and dmesg
//! stamps, `audispd:`/`audit[PID]:` program tags, and SIEM decorations.
//!
//! The record itself is located by its `type=` anchor; what precedes it is only
//! mined for the node (or syslog host) name.

use memchr::memmem;

/// Where `type=NAME` sits in a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// Offset of the `t` of `type`.
    pub start: usize,
    /// The type name's bytes.
    pub name: (usize, usize),
    /// Offset just after the name.
    pub after: usize,
}

/// Bytes a type name is made of: `A`-`Z`, `0`-`9` and `_`, as a lookup table.
static TYPE_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_';
        b += 1;
    }
    t
};

/// Length of a type token at the start of `s`: `NAME`, `1400` or `UNKNOWN[1334]`.
pub fn type_token_len(s: &[u8]) -> usize {
    let mut n = 0;
    while n < s.len() && TYPE_BYTE[usize::from(s[n])] {
        n += 1;
    }
    if n > 0 && s.get(n) == Some(&b'[') {
        let digits = s[n + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 && s.get(n + 1 + digits) == Some(&b']') {
            return n + digits + 2;
        }
    }
    n
}

/// Skips spaces, tabs and no-break spaces (U+00A0, which SIEM exports leave behind).
pub fn skip_spaces(s: &[u8], mut i: usize) -> usize {
    loop {
        match s.get(i) {
            Some(b' ' | b'\t') => i += 1,
            Some(0xC2) if s.get(i + 1) == Some(&0xA0) => i += 2,
            _ => return i,
        }
    }
}

/// Recognises `type=NAME` (spaces allowed around `=`) at offset `i`.
pub fn anchor_at(s: &[u8], i: usize) -> Option<Anchor> {
    if !s[i..].starts_with(b"type") {
        return None;
    }
    if i == 0 && s.get(4) == Some(&b'=') {
        // auditd's own `type=NAME ` at the start of a line: no spaces to skip.
        let len = type_token_len(&s[5..]);
        let after = 5 + len;
        if len > 0 {
            let ends = match s.get(after) {
                None | Some(b' ' | b'\t') => true,
                Some(_) => skip_spaces(s, after) != after,
            };
            return ends.then_some(Anchor {
                start: 0,
                name: (5, after),
                after,
            });
        }
    }
    if i > 0 && !matches!(s[i - 1], b' ' | b'\t' | b':' | b']' | b'\x1d') {
        return None;
    }
    let eq = skip_spaces(s, i + 4);
    if s.get(eq) != Some(&b'=') {
        return None;
    }
    let name = skip_spaces(s, eq + 1);
    let len = type_token_len(&s[name..]);
    if len == 0 {
        return None;
    }
    let after = name + len;
    // The name must end the token.
    if after < s.len() && skip_spaces(s, after) == after {
        return None;
    }
    Some(Anchor {
        start: i,
        name: (name, after),
        after,
    })
}

/// Searcher for `type`, built once: building one per line costs more than the search.
static TYPE: std::sync::LazyLock<memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memmem::Finder::new(b"type"));

/// Backward searchers for the node prefixes, built once for the same reason.
static NODE: std::sync::LazyLock<memmem::FinderRev<'static>> =
    std::sync::LazyLock::new(|| memmem::FinderRev::new(b"node="));
static HOST: std::sync::LazyLock<memmem::FinderRev<'static>> =
    std::sync::LazyLock::new(|| memmem::FinderRev::new(b"host="));

/// The first `type=NAME` anchor in a line.
pub fn find_anchor(s: &[u8]) -> Option<Anchor> {
    // auditd's own lines start with it.
    if let Some(a) = anchor_at(s, 0) {
        return Some(a);
    }
    TYPE.find_iter(s).find_map(|i| anchor_at(s, i))
}

/// True when another record starts after offset `from` (several records on one line).
pub fn another_record_after(s: &[u8], from: usize) -> bool {
    TYPE.find_iter(&s[from..])
        .any(|i| starts_record(s, from + i))
}

/// True when a `type=NAME` at `i` starts another record: a header follows the name.
pub fn starts_record(s: &[u8], i: usize) -> bool {
    let Some(a) = anchor_at(s, i) else {
        return false;
    };
    let rest = &s[skip_spaces(s, a.after)..];
    rest.starts_with(b"msg=audit(") || rest.starts_with(b"audit(")
}

/// Length of a `node=X ` or `host=X ` prefix at the start of `s`, followed by a record.
pub fn node_prefix_len(s: &[u8]) -> Option<usize> {
    let value = if s.starts_with(b"node=") || s.starts_with(b"host=") {
        skip_spaces(s, 5)
    } else {
        return None;
    };
    let end = value + s[value..].iter().take_while(|&&b| b != b' ').count();
    let next = skip_spaces(s, end);
    starts_record(s, next).then_some(next)
}

/// The node named in a prefix: the value of its last `node=` (or `host=`).
pub fn node_in(prefix: &[u8]) -> Option<(usize, usize)> {
    if prefix.len() < 5 {
        return None;
    }
    let at = NODE.rfind(prefix).or_else(|| HOST.rfind(prefix))?;
    if at > 0 && !matches!(prefix[at - 1], b' ' | b'\t' | b':') {
        return None;
    }
    let start = skip_spaces(prefix, at + 5);
    let len = prefix[start..]
        .iter()
        .take_while(|&&b| b != b' ' && b != b'\t')
        .count();
    (len > 0).then_some((start, start + len))
}

const MONTHS: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// Whitespace-separated tokens of `s`, with their offsets.
fn tokens(s: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < s.len() && s[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= s.len() {
            return None;
        }
        let start = i;
        while i < s.len() && !s[i].is_ascii_whitespace() {
            i += 1;
        }
        Some((start, &s[start..i]))
    })
}

fn is_iso_date(t: &[u8]) -> bool {
    t.len() >= 10
        && t[..4].iter().all(u8::is_ascii_digit)
        && t[4] == b'-'
        && t[7] == b'-'
        && t[5..7].iter().all(u8::is_ascii_digit)
}

fn is_clock(t: &[u8]) -> bool {
    t.len() >= 8 && t[2] == b':' && t[5] == b':' && t[..2].iter().all(u8::is_ascii_digit)
}

/// The host name in a syslog header (RFC 3164, RFC 5424 or ISO-dated), if the prefix has one.
pub fn syslog_host(prefix: &[u8]) -> Option<(usize, usize)> {
    let mut s = prefix;
    let mut base = 0;
    // RFC 5424 / 3164 priority: <34>1 or <34>
    if s.first() == Some(&b'<') {
        let close = memchr::memchr(b'>', s)?;
        base = close + 1;
        s = &prefix[base..];
        if s.starts_with(b"1 ") {
            base += 2;
            s = &prefix[base..];
        }
    }
    let toks: Vec<(usize, &[u8])> = tokens(s).take(5).collect();
    let host_index = match toks.first() {
        // Mmm dd hh:mm:ss host prog:
        Some((_, t))
            if MONTHS.contains(&t.get(..3).unwrap_or_default())
                && toks.len() > 3
                && is_clock(toks[2].1) =>
        {
            3
        }
        Some((_, t)) if is_iso_date(t) => {
            // 2013-01-01T15:09:04 host prog: / 2013-01-01 15:09:04 host prog:
            if t.len() > 10 {
                1
            } else if toks.len() > 2 && is_clock(toks[1].1) {
                2
            } else {
                return None;
            }
        }
        _ => return None,
    };
    let &(offset, host) = toks.get(host_index)?;
    // A host is followed by a program tag; the host itself carries no colon at the end.
    if host.ends_with(b":") || host.starts_with(b"[") || host.contains(&b'=') {
        return None;
    }
    Some((base + offset, base + offset + host.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors() {
        let s = b"node=h type=SYSCALL msg=audit(1.2:3): a=b";
        let a = find_anchor(s).expect("anchor");
        assert_eq!(&s[a.name.0..a.name.1], b"SYSCALL");
        let s = b"Time= 4/28/24 node= anulinux type= NETFILTER_CFG  msg=audit(1.2.3):";
        let a = find_anchor(s).expect("anchor");
        assert_eq!(&s[a.name.0..a.name.1], b"NETFILTER_CFG");
        let s = b"kernel: audit: type =1400 audit(1.2:3): x";
        assert!(find_anchor(s).is_some());
        assert!(find_anchor(b"sock_type=stream").is_none());
        let s = b"type=UNKNOWN[1334] msg=audit(1.2:3): x";
        let a = find_anchor(s).expect("anchor");
        assert_eq!(&s[a.name.0..a.name.1], b"UNKNOWN[1334]");
    }

    #[test]
    fn nodes_and_hosts() {
        let s = b"Time= 4/28/24 16:41:07:000 PM node= anulinux ";
        let (a, b) = node_in(s).expect("node");
        assert_eq!(&s[a..b], b"anulinux");
        let s = b"Jun 20 17:57:06 ns1 kernel: [4835959.046111] audit: ";
        let (a, b) = syslog_host(s).expect("host");
        assert_eq!(&s[a..b], b"ns1");
        let s = b"2013-01-01 15:09:04.562575 localhost kernel: [ 1911.569682] ";
        let (a, b) = syslog_host(s).expect("host");
        assert_eq!(&s[a..b], b"localhost");
        let s = b"2025-01-27T13:01:36.226987+05:30 sec-plucky-amd64 kernel: audit: ";
        let (a, b) = syslog_host(s).expect("host");
        assert_eq!(&s[a..b], b"sec-plucky-amd64");
        let s = b"<29>1 2024-01-01T00:00:00Z web01 audispd - - - ";
        let (a, b) = syslog_host(s).expect("host");
        assert_eq!(&s[a..b], b"web01");
        assert!(syslog_host(b"[ 12.345] audit: ").is_none());
    }
}
