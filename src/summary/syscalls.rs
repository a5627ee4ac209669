//! System call names for sentences: from the ENRICHED `SYSCALL=` field, a name
//! already written out (`ausearch -i` input), or the shared interpretation
//! table; and a small table for records whose arch is written as a name.

use std::borrow::Cow;
use std::cell::RefCell;

use crate::interpret;
use crate::record::{Origin, Record};
use crate::sanitize;
use crate::summary::scan::{Scan, Slot};

/// The name of the record's system call, if it can be known. Names from the
/// tables are borrowed; only names read from the log are copied (escaped).
pub fn name(rec: &Record) -> Option<Cow<'static, str>> {
    // One pass finds the enrichment's name, the number and the arch (the
    // first of each, as separate look-ups would).
    let (mut enriched, mut number, mut arch) = (None, None, None);
    for f in &rec.fields {
        if f.origin == Origin::Enriched {
            if enriched.is_none() && rec.name_is(f, b"SYSCALL") {
                enriched = Some(rec.value_of(f));
            }
        } else if number.is_none() && rec.name_is(f, b"syscall") {
            number = Some(rec.value_of(f));
        } else if arch.is_none() && rec.name_is(f, b"arch") {
            arch = Some(rec.value_of(f));
        }
    }
    name_from(enriched, number, arch)
}

/// `name` for a SYSCALL record already scanned.
pub fn name_scanned(scan: &Scan) -> Option<Cow<'static, str>> {
    name_from(
        scan.enriched_call(),
        scan.get(Slot::Syscall),
        scan.get(Slot::Arch),
    )
}

/// The name from the enrichment's name, the number and the arch as written.
fn name_from(
    enriched: Option<&[u8]>,
    number: Option<&[u8]>,
    arch: Option<&[u8]>,
) -> Option<Cow<'static, str>> {
    if let Some(n) = enriched.filter(|n| !n.is_empty()) {
        return Some(Cow::Owned(sanitize::escaped(n)));
    }
    let number = number?;
    if !number.iter().all(u8::is_ascii_digit) {
        return Some(Cow::Owned(sanitize::escaped(number)));
    }
    remembered_name(arch, number).map(Cow::Borrowed)
}

/// An arch and a call number as written, short enough to remember.
#[derive(Clone, Copy, PartialEq, Eq)]
struct CallKey {
    /// The arch's bytes; `arch_len` 255 means there was no arch.
    arch: [u8; 16],
    arch_len: u8,
    number: [u8; 8],
    number_len: u8,
}

impl CallKey {
    fn new(arch: Option<&[u8]>, number: &[u8]) -> Option<CallKey> {
        let mut key = CallKey {
            arch: [0; 16],
            arch_len: 255,
            number: [0; 8],
            number_len: u8::try_from(number.len()).ok()?,
        };
        key.number.get_mut(..number.len())?.copy_from_slice(number);
        if let Some(a) = arch {
            key.arch.get_mut(..a.len())?.copy_from_slice(a);
            key.arch_len = u8::try_from(a.len()).ok()?;
        }
        Some(key)
    }

    /// Which of the remembered entries this key may sit in.
    fn bucket(&self) -> usize {
        let last = self.number[usize::from(self.number_len.saturating_sub(1))];
        usize::from(last ^ self.number_len) % NAMED_SIZE
    }
}

/// A remembered call: its key and the name the tables gave.
type Named = Option<(CallKey, Option<&'static str>)>;

/// How many named calls a thread remembers.
const NAMED_SIZE: usize = 8;

thread_local! {
    /// Calls named lately: a log repeats a handful of calls over and over,
    /// and naming one from the tables costs more than comparing two keys.
    static NAMED: RefCell<[Named; NAMED_SIZE]> =
        const { RefCell::new([None; NAMED_SIZE]) };
}

/// The table name of a call given by number, remembered for the next time.
fn remembered_name(arch: Option<&[u8]>, number: &[u8]) -> Option<&'static str> {
    let Some(key) = CallKey::new(arch, number) else {
        return table_name(arch, number);
    };
    NAMED.with_borrow_mut(|named| {
        let slot = &mut named[key.bucket()];
        match slot {
            Some((k, name)) if *k == key => *name,
            _ => {
                let name = table_name(arch, number);
                *slot = Some((key, name));
                name
            }
        }
    })
}

/// The name from the interpretation table, else from the small table here.
fn table_name(arch: Option<&[u8]>, number: &[u8]) -> Option<&'static str> {
    interpret::syscall_name(arch, number).or_else(|| fallback_name(arch, number))
}

