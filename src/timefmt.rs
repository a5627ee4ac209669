//! Converting between audit header times and the calendar: RFC 3339 for JSON,
//! local or UTC wall-clock time for people, and the local dates `ausearch -i`
//! prints, read back.

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::record::AuditTime;

/// The wall-clock text of one second, kept because consecutive records
/// mostly share their second and the zone lookup is the costly part.
#[derive(Clone, Default)]
struct Memo {
    secs: Option<i64>,
    /// `2025-11-21 10:00:24` in the clock's zone, then (once `millis` is
    /// set) `.424 +01:00`: the whole text of the last time written, as the
    /// records of an event and its header share it.
    text: String,
    /// How much of `text` is the second's own: up to the `.`.
    civil_len: usize,
    /// The (clamped) milliseconds `text` ends with, when it holds them.
    millis: Option<u16>,
    /// ` +01:00`.
    offset: String,
}

/// The `ausearch -i` date text of one second, up to and with the `.`
/// before the milliseconds: `11/21/25 10:00:24.`.
#[derive(Clone, Default)]
struct Stamp {
    secs: Option<i64>,
    short_year: bool,
    text: String,
}

/// Which clock to show times in.
#[derive(Clone)]
pub struct Clock {
    zone: TimeZone,
    memo: std::cell::RefCell<Memo>,
    stamp: std::cell::RefCell<Stamp>,
}

impl Clock {
    /// UTC, or the system's local zone (from `TZ` or /etc/localtime).
    pub fn new(utc: bool) -> Clock {
        let zone = if utc {
            TimeZone::UTC
        } else {
            crate::zone::system_zone()
        };
        Clock {
            zone,
            memo: std::cell::RefCell::new(Memo::default()),
            stamp: std::cell::RefCell::new(Stamp::default()),
        }
    }

    /// The broken-down wall-clock time of `t` in this clock's zone.
    pub fn civil(&self, t: AuditTime) -> Option<DateTime> {
        let ts = Timestamp::from_second(t.secs).ok()?;
        Some(ts.to_zoned(self.zone.clone()).datetime())
    }

    /// Fills the memo for second `secs`; false when the time is out of range.
    fn remember(&self, memo: &mut Memo, secs: i64) -> bool {
        if memo.secs == Some(secs) {
            return true;
        }
        let Some(ts) = Timestamp::from_second(secs).ok() else {
            return false;
        };
        let z = ts.to_zoned(self.zone.clone());
        let d = z.datetime();
        let off = z.offset().seconds();
        let sign = if off < 0 { '-' } else { '+' };
        let off = off.unsigned_abs();
        memo.text.clear();
        memo.offset.clear();
        memo.millis = None;
        let _ = write!(
            memo.text,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minute(),
            d.second()
        );
        memo.civil_len = memo.text.len();
        let _ = write!(
            memo.offset,
            " {sign}{:02}:{:02}",
            off / 3600,
            off % 3600 / 60
        );
        memo.secs = Some(secs);
        true
    }

    /// `2025-11-21 10:00:24.424 +01:00`: a time for people.
    pub fn human(&self, t: AuditTime, out: &mut String) {
        let mut memo = self.memo.borrow_mut();
        let ms = t.millis.min(999);
        if memo.secs == Some(t.secs) && memo.millis == Some(ms) {
            out.push_str(&memo.text);
            return;
        }
        if !self.remember(&mut memo, t.secs) {
            let _ = write!(out, "{}.{:03}", t.secs, t.millis);
            return;
        }
        let Memo {
            text,
            civil_len,
            offset,
            ..
        } = &mut *memo;
        text.truncate(*civil_len);
        text.push('.');
        text.push(char::from(b'0' + (ms / 100) as u8));
        text.push(char::from(b'0' + (ms / 10 % 10) as u8));
        text.push(char::from(b'0' + (ms % 10) as u8));
        text.push_str(offset);
        memo.millis = Some(ms);
        out.push_str(&memo.text);
    }

