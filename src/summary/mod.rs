//! One sentence per event: who did what to what, how, and whether it worked.
//!
//! `summarize` picks the record that says what the event is about (the main
//! record), reads the subject and the result once, and hands over to a builder
//! for that kind of event. Builders live in one small module per family group;
//! each fills a `Sentence`, and `Sentence::finish` turns it into words. Every
//! value taken from the log is escaped on the way in, so a summary is safe to
//! print as it is.

mod account;
mod anomaly;
mod audit;
mod exec;
mod file;
mod generic;
mod integrity;
mod mac;
mod network;
mod process;
mod response;
pub mod result;
pub mod rtype;
mod scan;
mod session;
mod syscall;
pub mod syscalls;
mod system;
pub mod values;
pub mod who;

use std::borrow::Cow;
use std::rc::Rc;

use crate::event::Event;
use crate::outcome::Outcome;
use crate::record::Record;
use crate::types::Flags;

use result::Verdict;
use scan::{Scans, Slot};
use who::Who;

/// The summary of one event, as parts and as a sentence.
///
/// A summary can be filled again for another event (`summarize_into`): its
/// text keeps its buffer, so a batch of summaries kept from one batch of
/// events to the next allocates nothing for their sentences.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Shared: the same subject and program repeat from event to event.
    pub subject: Option<Rc<str>>,
    pub action: Cow<'static, str>,
    /// Where the object is in `text` (the sentence always shows it whole).
    object: Option<(usize, usize)>,
    pub how: Option<Rc<str>>,
    pub result: Option<Outcome>,
    /// Why it failed, when known (`permission denied (EACCES)`); shared, as
    /// the same few reasons come again and again.
    pub reason: Option<Rc<str>>,
    /// `ANOM`, `RESP`, `INTEGRITY`, `ROOT_TRANSITION`, `MAC_DENIAL`.
    pub flags: FlagList,
    pub text: String,
}

impl Summary {
    /// What was acted on (`/etc/shadow`), as the sentence shows it.
    pub fn object(&self) -> Option<&str> {
        let (start, end) = self.object?;
        self.text.get(start..end)
    }

    /// An empty summary, with the text buffer the last dropped summary gave
    /// back, if any: summaries worked out one at a time and dropped at once
    /// allocate nothing for their text.
    fn spare() -> Summary {
        let text = SPARE_TEXT
            .try_with(|spare| spare.take())
            .unwrap_or_default();
        let mut summary = Summary::default();
        summary.text = text;
        summary
    }

    /// Lets go of the text's buffer if it grew past `SCRATCH_KEPT`, so a
    /// summary kept for its buffer never keeps a big one.
    pub fn trim(&mut self) {
        if self.text.capacity() > SCRATCH_KEPT {
            self.text = String::new();
            self.object = None;
        }
    }

    /// Empties the summary for another event, keeping its text's buffer
    /// unless it grew past `SCRATCH_KEPT`.
    fn reset(&mut self) {
        self.subject = None;
        self.action = Cow::Borrowed("");
        self.object = None;
        self.how = None;
        self.result = None;
        self.reason = None;
        self.flags.len = 0;
        self.trim();
        self.text.clear();
    }
}

impl Drop for Summary {
    /// Gives the text buffer back for `Summary::spare`, unless it grew past
    /// `SCRATCH_KEPT` or a buffer is already waiting.
    fn drop(&mut self) {
        let cap = self.text.capacity();
        if cap == 0 || cap > SCRATCH_KEPT {
            return;
        }
        let _ = SPARE_TEXT.try_with(|spare| {
            let mut text = std::mem::take(&mut self.text);
            text.clear();
            let kept = spare.replace(text);
            if kept.capacity() > 0 {
                spare.set(kept);
            }
        });
    }
}

