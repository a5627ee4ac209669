//! What kind of value a field holds, decided from its name and the record type.
//!
//! The names follow the field dictionary auditd's tools use, so the `ausearch`
//! style treats each field exactly as `ausearch -i` does, including the few
//! places where one name means different things in different records.

use super::Raw;
use super::num;
use crate::record::Quote;

/// Record type numbers this module needs.
pub mod rtype {
    pub const ADD_GROUP: u32 = 1116;
    pub const DEL_GROUP: u32 = 1117;
    pub const TRUSTED_APP: u32 = 1121;
    pub const USER_TTY: u32 = 1124;
    pub const GRP_MGMT: u32 = 1132;
    pub const PATH: u32 = 1302;
    pub const EXECVE: u32 = 1309;
    pub const MQ_OPEN: u32 = 1312;
    pub const NETFILTER_PKT: u32 = 1324;
    pub const KERN_MODULE: u32 = 1330;
    pub const AVC: u32 = 1400;
    pub const CRYPTO_KEY_USER: u32 = 2404;
}

/// The kinds of field value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Uid,
    Gid,
    Syscall,
    Arch,
    Exit,
    /// A string the kernel may have hex-encoded.
    Escaped,
    /// A file name (hex-encoded like `Escaped`).
    EscapedFile,
    /// The rule key: hex-encoded, several keys joined by 0x01.
    EscapedKey,
    Perm,
    Mode,
    ModeShort,
    Sockaddr,
    /// PATH `flags` of old kernels.
    PathFlags,
    Promisc,
    Capability,
    Success,
    /// Syscall argument a0..a3.
    Arg(u8),
    Signal,
    List,
    TtyData,
    Session,
    CapBitmap,
    NfProto,
    IcmpType,
    Protocol,
    Addr,
    Personality,
    Seccomp,
    OpenFlags,
    MmapFlags,
    Proctitle,
    Hook,
    NetAction,
    MacProto,
    IoctlReq,
    Fanotify,
    NlMcGrp,
    Resolve,
    MacLabel,
    /// For people only: fanotify's subj_trust/obj_trust (0 no, 1 yes, 2 unknown).
    Trust,
    /// For people only: fanotify's fan_type and fan_info.
    FanType,
    FanInfo,
    Unclassified,
}

/// The kind a field name has in any record (the dictionary without exceptions).
fn by_name(name: &[u8]) -> Kind {
    use Kind::*;
    match name {
        b"auid" | b"uid" | b"euid" | b"suid" | b"fsuid" | b"ouid" | b"oauid" | b"old-auid"
        | b"iuid" | b"id" | b"inode_uid" | b"sauid" | b"obj_uid" => Uid,
        b"obj_gid" | b"gid" | b"egid" | b"sgid" | b"fsgid" | b"ogid" | b"igid" | b"inode_gid"
        | b"new_gid" => Gid,
        b"syscall" => Syscall,
        b"arch" => Arch,
        b"exit" => Exit,
        b"name" => EscapedFile,
        b"key" => EscapedKey,
        b"path" | b"comm" | b"exe" | b"file" | b"watch" | b"cwd" | b"cmd" | b"acct" | b"dir"
        | b"vm" | b"old-chardev" | b"new-chardev" | b"old-disk" | b"new-disk" | b"old-fs"
        | b"new-fs" | b"old-net" | b"new-net" | b"device" | b"cgroup" | b"apparmor"
        | b"operation" | b"denied_mask" | b"info" | b"profile" | b"requested_mask" | b"old-rng"
        | b"new-rng" | b"ocomm" | b"grp" | b"new_group" | b"invalid_context" | b"sw"
        | b"root_dir" => Escaped,
        b"perm" | b"perm_mask" => Perm,
        b"mode" => Mode,
        b"saddr" => Sockaddr,
        b"prom" | b"old_prom" => Promisc,
        b"capability" => Capability,
        b"res" | b"result" => Success,
        b"a0" => Arg(0),
        b"a1" => Arg(1),
        b"a2" => Arg(2),
        b"a3" => Arg(3),
        b"sig" | b"sigev_signo" => Signal,
        b"list" => List,
        b"data" => TtyData,
        b"ses" => Session,
        b"cap_pi" | b"cap_pe" | b"cap_pp" | b"cap_pa" | b"cap_fi" | b"cap_fp" | b"fp" | b"fi"
        | b"old_pp" | b"old_pi" | b"old_pe" | b"old_pa" | b"new_pp" | b"new_pi" | b"new_pe"
        | b"pp" | b"pi" | b"pe" | b"pa" => CapBitmap,
        b"family" => NfProto,
        b"icmptype" => IcmpType,
        b"proto" => Protocol,
        b"addr" => Addr,
        b"per" => Personality,
        b"code" => Seccomp,
        b"oflag" => OpenFlags,
        b"flags" => MmapFlags,
        b"subj" | b"obj" | b"scontext" | b"tcontext" | b"vm-ctx" | b"img-ctx" => MacLabel,
        b"proctitle" => Proctitle,
        b"hook" => Hook,
        b"action" => NetAction,
        b"macproto" => MacProto,
        b"ioctlcmd" => IoctlReq,
        b"resp" => Fanotify,
        b"nl-mcgrp" => NlMcGrp,
        b"resolve" => Resolve,
        _ => Unclassified,
    }
}

