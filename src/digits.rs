//! Numbers written as decimal text straight into a string. `write!` goes
//! through the formatting machinery, which costs far more than the digits
//! themselves; serials, line numbers and uids are written for every record.

/// Appends `n` in decimal.
pub fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::push_decimal;

    #[test]
    fn writes_every_width() {
        for n in [0, 7, 10, 4294967295, u64::MAX] {
            let mut s = String::from("x");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
    }
}