thread_local! {
    /// The text buffer of the last summary dropped, emptied.
    static SPARE_TEXT: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// The flags of a summary. There are at most five, so they are kept in
/// place rather than in an allocation of their own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlagList {
    names: [&'static str; FlagList::MAX],
    len: usize,
}

impl FlagList {
    /// Every flag a summary can carry, each at most once.
    const MAX: usize = 5;

    /// Adds a flag; one past `MAX` cannot come and would be dropped.
    fn push(&mut self, name: &'static str) {
        if let Some(slot) = self.names.get_mut(self.len) {
            *slot = name;
            self.len += 1;
        }
    }
}

impl std::ops::Deref for FlagList {
    type Target = [&'static str];

    fn deref(&self) -> &[&'static str] {
        &self.names[..self.len]
    }
}

impl<'a> IntoIterator for &'a FlagList {
    type Item = &'a &'static str;
    type IntoIter = std::slice::Iter<'a, &'static str>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A verb in the two forms a sentence needs. Most verbs are fixed words, so
/// both forms borrow them; only verbs built from log values own their text.
#[derive(Clone, Debug, Default)]
pub struct Verb {
    /// `opened`: what happened.
    pub past: Cow<'static, str>,
    /// `open`: follows "failed to".
    pub base: Cow<'static, str>,
    /// The verb already says how it ended (`was denied`); never "failed to".
    pub fixed: bool,
}

impl Verb {
    pub fn new(past: impl Into<Cow<'static, str>>, base: impl Into<Cow<'static, str>>) -> Verb {
        Verb {
            past: past.into(),
            base: base.into(),
            fixed: false,
        }
    }

    /// A verb that reads the same whatever the result.
    pub fn fixed(text: impl Into<Cow<'static, str>>) -> Verb {
        let text = text.into();
        Verb {
            base: text.clone(),
            past: text,
            fixed: true,
        }
    }
}

/// What a builder fills in.
#[derive(Clone, Debug, Default)]
pub struct Sentence {
    /// None: the verb opens the sentence (`The system booted`).
    pub subject: Option<Rc<str>>,
    pub verb: Verb,
    pub object: Option<String>,
    /// Phrases after the object (`from 203.0.113.9`, `(3 entries)`), each
    /// already with the space that goes before it: one buffer, not a string
    /// per phrase.
    details: String,
    /// The program that did it.
    pub how: Option<Rc<str>>,
    /// Its command line, shown after the program.
    pub command: Option<Rc<str>>,
    /// The audit rule key that caught it.
    pub key: Option<String>,
    pub verdict: Verdict,
    /// The verb does not say how it ended: add "it failed" on failure.
    pub say_failure: bool,
    /// A closing clause after the program and node: `; it set up ...`.
    pub tail: Option<String>,
}

/// What every builder gets: the event, its main record, subject and result,
/// and the facts several builders need, found once per event.
pub struct Ctx<'a> {
    pub ev: &'a Event,
    pub main: &'a Record,
    pub who: Who,
    /// `who` in words, as sentences usually open.
    pub subject: Option<Rc<str>>,
    pub verdict: Verdict,
    /// The event's SYSCALL record.
    pub syscall: Option<&'a Record>,
    /// The fields of the main and SYSCALL records that sentences read,
    /// found in one pass over each.
    pub scans: &'a Scans<'a>,
    /// The name of that record's system call.
    pub call: Option<Cow<'static, str>>,
}

impl Ctx<'_> {
    /// A sentence with the usual subject, program, command line, key and result.
    pub fn sentence(&self, verb: Verb) -> Sentence {
        Sentence {
            subject: self.subject.clone(),
            verb,
            how: values::program_in(self.ev, Some(self.scans)),
            command: values::command_line(self.ev),
            key: rule_key_in(self.ev, Some(self.scans)),
            verdict: self.verdict.clone(),
            ..Sentence::default()
        }
    }

    /// A sentence for user-space records: the program but no command line
    /// (nor rule key, so neither is looked for).
    pub fn user_sentence(&self, verb: Verb) -> Sentence {
        Sentence {
            subject: self.subject.clone(),
            verb,
            how: values::program_in(self.ev, Some(self.scans)),
            verdict: self.verdict.clone(),
            ..Sentence::default()
        }
    }

    /// A sentence with the usual subject and result alone (its builder
    /// names the rest).
    pub fn bare_sentence(&self, verb: Verb) -> Sentence {
        Sentence {
            subject: self.subject.clone(),
            verb,
            verdict: self.verdict.clone(),
            ..Sentence::default()
        }
    }

    pub fn failed(&self) -> bool {
        self.verdict.outcome == Some(Outcome::Failure)
    }

    /// A field of the main record, decoded and escaped.
    pub fn text(&self, name: &str) -> Option<String> {
        values::text(self.main, name)
    }

    /// True when the main record has an own field of this slot's name.
    fn main_has(&self, slot: Slot) -> bool {
        self.scans.main().position(slot).is_some()
    }
}

/// The audit rule key of the event (several keys are joined with `, `).
fn rule_key(ev: &Event) -> Option<String> {
    rule_key_in(ev, None)
}

/// `rule_key`, reading the keys of scanned records from their scans.
fn rule_key_in(ev: &Event, scans: Option<&Scans>) -> Option<String> {
    let raw = ev
        .records
        .iter()
        .find_map(|r| match scan::scanned(scans, r) {
            Some(scan) => scan.raw_text(Slot::Key),
            None => r.position("key").and_then(|i| values::raw_text_at(r, i)),
        })?;
    let mut keys = String::new();
    let mut any = false;
    for key in raw
        .split(|&b| b == 0x01)
        .filter(|k| values::is_present(k) && !k.starts_with(b"(null)"))
    {
        if any {
            keys.push_str(", ");
        }
        any = true;
        crate::sanitize::push_escaped(&mut keys, key);
    }
    any.then_some(keys)
}

/// Types that only add detail to another record of their event.
fn is_auxiliary(rec: &Record) -> bool {
    match rec.info {
        Some(info) => is_auxiliary_number(info.number),
        None => is_auxiliary_name(rec.type_name()),
    }
}

/// `is_auxiliary` for a type the table knows: the numbers of the names below.
fn is_auxiliary_number(number: u32) -> bool {
    matches!(
        number,
        1300 | 1302..=1304
            | 1306
            | 1307
            | 1309
            | 1311..=1318
            | 1320..=1323
            | 1327
            | 1336
            | 1337
            | 1402
    )
}

/// `is_auxiliary` for a type the table lacks, by its name.
fn is_auxiliary_name(name: &str) -> bool {
    matches!(
        name,
        "SYSCALL"
            | "EXECVE"
            | "CWD"
            | "PATH"
            | "PROCTITLE"
            | "SOCKADDR"
            | "EOE"
            | "AVC_PATH"
            | "FD_PAIR"
            | "BPRM_FCAPS"
            | "CAPSET"
            | "MMAP"
            | "OBJ_PID"
            | "IPC"
            | "IPC_SET_PERM"
            | "MQ_OPEN"
            | "MQ_SENDRECV"
            | "MQ_NOTIFY"
            | "MQ_GETSETATTR"
            | "SOCKETCALL"
            | "KERNEL_OTHER"
            | "OPENAT2"
            | "URINGOP"
    )
}

/// The record that says what the event is about.
fn main_record(ev: &Event) -> Option<&Record> {
    rtype::first(ev, rtype::AVC)
        .or_else(|| ev.records.iter().find(|r| !is_auxiliary(r)))
        .or_else(|| rtype::first(ev, rtype::SYSCALL))
        .or_else(|| rtype::first(ev, rtype::URINGOP))
        .or_else(|| ev.first())
}

/// Summarizes one event.
pub fn summarize(ev: &Event) -> Summary {
    let mut summary = Summary::spare();
    summarize_into(&mut summary, ev);
    summary
}

/// `summarize`, into a summary of an earlier event, whose buffers serve
/// again.
pub fn summarize_into(summary: &mut Summary, ev: &Event) {
    summary.reset();
    let Some(main) = main_record(ev) else {
        return;
    };
    let syscall = rtype::first(ev, rtype::SYSCALL);
    let mut scans = Scans::unread(main, syscall);
    scans.read();
    let (who, subject) = Who::with_subject(ev, main, Some(&scans));
    let ctx = Ctx {
        ev,
        main,
        who,
        subject,
        verdict: result::of_scanned(ev, main, scans.syscall()),
        syscall,
        call: scans.syscall().and_then(syscalls::name_scanned),
        scans: &scans,
    };
    let sentence = build(&ctx);
    sentence.finish_into(ev.node(), summary);
    push_flags(&ctx, &mut summary.flags);
}

/// The socket address of the event in words (`10.0.0.1 port 22`).
pub fn address(ev: &Event) -> Option<String> {
    network::address(ev)
}

/// The names of the event's PATH records, joined with its cwd.
pub fn file_paths(ev: &Event) -> Vec<Vec<u8>> {
    file::items(ev).into_iter().map(|i| i.name).collect()
}

/// The result alone, for `--success` (cheaper than a whole summary).
pub fn outcome(ev: &Event) -> Option<Outcome> {
    let main = main_record(ev)?;
    result::of(ev, main).outcome
}

/// Hands over to the builder for the main record's kind.
fn build(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let name = rec.type_name();
    if ctx.main_has(Slot::Apparmor) || name.starts_with("APPARMOR") {
        return mac::apparmor(ctx);
    }
    if loads_a_module(ctx) {
        return process::module(ctx);
    }
    if rec.info.is_none() && ctx.main_has(Slot::Syscall) {
        // Dialects such as auoms put a whole system call in one record.
        return syscall::sentence(ctx);
    }
    let family = rec.family();
    // The usual kinds return their sentence straight, not in an `Option`:
    // a sentence is big enough that moving it shows.
    match family {
        "syscall" if name == "SECCOMP" => return anomaly::seccomp(ctx),
        "syscall" if name == "BPF" => return generic::sentence(ctx),
        "syscall" | "file" | "process" | "network" => return syscall::sentence(ctx),
        "selinux" | "mac" if matches!(name, "AVC" | "USER_AVC") => return mac::avc(ctx),
        _ => {}
    }
    let built = match family {
        "authentication" => session::auth(ctx),
        "account" => Some(account::sentence(ctx)),
        "session" => session::sentence(ctx),
        "system" => system::sentence(ctx),
        "audit-config" | "audit-daemon" => audit::sentence(ctx),
        "time" => Some(process::time(ctx)),
        "kernel-module" => Some(process::module(ctx)),
        "netfilter" => Some(system::netfilter(ctx)),
        "selinux" | "mac" => mac::selinux(ctx),
        "anomaly" => anomaly::anomaly(ctx),
        "response" => response::sentence(ctx),
        "integrity" => integrity::sentence(ctx),
        _ => None,
    };
    built.unwrap_or_else(|| generic::sentence(ctx))
}

/// True when the event's system call loads or unloads a kernel module (its
/// other records, such as NETFILTER_CFG, are consequences).
fn loads_a_module(ctx: &Ctx) -> bool {
    ctx.call.as_deref().is_some_and(|n| {
        matches!(
            syscalls::class(n),
            syscalls::Class::ModuleLoad | syscalls::Class::ModuleUnload
        )
    })
}

/// Adds the event's flags to `out`: type categories, a root transition, a
/// MAC denial.
fn push_flags(ctx: &Ctx, out: &mut FlagList) {
    let mut all = Flags::default();
    for r in &ctx.ev.records {
        all.0 |= r.flags().0;
    }
    // Most events have none: the names are not even looked at.
    if !all.is_empty() {
        all.names().for_each(|n| out.push(n));
    }
    if acts_for_itself(ctx) && ctx.who.is_root_transition() {
        out.push("ROOT_TRANSITION");
    }
    let denial = |r: &Record| match ctx.scans.find(r) {
        Some(scan) => mac::is_denial_scanned(scan),
        None => mac::is_denial(r),
    };
    if ctx.ev.records.iter().any(denial) {
        out.push("MAC_DENIAL");
    }
}

/// True when the acting uid is the user's own process (a system call, typed
/// input), not a daemon such as sshd writing on the user's behalf.
fn acts_for_itself(ctx: &Ctx) -> bool {
    ctx.syscall.is_some() || matches!(ctx.main.type_name(), "TTY" | "USER_TTY" | "ANOM_ROOT_TRANS")
}

/// Puts `s` in double quotes when it has spaces or is empty, so the sentence
/// stays readable.
pub fn quoted(s: &str) -> String {
    if needs_quotes(s) {
        concat(&["\"", s, "\""])
    } else {
        s.to_string()
    }
}

/// `quoted`, appended to `out`.
pub fn push_quoted(out: &mut String, s: &str) {
    let quote = needs_quotes(s);
    if quote {
        out.push('"');
    }
    out.push_str(s);
    if quote {
        out.push('"');
    }
}

/// `quoted` for a string the caller gives away: kept as it is when no quotes
/// are needed.
pub fn quoted_owned(s: String) -> String {
    if needs_quotes(&s) { quoted(&s) } else { s }
}

pub(crate) fn needs_quotes(s: &str) -> bool {
    // ASCII text (nearly every path) is checked for spaces eight bytes at a
    // time; only text with other characters needs the Unicode list of spaces.
    s.is_empty()
        || has_ascii_space(s.as_bytes())
        || (!s.is_ascii() && s.contains(char::is_whitespace))
}

/// True when `bytes` hold a tab, line end, form feed or space.
fn has_ascii_space(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    let ascii_space = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut word = [0; 8];
        word.copy_from_slice(w);
        let x = u64::from_le_bytes(word);
        // Non-zero when some byte is below 0x21 (every space is); then the
        // bytes are looked at one by one.
        if x.wrapping_sub(ONES * 0x21) & !x & HIGHS != 0 && w.iter().any(ascii_space) {
            return true;
        }
    }
    words.remainder().iter().any(ascii_space)
}

