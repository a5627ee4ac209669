//! Network numbers: IP protocols, ICMP types, netfilter families, hooks,
//! verdicts and link-layer protocols, and the socket family, type, protocol
//! and option arguments of socket syscalls.

use super::tables::{
    ICMP_TYPES, INET_HOOKS, IP_OPTS, IP6_OPTS, NET_ACTIONS, NF_PROTOS, PACKET_OPTS, PROTOCOLS,
    SOCK_LEVELS, SOCK_OPTS, SOCKET_FAMILIES, SOCKET_TYPES, TCP_OPTS, Table,
};
use super::{Raw, Shown, Style, named, read};

/// Looks `raw` (read in `base`, as an `int`) up in `table`.
fn lookup(
    table: &Table,
    base: u32,
    what: &str,
    prefix: &str,
    raw: Raw,
    style: Style,
    out: &mut Vec<u8>,
) -> Shown {
    match read(raw, base, style, out) {
        Ok(v) => {
            let v = v as i32;
            let name = u64::try_from(v).ok().and_then(|v| table.name(v));
            named(name, what, prefix, raw, style, out)
        }
        Err(shown) => shown,
    }
}

/// `family=` of netfilter records: the protocol family.
pub fn nfproto(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    lookup(&NF_PROTOS, 10, "netfilter-protocol", "", raw, style, out)
}

/// `icmptype=`.
pub fn icmptype(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    lookup(&ICMP_TYPES, 10, "icmp-type", "", raw, style, out)
}

/// `hook=`: the netfilter hook (inet hooks).
pub fn hook(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    lookup(&INET_HOOKS, 16, "hook", "", raw, style, out)
}

/// `action=` of netfilter records: the verdict.
pub fn netaction(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    lookup(&NET_ACTIONS, 16, "action", "", raw, style, out)
}

/// `proto=`: an IP protocol number, decimal.
pub fn protocol(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match read(raw, 10, style, out) {
        Ok(v) => match PROTOCOLS.name(u64::from(v as u32)) {
            Some(n) => {
                out.extend_from_slice(n.as_bytes());
                Shown::Translated
            }
            None if style == Style::Human => Shown::AsIs,
            None => {
                out.extend_from_slice(b"undefined protocol");
                Shown::Translated
            }
        },
        Err(shown) => shown,
    }
}

/// `macproto=`: the Ethernet type.
pub fn macproto(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match read(raw, 16, style, out) {
        Ok(v) => {
            let name = match v as i32 {
                0x0800 => "IP",
                0x0806 => "ARP",
                0x86dd if style == Style::Human => "IPv6",
                _ if style == Style::Human => return Shown::AsIs,
                _ => "UNKNOWN",
            };
            out.extend_from_slice(name.as_bytes());
            Shown::Translated
        }
        Err(shown) => shown,
    }
}

/// socket()'s family argument (hex).
pub fn socket_family(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    lookup(&SOCKET_FAMILIES, 16, "family", "0x", raw, style, out)
}

const SOCK_NONBLOCK: u64 = 0o4000;
const SOCK_CLOEXEC: u64 = 0o2000000;

/// socket()'s type argument (hex); people also see SOCK_NONBLOCK/SOCK_CLOEXEC.
pub fn socket_type(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let v = match read(raw, 16, style, out) {
        Ok(v) => v,
        Err(shown) => return shown,
    };
    let shown = named(SOCKET_TYPES.name(v & 0xff), "type", "", raw, style, out);
    if style == Style::Human && shown == Shown::Translated {
        for (bit, name) in [
            (SOCK_NONBLOCK, "|SOCK_NONBLOCK"),
            (SOCK_CLOEXEC, "|SOCK_CLOEXEC"),
        ] {
            if v & bit != 0 {
                out.extend_from_slice(name.as_bytes());
            }
        }
    }
    shown
}

/// socket()'s protocol argument (hex).
pub fn socket_proto(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match read(raw, 16, style, out) {
        Ok(v) => named(
            PROTOCOLS.name(u64::from(v as u32)),
            "proto",
            "",
            raw,
            style,
            out,
        ),
        Err(shown) => shown,
    }
}

