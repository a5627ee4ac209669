//! Numbers written as decimal text straight into a string. `write!` goes
//! through the formatting machinery, which costs far more than the digits
//! themselves; serials, line numbers and uids are written for every record.

/// Appends `n` in decimal. The digits are laid out in a small buffer, two
/// at a time from a table, then copied in.
pub fn push_decimal(out: &mut String, mut n: u64) {
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
    out.reserve(digits.len() - i);
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
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
    use super::push_decimal;

    #[test]
    fn writes_every_width() {
        for n in [0, 7, 9, 10, 99, 100, 101, 999, 1000, 4294967295, u64::MAX] {
            let mut s = String::from("x");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
    }
}