/// Least room made for a summary's text.
const TEXT_ROOM: usize = 128;

/// Room made for a sentence's detail phrases when the first one comes.
const DETAILS_ROOM: usize = 128;

/// Longest text the shared scratch buffer keeps its room for between uses.
const SCRATCH_KEPT: usize = 4096;

thread_local! {
    /// Room to join parts before they are copied into shared text, so the
    /// join itself allocates nothing.
    static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The text `write` makes, as shared text: one allocation (a `String` turned
/// into an `Rc<str>` would be two).
pub fn shared_with(write: impl FnOnce(&mut String)) -> Rc<str> {
    // Taken out rather than borrowed, so a `write` that calls this again
    // gets a buffer of its own instead of a borrow failure.
    let mut buf = SCRATCH.with_borrow_mut(std::mem::take);
    buf.clear();
    write(&mut buf);
    let text = Rc::from(buf.as_str());
    if buf.capacity() <= SCRATCH_KEPT {
        SCRATCH.with_borrow_mut(|s| *s = buf);
    }
    text
}

/// The parts joined, as shared text.
pub fn shared(parts: &[&str]) -> Rc<str> {
    shared_with(|out| parts.iter().for_each(|p| out.push_str(p)))
}

/// The parts joined into one string, allocated once (cheaper than `format!`).
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    parts.iter().for_each(|p| out.push_str(p));
    out
}

impl Sentence {
    /// Adds a detail phrase.
    pub fn detail(&mut self, d: impl AsRef<str>) {
        self.detail_parts(&[d.as_ref()]);
    }

    /// Adds a detail phrase made of these parts, without joining them first.
    /// A phrase starting with `,` or empty gets no space before it.
    pub fn detail_parts(&mut self, parts: &[&str]) {
        if self.details.capacity() == 0 {
            // The buffer the last finished sentence gave back, if any;
            // else room for the usual few phrases at once, rather than
            // growing the buffer phrase by phrase.
            self.details = SPARE_DETAILS.with_borrow_mut(std::mem::take);
            let len: usize = parts.iter().map(|p| p.len()).sum();
            self.details.reserve(len.max(DETAILS_ROOM));
        }
        let first = parts.iter().find(|p| !p.is_empty());
        if first.is_some_and(|p| !p.starts_with(',')) {
            self.details.push(' ');
        }
        parts.iter().for_each(|p| self.details.push_str(p));
    }

    /// The object, emptied, for a builder to write it in place: the buffer
    /// the last finished sentence gave back, so an object costs no
    /// allocation of its own.
    pub fn object_buf(&mut self) -> &mut String {
        let buf = self
            .object
            .get_or_insert_with(|| SPARE_OBJECT.with_borrow_mut(std::mem::take));
        buf.clear();
        buf
    }

    /// Sets the object to a copy of `text`, in the object's own buffer.
    pub fn set_object(&mut self, text: &str) {
        self.object_buf().push_str(text);
    }

    /// Appends the verb as this sentence uses it.
    fn push_verb(&self, text: &mut String) {
        let failed = self.verdict.outcome == Some(Outcome::Failure);
        if failed && !self.verb.fixed {
            text.push_str("failed to ");
            text.push_str(&self.verb.base);
        } else {
            text.push_str(&self.verb.past);
        }
    }

    /// Turns the parts into the summary and its sentence; `node` is the
    /// event's, as written.
    pub fn finish(self, node: Option<&[u8]>) -> Summary {
        let mut summary = Summary::default();
        self.finish_into(node, &mut summary);
        summary
    }

    /// `finish`, into an emptied summary whose text buffer serves again.
    fn finish_into(mut self, node: Option<&[u8]>, summary: &mut Summary) {
        if self.subject.is_none() && !self.verb.fixed {
            // Nobody named: the program did it, or the system itself.
            self.subject = Some(self.how.take().unwrap_or_else(|| Rc::from("The system")));
        }
        let how = self.how_text();
        let text = &mut summary.text;
        let len = self.text_len(&how, node);
        if text.capacity() < len {
            // Rounded up, so a summary filled again and again for other
            // events soon stops growing.
            text.reserve(len.next_power_of_two().max(TEXT_ROOM));
        }
        self.push_opening(text);
        summary.object = self.push_body(text);
        if let Some(h) = &how {
            text.push_str(" using ");
            text.push_str(h);
        }
        if let Some(n) = node {
            text.push_str(" on ");
            crate::sanitize::push_escaped(text, n);
        }
        self.push_ending(text);
        give_back(&SPARE_DETAILS, std::mem::take(&mut self.details));
        if let Some(object) = self.object.take() {
            give_back(&SPARE_OBJECT, object);
        }
        summary.subject = self.subject;
        summary.action = self.verb.past;
        summary.how = how;
        summary.result = self.verdict.outcome;
        summary.reason = self.verdict.reason;
    }

    /// The subject and the verb, or the verb alone with a capital letter.
    fn push_opening(&self, text: &mut String) {
        match &self.subject {
            Some(s) => {
                text.push_str(s);
                text.push(' ');
                self.push_verb(text);
            }
            None => {
                let start = text.len();
                self.push_verb(text);
                capitalize_from(text, start);
            }
        }
    }

    /// The object and the detail phrases; an object starting with `,` is not
    /// spaced (the phrases carry their own spaces). Gives where the object
    /// went.
    fn push_body(&self, text: &mut String) -> Option<(usize, usize)> {
        let at = self.object.as_ref().map(|object| {
            if !object.starts_with(',') && !object.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(object);
            (start, text.len())
        });
        text.push_str(&self.details);
        at
    }

    /// The closing clause, the rule key, then why it failed.
    fn push_ending(&self, text: &mut String) {
        if let Some(t) = &self.tail {
            text.push_str(t);
        }
        if let Some(k) = &self.key {
            text.push_str(" (rule key \"");
            text.push_str(k);
            text.push_str("\")");
        }
        if self.verdict.outcome != Some(Outcome::Failure) {
            return;
        }
        match &self.verdict.reason {
            Some(r) => {
                text.push_str(": ");
                text.push_str(r);
            }
            None if self.say_failure => text.push_str(" — it failed"),
            None => {}
        }
    }

    /// About how long the sentence will be, so its text is allocated once.
    fn text_len(&self, how: &Option<Rc<str>>, node: Option<&[u8]>) -> usize {
        let shared = [&self.subject, how];
        let owned = [&self.object, &self.tail, &self.key];
        let given: usize = shared
            .iter()
            .filter_map(|p| p.as_ref())
            .map(|p| p.len())
            .sum::<usize>()
            + owned
                .iter()
                .filter_map(|p| p.as_ref())
                .map(String::len)
                .sum::<usize>();
        let details = self.details.len();
        let reason = self.verdict.reason.as_ref().map_or(0, |r| r.len());
        let node = node.map_or(0, <[u8]>::len);
        given + details + reason + node + self.verb.base.len() + self.verb.past.len() + 48
    }

    /// `/usr/bin/cat ("cat /etc/shadow")`, or just the program. Takes the
    /// program and command line: nothing reads them after this.
    fn how_text(&mut self) -> Option<Rc<str>> {
        match (self.how.take(), self.command.take()) {
            (Some(h), Some(c)) if *c != *h => Some(program_and_command(h, c)),
            (Some(h), _) => Some(h),
            (None, Some(c)) => Some(shared(&["\"", &c, "\""])),
            (None, None) => None,
        }
    }
}

/// The last program, command line and the two joined, per thread.
type LastHow = Option<(Rc<str>, Rc<str>, Rc<str>)>;

thread_local! {
    /// A program runs many times with the same command line, and both come
    /// shared from memos of their own: the same pair joins to the same text.
    static LAST_HOW: std::cell::RefCell<LastHow> = const { std::cell::RefCell::new(None) };
}

thread_local! {
    /// The detail buffer of the last finished sentence, emptied, so the
    /// next sentence with details does not allocate one of its own.
    static SPARE_DETAILS: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    /// The object of the last finished sentence, for `Sentence::object_buf`.
    static SPARE_OBJECT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Keeps a finished sentence's buffer in `spare` for the next one, unless
/// it grew past `SCRATCH_KEPT`.
fn give_back(spare: &'static std::thread::LocalKey<std::cell::RefCell<String>>, mut buf: String) {
    if buf.capacity() > 0 && buf.capacity() <= SCRATCH_KEPT {
        buf.clear();
        spare.with_borrow_mut(|spare| *spare = buf);
    }
}

/// `/usr/sbin/apache2 ("/usr/sbin/apache2 -k start")`. The memo holds the
/// very strings it was given, so the same allocations mean the same text.
fn program_and_command(how: Rc<str>, command: Rc<str>) -> Rc<str> {
    LAST_HOW.with_borrow_mut(|last| {
        if let Some((h, c, joined)) = last.as_ref()
            && Rc::ptr_eq(h, &how)
            && Rc::ptr_eq(c, &command)
        {
            return joined.clone();
        }
        let joined = shared(&[&how, " (\"", &command, "\")"]);
        *last = Some((how, command, joined.clone()));
        joined
    })
}

/// Puts the first letter of `text` from `start` on in upper case.
fn capitalize_from(text: &mut String, start: usize) {
    let Some(first) = text.get(start..).and_then(|t| t.chars().next()) else {
        return;
    };
    if first.is_ascii() {
        // The usual case: one byte in place.
        if let Some(rest) = text.get_mut(start..) {
            rest[..1].make_ascii_uppercase();
        }
        return;
    }
    let rest = text.split_off(start + first.len_utf8());
    text.truncate(start);
    text.extend(first.to_uppercase());
    text.push_str(&rest);
}

#[cfg(test)]
mod tests {
    use super::{is_auxiliary_name, is_auxiliary_number, program_and_command};
    use std::rc::Rc;

    #[test]
    fn spaces_found_in_every_word_and_the_rest() {
        let plain = "/var/www/mail.example.com/themes/default/edit.png";
        assert!(!super::has_ascii_space(plain.as_bytes()));
        for at in 0..plain.len() {
            for space in [b' ', b'\t', b'\n', b'\r', 0x0b, 0x0c] {
                let mut b = plain.as_bytes().to_vec();
                b[at] = space;
                assert!(super::has_ascii_space(&b), "{at} {space}");
            }
            let mut b = plain.as_bytes().to_vec();
            b[at] = 0x1f;
            assert!(!super::has_ascii_space(&b));
        }
    }

    #[test]
    fn joined_program_follows_its_parts() {
        let (apache, other) = (Rc::from("/usr/sbin/apache2"), Rc::from("/usr/bin/x"));
        let cmd: Rc<str> = Rc::from("apache2 -k start");
        let first = program_and_command(Rc::clone(&apache), Rc::clone(&cmd));
        assert_eq!(&*first, "/usr/sbin/apache2 (\"apache2 -k start\")");
        // Same command line, another program: not the remembered text.
        let second = program_and_command(other, Rc::clone(&cmd));
        assert_eq!(&*second, "/usr/bin/x (\"apache2 -k start\")");
        let third = program_and_command(apache, cmd);
        assert_eq!(&*third, &*first);
    }

    /// Phrases added in parts read as the joined phrase would: spaced,
    /// except when empty or opening with a comma.
    #[test]
    fn detail_parts_read_like_joined_phrases() {
        let cases: [&[&str]; 6] = [
            &["from ", "10.0.0.1"],
            &[", by ", "root"],
            &["", ", run by ", "x"],
            &["", ""],
            &[],
            &["(label ", "a b", ")"],
        ];
        let mut by_parts = super::Sentence::default();
        let mut joined = String::new();
        for parts in cases {
            by_parts.detail_parts(parts);
            let whole = super::concat(parts);
            if !whole.is_empty() && !whole.starts_with(',') {
                joined.push(' ');
            }
            joined.push_str(&whole);
            assert_eq!(&*super::shared(parts), whole);
        }
        assert_eq!(by_parts.details, joined);
        assert_eq!(joined, " from 10.0.0.1, by root, run by x (label a b)");
    }

    /// A sentence's details start empty even when its buffer is the one
    /// an earlier sentence gave back.
    #[test]
    fn reused_detail_buffers_start_empty() {
        for (i, word) in ["first", "second", "third"].into_iter().enumerate() {
            let mut s = super::Sentence {
                verb: super::Verb::fixed("ran"),
                ..super::Sentence::default()
            };
            s.detail(word);
            if i == 2 {
                s.detail_parts(&["(", word, ")"]);
            }
            let text = s.finish(None).text.clone();
            let want = match i {
                2 => "Ran third (third)".to_string(),
                _ => format!("Ran {word}"),
            };
            assert_eq!(text, want);
        }
    }

    /// `(text, object, subject, action, how, result, reason, flags)` of a
    /// summary, to compare two.
    fn parts(s: &super::Summary) -> String {
        format!(
            "{:?}",
            (
                &s.text,
                s.object(),
                &s.subject,
                &s.action,
                &s.how,
                s.result,
                &s.reason,
                &*s.flags
            )
        )
    }

    /// A summary filled again and again, for events of every kind in turn,
    /// reads as a fresh one each time: nothing of the last event is left.
    #[test]
    fn summaries_filled_again_read_as_fresh_ones() {
        use crate::event::Event;
        use crate::parse::first_record as rec;
        let events: Vec<Vec<&str>> = vec![
            vec![
                "type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=1 a2=0 a3=0 items=1 ppid=1 pid=2 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts1 ses=7 comm=\"cat\" exe=\"/usr/bin/cat\" key=\"shadow-read\"",
                "type=CWD msg=audit(1.0:1): cwd=\"/home/alice\"",
                "type=PATH msg=audit(1.0:1): item=0 name=\"my file\" inode=1 dev=fd:00 mode=0100000 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL",
                "type=PROCTITLE msg=audit(1.0:1): proctitle=636174002F6574632F736861646F77",
            ],
            vec![
                "node=web1 type=AVC msg=audit(1.0:2): avc:  denied  { read write } for  pid=7 comm=\"nginx\" path=\"/srv/x\" scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:user_home_t:s0 tclass=file permissive=0",
            ],
            vec![
                "type=USER_AVC msg=audit(1.0:3): pid=1 uid=81 auid=4294967295 ses=4294967295 subj=system_u:system_r:system_dbusd_t:s0-s0:c0.c1023 msg='avc:  denied  { send_msg } for msgtype=method_call interface=org.x.Y member=Z dest=org.x scontext=system_u:system_r:a_t:s0 tcontext=system_u:system_r:b_t:s0 tclass=dbus permissive=0  exe=\"/usr/bin/dbus-daemon\" sauid=81 hostname=? addr=? terminal=?'",
            ],
            vec![
                "type=DAEMON_START msg=audit(1.0:4): op=start ver=3.0 format=enriched kernel=5.14 auid=4294967295 pid=1 uid=0 ses=4294967295 res=success",
            ],
            vec![
                "type=SYSCALL msg=audit(1.0:5): arch=c000003e syscall=0 success=yes exit=1 a0=3 a1=1 a2=1 a3=0 items=0 ppid=1 pid=2 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts1 ses=7 comm=\"sudo\" exe=\"/usr/bin/sudo\" key=(null)",
            ],
            vec!["type=EOE msg=audit(1.0:6): "],
        ];
        let events: Vec<Event> = events
            .iter()
            .map(|lines| Event {
                records: lines.iter().map(|l| rec(l)).collect(),
            })
            .collect();
        let mut reused = super::Summary::default();
        for round in 0..3 {
            for (i, ev) in events
                .iter()
                .enumerate()
                .chain(events.iter().enumerate().rev())
            {
                let fresh = super::summarize(ev);
                super::summarize_into(&mut reused, ev);
                assert_eq!(parts(&reused), parts(&fresh), "round {round}, event {i}");
            }
        }
        let failed = super::summarize(&events[0]);
        assert_eq!(failed.object(), Some("\"/home/alice/my file\""));
        assert_eq!(failed.reason.as_deref(), Some("permission denied (EACCES)"));
        assert!(super::summarize(&events[1]).text.ends_with(" on web1"));
    }

    /// The first letter is put in upper case in place, whatever its length.
    #[test]
    fn capitalized_in_place() {
        for (text, start, want) in [
            ("x: was", 3, "x: Was"),
            ("", 0, ""),
            ("ab", 2, "ab"),
            ("éa", 0, "Éa"),
            ("ßa", 0, "SSa"),
            ("Z", 0, "Z"),
        ] {
            let mut s = text.to_string();
            super::capitalize_from(&mut s, start);
            assert_eq!(s, want);
        }
    }

    /// Flags keep their order and at most five are kept.
    #[test]
    fn flag_lists_hold_five_in_order() {
        let mut flags = super::FlagList::default();
        assert!(flags.is_empty());
        let names = [
            "ANOM",
            "RESP",
            "INTEGRITY",
            "ROOT_TRANSITION",
            "MAC_DENIAL",
            "X",
        ];
        for n in names {
            flags.push(n);
        }
        assert_eq!(&*flags, &names[..5]);
        let seen: Vec<&str> = (&flags).into_iter().copied().collect();
        assert_eq!(seen, names[..5]);
    }

    /// The numbers `is_auxiliary` reads are those of the names it lists.
    #[test]
    fn auxiliary_numbers_match_names() {
        for t in crate::types::RECORD_TYPES {
            let by_number = is_auxiliary_number(t.number);
            assert_eq!(by_number, is_auxiliary_name(t.name), "{}", t.name);
        }
    }
}