/// For an arch written as a name (`arch=x86_64`), which the interpretation
/// table does not read: the x86_64 and aarch64 numbers of the calls sentences
/// classify. Hex arches never get here; the interpretation table names them.
fn fallback_name(arch: Option<&[u8]>, number: &[u8]) -> Option<&'static str> {
    let n: u32 = std::str::from_utf8(number).ok()?.parse().ok()?;
    let table = match arch? {
        b"c000003e" | b"x86_64" => X86_64,
        b"c00000b7" | b"aarch64" => AARCH64,
        _ => return None,
    };
    table.iter().find(|(k, _)| *k == n).map(|(_, name)| *name)
}

const X86_64: &[(u32, &str)] = &[
    (0, "read"),
    (1, "write"),
    (2, "open"),
    (4, "stat"),
    (6, "lstat"),
    (17, "pread64"),
    (18, "pwrite64"),
    (21, "access"),
    (41, "socket"),
    (42, "connect"),
    (43, "accept"),
    (44, "sendto"),
    (45, "recvfrom"),
    (46, "sendmsg"),
    (47, "recvmsg"),
    (49, "bind"),
    (50, "listen"),
    (56, "clone"),
    (57, "fork"),
    (58, "vfork"),
    (59, "execve"),
    (62, "kill"),
    (76, "truncate"),
    (77, "ftruncate"),
    (80, "chdir"),
    (82, "rename"),
    (83, "mkdir"),
    (84, "rmdir"),
    (85, "creat"),
    (86, "link"),
    (87, "unlink"),
    (88, "symlink"),
    (89, "readlink"),
    (90, "chmod"),
    (91, "fchmod"),
    (92, "chown"),
    (93, "fchown"),
    (94, "lchown"),
    (101, "ptrace"),
    (105, "setuid"),
    (106, "setgid"),
    (113, "setreuid"),
    (114, "setregid"),
    (117, "setresuid"),
    (119, "setresgid"),
    (122, "setfsuid"),
    (123, "setfsgid"),
    (126, "capset"),
    (133, "mknod"),
    (155, "pivot_root"),
    (159, "adjtimex"),
    (161, "chroot"),
    (164, "settimeofday"),
    (165, "mount"),
    (166, "umount2"),
    (167, "swapon"),
    (168, "swapoff"),
    (169, "reboot"),
    (170, "sethostname"),
    (171, "setdomainname"),
    (175, "init_module"),
    (176, "delete_module"),
    (188, "setxattr"),
    (189, "lsetxattr"),
    (190, "fsetxattr"),
    (197, "removexattr"),
    (198, "lremovexattr"),
    (199, "fremovexattr"),
    (200, "tkill"),
    (227, "clock_settime"),
    (234, "tgkill"),
    (257, "openat"),
    (258, "mkdirat"),
    (259, "mknodat"),
    (260, "fchownat"),
    (263, "unlinkat"),
    (264, "renameat"),
    (265, "linkat"),
    (266, "symlinkat"),
    (268, "fchmodat"),
    (269, "faccessat"),
    (280, "utimensat"),
    (288, "accept4"),
    (304, "open_by_handle_at"),
    (305, "clock_adjtime"),
    (313, "finit_module"),
    (316, "renameat2"),
    (321, "bpf"),
    (322, "execveat"),
    (435, "clone3"),
    (437, "openat2"),
];

const AARCH64: &[(u32, &str)] = &[
    (5, "setxattr"),
    (6, "lsetxattr"),
    (7, "fsetxattr"),
    (14, "removexattr"),
    (33, "mknodat"),
    (34, "mkdirat"),
    (35, "unlinkat"),
    (36, "symlinkat"),
    (37, "linkat"),
    (38, "renameat"),
    (39, "umount2"),
    (40, "mount"),
    (41, "pivot_root"),
    (45, "truncate"),
    (46, "ftruncate"),
    (51, "chroot"),
    (52, "fchmod"),
    (53, "fchmodat"),
    (54, "fchownat"),
    (55, "fchown"),
    (56, "openat"),
    (63, "read"),
    (64, "write"),
    (88, "utimensat"),
    (90, "capget"),
    (91, "capset"),
    (105, "init_module"),
    (106, "delete_module"),
    (112, "clock_settime"),
    (117, "ptrace"),
    (129, "kill"),
    (130, "tkill"),
    (131, "tgkill"),
    (142, "reboot"),
    (143, "setregid"),
    (144, "setgid"),
    (145, "setreuid"),
    (146, "setuid"),
    (147, "setresuid"),
    (149, "setresgid"),
    (161, "sethostname"),
    (170, "settimeofday"),
    (171, "adjtimex"),
    (198, "socket"),
    (200, "bind"),
    (201, "listen"),
    (202, "accept"),
    (203, "connect"),
    (206, "sendto"),
    (207, "recvfrom"),
    (211, "sendmsg"),
    (212, "recvmsg"),
    (220, "clone"),
    (221, "execve"),
    (242, "accept4"),
    (266, "clock_adjtime"),
    (273, "finit_module"),
    (276, "renameat2"),
    (280, "bpf"),
    (281, "execveat"),
    (435, "clone3"),
    (437, "openat2"),
];

