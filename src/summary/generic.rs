//! The sentence for every type without a builder of its own: the first
//! sentence of the type's explanation, then who and which program, the fields
//! that name what it was about, and the result. Unknown types are named by
//! their number; no event is ever summarized as "unknown".

use crate::summary::values;
use crate::summary::{Ctx, Sentence, Verb, quoted};

/// Fields that say what a record is about, and how to introduce them.
const NOTABLE: &[(&str, &str)] = &[
    ("op", "operation"),
    ("acct", "account"),
    ("grp", "group"),
    ("unit", "unit"),
    ("name", "name"),
    ("path", "path"),
    ("dev", "device"),
    ("vm", "virtual machine"),
    ("resrc", "resource"),
    ("cmd", "command"),
];

/// The first sentence of an explanation, without its full stop.
fn first_sentence(text: &str) -> &str {
    let ends = text.match_indices(". ").map(|(i, _)| i).find(|&i| {
        let before = &text[..i];
        let abbreviation = ["e.g", "i.e", "vs", "etc"]
            .iter()
            .any(|a| before.ends_with(a));
        let next_is_capital = text[i + 2..].starts_with(|c: char| c.is_uppercase());
        !abbreviation && next_is_capital
    });
    text[..ends.unwrap_or(text.len())].trim_end_matches('.')
}

/// The generic sentence.
pub fn sentence(ctx: &Ctx) -> Sentence {
    let rec = ctx.main;
    let lead = match rec.info {
        Some(info) => first_sentence(info.explanation).to_string(),
        None => format!(
            "An audit record of type {}, which is not in the type table, was logged",
            crate::sanitize::escaped(rec.type_name().as_bytes())
        ),
    };
    let mut s = ctx.user_sentence(Verb::fixed(lead));
    let who = s.subject.take();
    let notes: Vec<String> = NOTABLE
        .iter()
        .filter_map(|(field, label)| {
            values::text(rec, field)
                .map(|v| format!("{label} {}", quoted(&values::shorten(&v, 80))))
        })
        .take(3)
        .collect();
    if !notes.is_empty() {
        s.detail(format!("({})", notes.join(", ")));
    }
    if let Some(w) = who {
        s.detail_parts(&[", by ", &w]);
    }
    s.say_failure = true;
    s
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn first_sentence_stops_at_the_first_full_stop() {
        assert_eq!(
            first_sentence("A thing happened. More."),
            "A thing happened"
        );
        assert_eq!(first_sentence("One only."), "One only");
        assert_eq!(first_sentence("e.g. this. Then"), "e.g. this");
    }
}
