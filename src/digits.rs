//! Numbers written as decimal text straight into a string or a byte buffer. `write!` goes
//! through the formatting machinery, which costs far more than the digits
//! themselves; serials, line numbers and uids are written for every record.

/// The decimal digits of `n`, at the end of a small buffer (from the index
/// returned), two at a time from a table.
pub(crate) fn layout(mut n: u64) -> ([u8; 20], usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        i -= 2;
        digits[i] = PAIRS[pair];
        digits[i + 1] = PAIRS[pair + 1];
    }
    if n >= 10 {
        let pair = n as usize * 2;
        i -= 2;
        digits[i] = PAIRS[pair];
        digits[i + 1] = PAIRS[pair + 1];
    } else {
        i -= 1;
        digits[i] = b'0' + n as u8;
    }
    (digits, i)
}

/// Appends `n` in decimal to text.
pub fn push_decimal(out: &mut String, n: u64) {
    let (digits, i) = layout(n);
    // Digits are ASCII: no UTF-8 check is needed to append them.
    crate::sanitize::push_ascii(out, digits.get(i..).unwrap_or_default());
}

/// Appends `n` in decimal to bytes.
pub fn push_u64(out: &mut Vec<u8>, n: u64) {
    let (digits, i) = layout(n);
    out.extend_from_slice(&digits[i..]);
}

/// `00` to `99`, two bytes each.
static PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::{push_decimal, push_u64};

    #[test]
    fn writes_every_width() {
        for n in [0, 7, 9, 10, 99, 100, 101, 999, 1000, 4294967295, u64::MAX] {
            let mut s = String::from("x");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("x{n}"));
            let mut v = b"x".to_vec();
            push_u64(&mut v, n);
            assert_eq!(v, format!("x{n}").into_bytes());
        }
    }
}
