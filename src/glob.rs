//! A tiny case-insensitive glob matcher (`*` and `?`) for type and field patterns
//! given on the command line, such as `ANOM_*` or `a?_len`.

/// True when `text` matches `pattern`, ignoring ASCII case.
pub fn matches(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi].eq_ignore_ascii_case(&t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// True when the pattern holds a glob character.
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn globs() {
        assert!(matches("ANOM_*", "ANOM_ABEND"));
        assert!(matches("anom_*", "ANOM_ABEND"));
        assert!(!matches("ANOM_*", "RESP_ALERT"));
        assert!(matches("*_AUTH", "USER_AUTH"));
        assert!(matches("USER_????", "USER_AUTH"));
        assert!(!matches("USER_???", "USER_AUTH"));
        assert!(matches("*", ""));
        assert!(matches("a*b*c", "axxbyyc"));
        assert!(!matches("a*b*c", "axxbyy"));
    }
}
