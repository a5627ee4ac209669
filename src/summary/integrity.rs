//! Sentences for IMA and EVM integrity records: files measured, appraised or
//! found altered, and protected attributes changed.

use crate::summary::values;
use crate::summary::{Ctx, Sentence, Verb, quoted};

/// What IMA or EVM did, by record type and result.
fn what(type_name: &str, failed: bool) -> Option<&'static str> {
    Some(match (type_name, failed) {
        ("INTEGRITY_DATA", true) => "IMA found unexpected contents in",
        ("INTEGRITY_DATA", false) => "IMA checked the contents of",
        ("INTEGRITY_METADATA", true) => "EVM found unexpected attributes on",
        ("INTEGRITY_METADATA", false) => "EVM checked the attributes of",
        ("INTEGRITY_HASH", _) => "IMA recorded the hash of",
        ("INTEGRITY_RULE", _) => "IMA measured",
        ("INTEGRITY_PCR", _) => "IMA extended a TPM register with the measurement of",
        ("INTEGRITY_EVM_XATTR", _) => "An EVM-protected attribute changed on",
        _ => return None,
    })
}

/// An INTEGRITY_* record; None for a type without words here.
pub fn sentence(ctx: &Ctx) -> Option<Sentence> {
    let rec = ctx.main;
    let text = what(rec.type_name(), ctx.failed())?;
    let mut s = ctx.user_sentence(Verb::fixed(text));
    let program = values::text(rec, "comm").or_else(|| s.how.take().map(|h| h.to_string()));
    s.how = None;
    s.subject = None;
    s.object = Some(
        values::text(rec, "name")
            .or_else(|| values::text(rec, "path"))
            .map(|n| quoted(&n))
            .unwrap_or_else(|| "a file".to_string()),
    );
    let notes: Vec<String> = [("cause", "cause"), ("op", "operation")]
        .iter()
        .filter_map(|(f, label)| values::text(rec, f).map(|v| format!("{label} {v}")))
        .collect();
    if !notes.is_empty() {
        s.detail(format!("({})", notes.join(", ")));
    }
    match (program, ctx.who.subject()) {
        (Some(p), Some(w)) => s.detail(format!("when {} run by {w} used it", quoted(&p))),
        (Some(p), None) => s.detail(format!("when {} used it", quoted(&p))),
        _ => {}
    }
    Some(s)
}