/// The kind of field `name` with value `raw` in a record of type `rtype`.
pub fn classify(rtype: Option<u32>, name: &[u8], raw: Raw) -> Kind {
    use rtype::*;
    let t = rtype.unwrap_or(0);
    let quoted = raw.quote == Quote::Double;
    match name {
        _ if t == EXECVE
            && name.first() == Some(&b'a')
            && name != b"argc"
            && memchr::memmem::find(name, b"_len").is_none() =>
        {
            Kind::Escaped
        }
        b"saddr" if t == AVC => Kind::Unclassified,
        b"msg" if t == USER_TTY => Kind::Escaped,
        b"saddr" if t == NETFILTER_PKT => Kind::Addr,
        b"acct" if quoted || num::is_hex(raw.text) => Kind::Escaped,
        b"acct" => Kind::Unclassified,
        b"flags" if t == PATH => Kind::PathFlags,
        b"mode" if t == MQ_OPEN => Kind::ModeShort,
        b"fp" if t == CRYPTO_KEY_USER => Kind::Unclassified,
        b"id" if t == ADD_GROUP || t == GRP_MGMT || t == DEL_GROUP => Kind::Gid,
        _ if t == TRUSTED_APP => {
            if quoted || (!num::is_decimal(raw.text) && num::is_hex(raw.text)) {
                Kind::Escaped
            } else {
                Kind::Unclassified
            }
        }
        b"name" if t == KERN_MODULE => Kind::Escaped,
        _ => by_name(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret::raw;

    #[test]
    fn dictionary_and_exceptions() {
        assert_eq!(classify(Some(1300), b"auid", raw("0")), Kind::Uid);
        assert_eq!(classify(Some(1309), b"a0", raw("6C73")), Kind::Escaped);
        assert_eq!(
            classify(Some(1309), b"a1_len", raw("3")),
            Kind::Unclassified
        );
        assert_eq!(classify(Some(1309), b"argc", raw("3")), Kind::Unclassified);
        assert_eq!(classify(Some(1300), b"a0", raw("3")), Kind::Arg(0));
        assert_eq!(classify(Some(1116), b"id", raw("3")), Kind::Gid);
        assert_eq!(classify(Some(1112), b"id", raw("3")), Kind::Uid);
        assert_eq!(
            classify(Some(1112), b"acct", raw("root")),
            Kind::Unclassified
        );
        assert_eq!(
            classify(Some(1112), b"acct", raw("726F6F74")),
            Kind::Escaped
        );
        assert_eq!(classify(Some(1302), b"flags", raw("1")), Kind::PathFlags);
        assert_eq!(classify(Some(1323), b"flags", raw("1")), Kind::MmapFlags);
        assert_eq!(
            classify(Some(1400), b"saddr", raw("1.2.3.4")),
            Kind::Unclassified
        );
    }
}