const SOL_SOCKET: u64 = 1;

/// setsockopt()/getsockopt() level (hex).
pub fn sockopt_level(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    let v = match read(raw, 16, style, out) {
        Ok(v) => u64::from(v as u32),
        Err(shown) => return shown,
    };
    let name = if v == SOL_SOCKET {
        Some("SOL_SOCKET")
    } else {
        PROTOCOLS.name(v).or_else(|| SOCK_LEVELS.name(v))
    };
    named(name, "sockopt-level", "0x", raw, style, out)
}

/// setsockopt()/getsockopt() option name (hex), by level (a1) and machine.
pub fn sockopt_name(
    raw: Raw,
    level: u64,
    machine: Option<&str>,
    style: Style,
    out: &mut Vec<u8>,
) -> Option<Shown> {
    let (table, what) = match level {
        0 => (&IP_OPTS, "ipopt-name"),
        1 => (&SOCK_OPTS, "sockopt-name"),
        6 => (&TCP_OPTS, "tcpopt-name"),
        17 => return Some(udp_opt(raw, style, out)),
        41 => (&IP6_OPTS, "ip6opt-name"),
        263 => (&PACKET_OPTS, "pktopt-name"),
        _ => return None,
    };
    let v = match read(raw, 16, style, out) {
        Ok(v) => v as i32,
        Err(shown) => return Some(shown),
    };
    // PowerPC numbers a few socket options differently; the table lists them +100.
    let ppc = matches!(machine, Some("ppc" | "ppc64" | "ppc64le"));
    let v = if level == 1 && ppc && (16..=21).contains(&v) {
        v + 100
    } else {
        v
    };
    let name = u64::try_from(v).ok().and_then(|v| table.name(v));
    Some(named(name, what, "0x", raw, style, out))
}

fn udp_opt(raw: Raw, style: Style, out: &mut Vec<u8>) -> Shown {
    match read(raw, 16, style, out) {
        Ok(v) => {
            let name = match v as i32 {
                1 => Some("UDP_CORK"),
                100 => Some("UDP_ENCAP"),
                _ => None,
            };
            named(name, "udpopt-name", "0x", raw, style, out)
        }
        Err(shown) => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(Raw, Style, &mut Vec<u8>) -> Shown, s: &str, style: Style) -> String {
        let mut out = Vec::new();
        let raw = crate::interpret::raw(s);
        f(raw, style, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn netfilter_fields() {
        // corpus: linux-audit-parser/line-netfilter.log, NETFILTER_CFG family=2.
        assert_eq!(run(nfproto, "2", Style::Ausearch), "ipv4");
        assert_eq!(
            run(nfproto, "99", Style::Ausearch),
            "unknown-netfilter-protocol(99)"
        );
        assert_eq!(run(hook, "1", Style::Human), "INPUT");
        assert_eq!(run(netaction, "1", Style::Human), "DROP");
        assert_eq!(run(macproto, "0800", Style::Ausearch), "IP");
        assert_eq!(run(macproto, "86dd", Style::Ausearch), "UNKNOWN");
        assert_eq!(run(icmptype, "8", Style::Human), "echo");
        assert_eq!(run(protocol, "6", Style::Human), "tcp");
        assert_eq!(run(protocol, "254", Style::Ausearch), "undefined protocol");
    }

    #[test]
    fn socket_args() {
        assert_eq!(run(socket_family, "2", Style::Human), "inet");
        assert_eq!(
            run(socket_family, "ff", Style::Ausearch),
            "unknown-family(0xff)"
        );
        assert_eq!(
            run(socket_type, "80801", Style::Human),
            "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC"
        );
        assert_eq!(run(socket_type, "80801", Style::Ausearch), "SOCK_STREAM");
        assert_eq!(run(socket_proto, "6", Style::Human), "tcp");
        assert_eq!(run(sockopt_level, "1", Style::Human), "SOL_SOCKET");
    }
}
