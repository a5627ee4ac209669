//! The sentence for running a program (`execve`, `execveat`): the program
//! from the first PATH record (the script, for scripts) or `exe=`, and the
//! command line from EXECVE or PROCTITLE.

use crate::summary::{Ctx, Sentence, Verb, file, quoted, values};

/// `alice executed /usr/bin/ls ("ls -la /tmp")`.
pub fn sentence(ctx: &Ctx) -> Sentence {
    let mut s = ctx.sentence(Verb::new("executed", "execute"));
    let program = file::items(ctx.ev)
        .into_iter()
        .next()
        .map(|i| quoted(&crate::sanitize::escaped(&i.name)))
        .or_else(|| values::event_text(ctx.ev, "name").map(|n| quoted(&n)))
        .or_else(|| values::program(ctx.ev));
    s.object = Some(program.clone().unwrap_or_else(|| "a program".to_string()));
    if let Some(cmd) = s.command.take() {
        if program.as_deref() != Some(&*cmd) {
            s.detail_parts(&["(\"", &cmd, "\")"]);
        }
    }
    // The program is the object; `exe=` names the same file (or its interpreter).
    s.how = None;
    s
}
