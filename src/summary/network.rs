//! Sentences for network system calls (connect, bind, listen, accept, send,
//! receive, socket) and the SOCKADDR decoding they need: the hex `saddr=`
//! the kernel writes, or the `{ saddr_fam=inet laddr=... }` text that ENRICHED
//! and `ausearch -i` logs carry.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::event::Event;
use crate::record::Record;
use crate::sanitize;
use crate::summary::syscalls::Class;
use crate::summary::values::arg;
use crate::summary::{Ctx, Sentence, Verb, quoted};

/// The address of the event's SOCKADDR record in words.
pub fn address(ev: &Event) -> Option<String> {
    let rec = ev.record("SOCKADDR")?;
    if let Some(text) = rec.enriched("SADDR") {
        return from_text(text);
    }
    let raw = rec.get("saddr")?;
    match crate::interpret::decode_hex(raw) {
        Some(bytes) if !raw.contains(&b'=') => from_bytes(&bytes),
        _ => from_text(raw),
    }
}

/// Decodes a binary `struct sockaddr`.
pub fn from_bytes(b: &[u8]) -> Option<String> {
    let family = u16::from_le_bytes([*b.first()?, *b.get(1)?]);
    let port = || b.get(2..4).map(|p| u16::from_be_bytes([p[0], p[1]]));
    Some(match family {
        1 => local(b.get(2..).unwrap_or_default()),
        2 => {
            let ip: [u8; 4] = b.get(4..8)?.try_into().ok()?;
            format!("{} port {}", Ipv4Addr::from(ip), port()?)
        }
        10 => {
            let ip: [u8; 16] = b.get(8..24)?.try_into().ok()?;
            format!("{} port {}", Ipv6Addr::from(ip), port()?)
        }
        16 => "a netlink socket".to_string(),
        17 => "a raw packet socket".to_string(),
        f => format!("an address of family {f}"),
    })
}

/// `the local socket /run/x`, or `@name` for the abstract namespace.
fn local(path: &[u8]) -> String {
    let (abstract_ns, path) = match path.split_first() {
        Some((0, rest)) => (true, rest),
        _ => (false, path),
    };
    let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
    let name = sanitize::escaped(&path[..end]);
    if abstract_ns {
        format!("the local socket @{name}")
    } else if name.is_empty() {
        "an unnamed local socket".to_string()
    } else {
        format!("the local socket {}", quoted(&name))
    }
}

/// Reads `{ saddr_fam=inet laddr=1.2.3.4 lport=80 }` and its variants.
fn from_text(text: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(text);
    let get = |key: &str| {
        text.split([' ', '{', '}'])
            .find_map(|w| w.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
            .map(str::to_string)
    };
    let family = get("saddr_fam").or_else(|| get("fam"))?;
    match (family.as_str(), get("laddr"), get("lport"), get("path")) {
        (_, Some(a), Some(p), _) => Some(sanitize::escaped(format!("{a} port {p}").as_bytes())),
        (_, Some(a), None, _) => Some(sanitize::escaped(a.as_bytes())),
        ("local" | "unix", _, _, Some(p)) => Some(format!(
            "the local socket {}",
            quoted(&sanitize::escaped(p.as_bytes()))
        )),
        ("netlink", ..) => Some("a netlink socket".to_string()),
        (f, ..) => Some(format!(
            "an address of family {}",
            sanitize::escaped(f.as_bytes())
        )),
    }
}

/// The sentence for a network system call of class `class`.
pub fn sentence(ctx: &Ctx, sc: &Record, class: Class) -> Sentence {
    let addr = address(ctx.ev);
    let (verb, fallback) = match class {
        Class::Connect => (Verb::new("connected to", "connect to"), "an address"),
        Class::Bind => (
            Verb::new("bound a socket to", "bind a socket to"),
            "an address",
        ),
        Class::Listen => (
            Verb::new(
                "started listening for connections",
                "listen for connections",
            ),
            "",
        ),
        Class::Accept => (
            Verb::new("accepted a connection from", "accept a connection from"),
            "a peer",
        ),
        Class::Send => (Verb::new("sent data to", "send data to"), "a socket"),
        Class::Receive => (
            Verb::new("received data from", "receive data from"),
            "a socket",
        ),
        _ => return socket(ctx, sc),
    };
    let mut s = ctx.sentence(verb);
    s.object = match (class, addr) {
        (Class::Listen, Some(a)) => Some(format!("on {a}")),
        (_, Some(a)) => Some(a),
        (_, None) if fallback.is_empty() => None,
        (_, None) => Some(fallback.to_string()),
    };
    s
}

/// `socket(2)`: which kind of socket was opened.
fn socket(ctx: &Ctx, sc: &Record) -> Sentence {
    let family = match arg(sc, 0) {
        Some(1) => "local ",
        Some(2) => "IPv4 ",
        Some(10) => "IPv6 ",
        Some(16) => "netlink ",
        Some(17) => "packet ",
        _ => "",
    };
    let kind = match arg(sc, 1).map(|t| t & 0xf) {
        Some(1) => "stream ",
        Some(2) => "datagram ",
        Some(3) => "raw ",
        _ => "",
    };
    let mut s = ctx.sentence(Verb::new("opened", "open"));
    s.object = Some(format!("a {kind}{family}socket").replace("  ", " "));
    s
}

#[cfg(test)]
mod tests {
    use super::{from_bytes, from_text};

    #[test]
    fn decodes_binary_sockaddrs() {
        let ip4 = crate::interpret::decode_hex(b"02000050A9FEA9FE0000000000000000");
        assert_eq!(
            ip4.as_deref().and_then(from_bytes).as_deref(),
            Some("169.254.169.254 port 80")
        );
        let unix = crate::interpret::decode_hex(b"01002F7661722F72756E2F6E7363642F736F636B657400");
        assert_eq!(
            unix.as_deref().and_then(from_bytes).as_deref(),
            Some("the local socket /var/run/nscd/socket")
        );
        let ip6 = crate::interpret::decode_hex(b"0A0001BB0000000020010DB8000000000000000000000001");
        assert_eq!(
            ip6.as_deref().and_then(from_bytes).as_deref(),
            Some("2001:db8::1 port 443")
        );
    }

    #[test]
    fn reads_interpreted_sockaddrs() {
        assert_eq!(
            from_text(b"{ saddr_fam=inet laddr=10.0.0.1 lport=22 }").as_deref(),
            Some("10.0.0.1 port 22")
        );
        assert_eq!(
            from_text(b"{ fam=local path=/run/x }").as_deref(),
            Some("the local socket /run/x")
        );
    }
}