    /// `11/21/2025 10:00:24.424`: the date form `ausearch -i` prints (its
    /// `%x %T`); with `short_year`, `11/21/25` as in the C locale. The text
    /// up to the seconds is kept for the next record of the same second.
    pub fn ausearch(&self, t: AuditTime, short_year: bool, out: &mut Vec<u8>) {
        let mut memo = self.stamp.borrow_mut();
        if memo.secs != Some(t.secs) || memo.short_year != short_year {
            memo.text.clear();
            memo.secs = None;
            let Some(d) = self.civil(t) else {
                let _ = std::io::Write::write_fmt(out, format_args!("{}.{:03}", t.secs, t.millis));
                return;
            };
            let text = &mut memo.text;
            let _ = write!(text, "{:02}/{:02}/", d.month(), d.day());
            if short_year {
                let _ = write!(text, "{:02}", i32::from(d.year()).rem_euclid(100));
            } else {
                let _ = write!(text, "{:04}", d.year());
            }
            let _ = write!(
                text,
                " {:02}:{:02}:{:02}.",
                d.hour(),
                d.minute(),
                d.second()
            );
            memo.secs = Some(t.secs);
            memo.short_year = short_year;
        }
        out.extend_from_slice(memo.text.as_bytes());
        push_millis(out, t.millis);
    }
}

/// Milliseconds as at least three digits (`{:03}`).
fn push_millis(out: &mut Vec<u8>, ms: u16) {
    if ms > 999 {
        let _ = std::io::Write::write_fmt(out, format_args!("{ms}"));
        return;
    }
    out.extend_from_slice(&[
        b'0' + (ms / 100) as u8,
        b'0' + (ms / 10 % 10) as u8,
        b'0' + (ms % 10) as u8,
    ]);
}

/// True when the C library would format dates for the C/POSIX locale: the
/// first of LC_ALL, LC_TIME and LANG that is set and not empty is `C` or
/// `POSIX` (or a `C.` variant), or none is set. `ausearch -i` then prints a
/// two-digit year.
pub fn c_locale_dates() -> bool {
    let var = ["LC_ALL", "LC_TIME", "LANG"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty());
    match var {
        None => true,
        Some(v) => {
            let v = v.to_string_lossy();
            v == "C" || v == "POSIX" || v.starts_with("C.")
        }
    }
}

/// RFC 3339 in UTC with milliseconds: `2025-11-21T09:00:24.424Z`.
pub fn rfc3339(t: AuditTime) -> Option<String> {
    let d = Timestamp::from_second(t.secs)
        .ok()?
        .to_zoned(TimeZone::UTC)
        .datetime();
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        d.year(),
        d.month(),
        d.day(),
        d.hour(),
        d.minute(),
        d.second(),
        t.millis
    ))
}

/// Year, month, day, hour, minute, second in UTC, by calendar arithmetic
/// (no time-zone lookup), for the hot JSON path.
pub fn utc_fields(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u32;
    // Civil-from-days over 400-year eras (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The last time `push_rfc3339` wrote, and its text: records of one event,
/// and the event, share the very same time, and events mostly share the second.
struct LastStamp {
    /// The second of `text`, when it holds one.
    secs: Option<i64>,
    /// The milliseconds in `text`.
    millis: u16,
    text: [u8; 24],
}

thread_local! {
    static RFC3339_LAST: std::cell::RefCell<LastStamp> = const {
        std::cell::RefCell::new(LastStamp { secs: None, millis: 0, text: [0; 24] })
    };
}

/// Appends `2025-11-21T09:00:24.424Z` (RFC 3339, UTC, milliseconds) as bytes.
pub fn push_rfc3339(out: &mut Vec<u8>, t: AuditTime) {
    RFC3339_LAST.with_borrow_mut(|last| {
        if last.secs == Some(t.secs) && last.millis == t.millis {
            out.extend_from_slice(&last.text);
            return;
        }
        if last.secs != Some(t.secs) {
            let Some(second) = second_text(t.secs) else {
                last.secs = None;
                let _ = std::io::Write::write_fmt(out, format_args!("{}", Rfc3339(t)));
                return;
            };
            last.text = second;
            last.secs = Some(t.secs);
        }
        let ms = t.millis.min(999);
        last.text[20] = b'0' + (ms / 100) as u8;
        last.text[21] = b'0' + (ms / 10 % 10) as u8;
        last.text[22] = b'0' + (ms % 10) as u8;
        last.millis = t.millis;
        out.extend_from_slice(&last.text);
    });
}

/// The text of second `secs` up to the milliseconds (left as zeros), or
/// `None` for a year outside 0 to 9999.
fn second_text(secs: i64) -> Option<[u8; 24]> {
    let (y, mo, d, h, mi, s) = utc_fields(secs);
    if !(0..=9999).contains(&y) {
        return None;
    }
    let y = y as u32;
    let two = |v: u32| [b'0' + (v / 10) as u8, b'0' + (v % 10) as u8];
    let [y0, y1] = two(y / 100);
    let [y2, y3] = two(y % 100);
    let [mo0, mo1] = two(mo);
    let [d0, d1] = two(d);
    let [h0, h1] = two(h);
    let [mi0, mi1] = two(mi);
    let [s0, s1] = two(s);
    Some([
        y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b'T', h0, h1, b':', mi0, mi1, b':', s0, s1,
        b'.', 0, 0, 0, b'Z',
    ])
}

/// A time written the long way, for years `second_text` does not take.
struct Rfc3339(AuditTime);

impl std::fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, mo, d, h, mi, s) = utc_fields(self.0.secs);
        let ms = self.0.millis;
        write!(f, "{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
    }
}

