//! Time expressions for `--start` and `--end`: absolute times in the common
//! forms (ISO 8601, RFC 3339, `MM/DD/YYYY`, a bare time, epoch seconds),
//! ausearch's words (now, recent, boot, today, yesterday, this-week, ...)
//! and relative spans (`-1h`, `2d`). Parsing takes "now" as an argument, so
//! it does no I/O and tests are exact.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Zoned};

/// The clock a time expression is read against.
pub struct Now {
    pub zoned: Zoned,
    /// Seconds since the epoch when the system booted, if known.
    pub boot: Option<i64>,
}

impl Now {
    /// The current time in the given zone, with the boot time from /proc/uptime.
    pub fn current(zone: TimeZone) -> Now {
        let zoned = Timestamp::now().to_zoned(zone);
        let uptime = std::fs::read_to_string("/proc/uptime")
            .ok()
            .and_then(|s| s.split('.').next()?.trim().parse::<i64>().ok());
        let boot = uptime.map(|u| zoned.timestamp().as_second() - u);
        Now { zoned, boot }
    }
}

/// Seconds since the epoch for an expression, or what is wrong with it.
pub fn parse(expr: &str, now: &Now) -> Result<i64, String> {
    let e = expr.trim();
    if let Some(t) = word(e, now)? {
        return Ok(t);
    }
    if let Some(secs) = relative(e) {
        return Ok(now.zoned.timestamp().as_second() - secs);
    }
    if let Some(epoch) = e.strip_prefix('@').or_else(|| (e.len() >= 9).then_some(e)) {
        if let Ok(n) = epoch.parse::<i64>() {
            return Ok(n);
        }
    }
    if let Ok(ts) = e.parse::<Timestamp>() {
        return Ok(ts.as_second());
    }
    let tz = now.zoned.time_zone().clone();
    let local = |dt: DateTime| -> Result<i64, String> {
        dt.to_zoned(tz.clone())
            .map(|z| z.timestamp().as_second())
            .map_err(|err| format!("`{e}`: {err}"))
    };
    if let Some(dt) = date_time(e, now.zoned.date()) {
        return local(dt);
    }
    Err(format!(
        "`{e}` is not a time: use a word (now, recent, boot, today, yesterday, this-hour, \
         this-week, week-ago, this-month, this-year), a span (-1h, 2d, 30m), a date \
         (2024-06-01, 06/01/2024) with an optional time (14:00:00), or epoch seconds (@1700000000)"
    ))
}

/// ausearch's words; Ok(None) when `e` is not one.
fn word(e: &str, now: &Now) -> Result<Option<i64>, String> {
    let z = &now.zoned;
    let today = z.date();
    let midnight = |d: Date| -> Result<i64, String> {
        d.to_zoned(z.time_zone().clone())
            .map(|z| z.timestamp().as_second())
            .map_err(|err| err.to_string())
    };
    let days_before = |n: i64| {
        today
            .checked_sub(Span::new().days(n))
            .map_err(|err| err.to_string())
    };
    let t = match e {
        "now" => z.timestamp().as_second(),
        "recent" => z.timestamp().as_second() - 600,
        "this-hour" => {
            z.timestamp().as_second() - i64::from(z.minute()) * 60 - i64::from(z.second())
        }
        "boot" => now
            .boot
            .ok_or("`boot`: the boot time is unknown here (no /proc/uptime)")?,
        "today" => midnight(today)?,
        "yesterday" => midnight(days_before(1)?)?,
        "this-week" => midnight(days_before(i64::from(
            today.weekday().to_sunday_zero_offset(),
        ))?)?,
        "week-ago" => midnight(days_before(7)?)?,
        "this-month" => midnight(today.first_of_month())?,
        "this-year" => midnight(today.first_of_year())?,
        _ => return Ok(None),
    };
    Ok(Some(t))
}

/// `-1h`, `1h`, `30m`, `2d`, `1w`, `90s`: a span back from now, in seconds.
fn relative(e: &str) -> Option<i64> {
    let body = e.strip_prefix('-').unwrap_or(e);
    let split = body.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = body.split_at(split);
    let n: i64 = digits.parse().ok()?;
    let scale = match unit {
        "s" | "sec" | "secs" => 1,
        "m" | "min" | "mins" => 60,
        "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 604_800,
        _ => return None,
    };
    n.checked_mul(scale)
}