/// What kind of action a system call is, for choosing a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Open,
    Read,
    Write,
    Delete,
    Rename,
    Chmod,
    Chown,
    Xattr,
    Link,
    Mkdir,
    Mknod,
    Truncate,
    Utime,
    Access,
    Chdir,
    Exec,
    Connect,
    Bind,
    Listen,
    Accept,
    Send,
    Receive,
    Socket,
    Spawn,
    Signal,
    Ptrace,
    SetId,
    Capset,
    Chroot,
    ModuleLoad,
    ModuleUnload,
    Time,
    Mount,
    Unmount,
    Reboot,
    Hostname,
    Swap,
    Bpf,
    Other,
}

/// The class of a system call by name.
pub fn class(name: &str) -> Class {
    match name {
        "open" | "openat" | "openat2" | "creat" | "open_by_handle_at" => Class::Open,
        "read" | "pread64" | "readv" | "preadv" | "preadv2" => Class::Read,
        "write" | "pwrite64" | "writev" | "pwritev" | "pwritev2" => Class::Write,
        "unlink" | "unlinkat" | "rmdir" => Class::Delete,
        "rename" | "renameat" | "renameat2" => Class::Rename,
        "chmod" | "fchmod" | "fchmodat" | "fchmodat2" => Class::Chmod,
        "chown" | "fchown" | "lchown" | "fchownat" | "chown32" | "fchown32" | "lchown32" => {
            Class::Chown
        }
        "setxattr" | "lsetxattr" | "fsetxattr" | "removexattr" | "lremovexattr"
        | "fremovexattr" | "setxattrat" | "removexattrat" => Class::Xattr,
        "link" | "linkat" | "symlink" | "symlinkat" => Class::Link,
        "mkdir" | "mkdirat" => Class::Mkdir,
        "mknod" | "mknodat" => Class::Mknod,
        "truncate" | "ftruncate" | "truncate64" | "ftruncate64" => Class::Truncate,
        "utime" | "utimes" | "utimensat" | "futimesat" => Class::Utime,
        "access" | "faccessat" | "faccessat2" => Class::Access,
        "chdir" | "fchdir" => Class::Chdir,
        "execve" | "execveat" => Class::Exec,
        "connect" => Class::Connect,
        "bind" => Class::Bind,
        "listen" => Class::Listen,
        "accept" | "accept4" => Class::Accept,
        "sendto" | "sendmsg" | "sendmmsg" => Class::Send,
        "recvfrom" | "recvmsg" | "recvmmsg" => Class::Receive,
        "socket" => Class::Socket,
        "clone" | "clone3" | "fork" | "vfork" => Class::Spawn,
        "kill" | "tkill" | "tgkill" | "rt_sigqueueinfo" | "pidfd_send_signal" => Class::Signal,
        "ptrace" | "process_vm_writev" | "process_vm_readv" => Class::Ptrace,
        "setuid" | "setgid" | "setreuid" | "setregid" | "setresuid" | "setresgid" | "setfsuid"
        | "setfsgid" | "setuid32" | "setgid32" | "setreuid32" | "setregid32" | "setresuid32"
        | "setresgid32" | "setgroups" => Class::SetId,
        "capset" => Class::Capset,
        "chroot" | "pivot_root" => Class::Chroot,
        "init_module" | "finit_module" => Class::ModuleLoad,
        "delete_module" => Class::ModuleUnload,
        "settimeofday" | "clock_settime" | "adjtimex" | "clock_adjtime" | "stime"
        | "clock_settime64" | "clock_adjtime64" => Class::Time,
        "mount" | "move_mount" | "fsmount" | "mount_setattr" => Class::Mount,
        "umount" | "umount2" => Class::Unmount,
        "reboot" | "kexec_load" | "kexec_file_load" => Class::Reboot,
        "sethostname" | "setdomainname" => Class::Hostname,
        "swapon" | "swapoff" => Class::Swap,
        "bpf" => Class::Bpf,
        _ => Class::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::{AARCH64, Class, X86_64, class, fallback_name};

    #[test]
    fn fallback_knows_common_calls() {
        assert_eq!(fallback_name(Some(b"c000003e"), b"257"), Some("openat"));
        assert_eq!(fallback_name(Some(b"c00000b7"), b"221"), Some("execve"));
        assert_eq!(fallback_name(Some(b"40000003"), b"5"), None);
        assert_eq!(fallback_name(Some(b"aarch64"), b"91"), Some("capset"));
    }

    #[test]
    fn tables_are_sorted_without_duplicates() {
        for t in [X86_64, AARCH64] {
            assert!(t.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }

    #[test]
    fn classes() {
        assert_eq!(class("openat"), Class::Open);
        assert_eq!(class("renameat2"), Class::Rename);
        assert_eq!(class("getpid"), Class::Other);
    }
}