/// Seconds since the epoch of a wall-clock time in the local zone, if it exists.
pub fn local_to_epoch(
    year: u64,
    month: u64,
    day: u64,
    hour: u64,
    minute: u64,
    second: u64,
) -> Option<i64> {
    let dt = DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        0,
    )
    .ok()?;
    let zone = crate::zone::system_zone();
    Some(dt.to_zoned(zone).ok()?.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_utc_with_millis() {
        let t = AuditTime {
            secs: 1364481363,
            millis: 243,
        };
        assert_eq!(rfc3339(t).as_deref(), Some("2013-03-28T14:36:03.243Z"));
    }

    #[test]
    fn calendar_arithmetic_matches_jiff() {
        for secs in [
            0i64,
            951_782_400,
            1_364_481_363,
            4_353_566_765,
            -86_401,
            253_402_000_000,
        ] {
            // Each time twice: the second from the kept text.
            for millis in [7, 7, 999, 999, 0, 0] {
                let t = AuditTime { secs, millis };
                let mut v = Vec::new();
                push_rfc3339(&mut v, t);
                assert_eq!(String::from_utf8(v).ok(), rfc3339(t), "{secs}");
            }
        }
    }

    #[test]
    fn human_times_kept_whole_read_as_fresh_ones() {
        let fresh = |t: AuditTime| {
            let mut s = String::new();
            Clock::new(true).human(t, &mut s);
            s
        };
        let clock = Clock::new(true);
        let at = |secs, millis| AuditTime { secs, millis };
        // Repeats, a new millisecond in the same second, a clamped one,
        // a new second, and a time out of range, in turn on one clock.
        for t in [
            at(1_364_481_363, 5),
            at(1_364_481_363, 5),
            at(1_364_481_363, 999),
            at(1_364_481_363, 1234),
            at(1_364_481_363, 999),
            at(1_364_481_364, 999),
            at(i64::MAX, 7),
            at(i64::MAX, 7),
            at(1_364_481_364, 999),
            at(-62_000_000_000, 10),
        ] {
            let mut s = String::from("x");
            clock.human(t, &mut s);
            assert_eq!(s, format!("x{}", fresh(t)), "{t:?}");
        }
        assert_eq!(
            fresh(at(1_364_481_363, 1234)),
            "2013-03-28 14:36:03.999 +00:00"
        );
    }

    #[test]
    fn ausearch_form_in_utc() {
        let mut s = Vec::new();
        let t = AuditTime {
            secs: 1364481363,
            millis: 5,
        };
        let clock = Clock::new(true);
        clock.ausearch(t, false, &mut s);
        assert_eq!(s, b"03/28/2013 14:36:03.005");
        s.clear();
        clock.ausearch(t, true, &mut s);
        assert_eq!(s, b"03/28/13 14:36:03.005");
        s.clear();
        let later = AuditTime { millis: 1234, ..t };
        clock.ausearch(later, true, &mut s);
        assert_eq!(s, b"03/28/13 14:36:03.1234");
        s.clear();
        let next = AuditTime {
            secs: t.secs + 1,
            millis: 99,
        };
        clock.ausearch(next, true, &mut s);
        assert_eq!(s, b"03/28/13 14:36:04.099");
    }
}