/// A date, a time, or both, in the forms people type.
fn date_time(e: &str, today: Date) -> Option<DateTime> {
    let (d, t) = match e.split_once([' ', 'T']) {
        Some((d, t)) => (Some(d), Some(t)),
        None if e.contains(':') => (None, Some(e)),
        None => (Some(e), None),
    };
    let date = match d {
        Some(d) => parse_date(d)?,
        None => today,
    };
    let time = match t {
        Some(t) => parse_time(t)?,
        None => Time::midnight(),
    };
    Some(date.to_datetime(time))
}

/// `2024-06-01`, `06/01/2024`, `06/01/24`.
fn parse_date(d: &str) -> Option<Date> {
    let nums: Vec<i64> = d
        .split(['-', '/', '.'])
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, c] = nums[..] else {
        return None;
    };
    let (y, m, day) = if d.contains('-') {
        (a, b, c)
    } else if c < 100 {
        (2000 + c, a, b)
    } else {
        (c, a, b)
    };
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

/// `14:00`, `14:00:05`, `14:00:05.250`.
fn parse_time(t: &str) -> Option<Time> {
    let t = t.split('.').next()?;
    let parts: Vec<i8> = t
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match parts[..] {
        [h, m] => Time::new(h, m, 0, 0).ok(),
        [h, m, s] => Time::new(h, m, s, 0).ok(),
        _ => None,
    }
}

/// True for a word that looks like a time of day, so `-ts DATE TIME` can be
/// read as one value.
pub fn looks_like_time(s: &str) -> bool {
    parse_time(s).is_some() && s.contains(':')
}

#[cfg(test)]
mod tests {
    use super::{Now, parse};
    use jiff::Timestamp;
    use jiff::tz::TimeZone;

    /// Wednesday 2024-06-12 15:30:20 UTC, booted an hour earlier.
    fn now() -> Now {
        let zoned = "2024-06-12T15:30:20Z"
            .parse::<Timestamp>()
            .expect("valid")
            .to_zoned(TimeZone::UTC);
        let boot = Some(zoned.timestamp().as_second() - 3600);
        Now { zoned, boot }
    }

    fn at(s: &str) -> i64 {
        s.parse::<Timestamp>().expect("valid").as_second()
    }

    fn p(e: &str) -> i64 {
        parse(e, &now()).expect(e)
    }

    #[test]
    fn ausearch_words() {
        assert_eq!(p("now"), at("2024-06-12T15:30:20Z"));
        assert_eq!(p("recent"), at("2024-06-12T15:20:20Z"));
        assert_eq!(p("this-hour"), at("2024-06-12T15:00:00Z"));
        assert_eq!(p("boot"), at("2024-06-12T14:30:20Z"));
        assert_eq!(p("today"), at("2024-06-12T00:00:00Z"));
        assert_eq!(p("yesterday"), at("2024-06-11T00:00:00Z"));
        assert_eq!(p("this-week"), at("2024-06-09T00:00:00Z"), "Sunday");
        assert_eq!(p("week-ago"), at("2024-06-05T00:00:00Z"));
        assert_eq!(p("this-month"), at("2024-06-01T00:00:00Z"));
        assert_eq!(p("this-year"), at("2024-01-01T00:00:00Z"));
    }

    #[test]
    fn relative_spans() {
        assert_eq!(p("-1h"), at("2024-06-12T14:30:20Z"));
        assert_eq!(p("2d"), at("2024-06-10T15:30:20Z"));
        assert_eq!(p("30m"), at("2024-06-12T15:00:20Z"));
        assert_eq!(p("1w"), at("2024-06-05T15:30:20Z"));
    }

    #[test]
    fn absolute_forms() {
        assert_eq!(p("2024-06-01"), at("2024-06-01T00:00:00Z"));
        assert_eq!(p("2024-06-01 10:11"), at("2024-06-01T10:11:00Z"));
        assert_eq!(p("2024-06-01T10:11:12"), at("2024-06-01T10:11:12Z"));
        assert_eq!(p("2024-06-01T10:11:12+02:00"), at("2024-06-01T08:11:12Z"));
        assert_eq!(p("06/01/2024 10:11:12"), at("2024-06-01T10:11:12Z"));
        assert_eq!(p("06/01/24"), at("2024-06-01T00:00:00Z"));
        assert_eq!(p("09:00"), at("2024-06-12T09:00:00Z"));
        assert_eq!(p("@1700000000"), 1_700_000_000);
        assert_eq!(p("1700000000"), 1_700_000_000);
    }

    #[test]
    fn nonsense_is_an_error_that_explains() {
        let err = parse("tomorrow-ish", &now()).expect_err("not a time");
        assert!(err.contains("this-week"), "{err}");
        assert!(parse("13/45/2024", &now()).is_err());
    }
}
