//! The system's local time zone, found once per run and cheaply.
//!
//! jiff's `TimeZone::try_system` first opens jiff's time zone database, and
//! opening it lists every file under /usr/share/zoneinfo to learn the zone
//! names: some three million instructions, more than reading a small log
//! costs. Only the zone's offsets matter to us, never its name, and the C
//! library (and so ausearch) takes them from the file /etc/localtime when
//! `TZ` is not set. So do we; when `TZ` (in any form) or `TZDIR` is set,
//! jiff decides.

use std::sync::OnceLock;

use jiff::tz::TimeZone;

/// The file that holds the system's zone when `TZ` is not set.
const LOCALTIME: &str = "/etc/localtime";

/// The system's local zone (UTC when it cannot be found), worked out on the
/// first call and the same for the rest of the run.
pub fn system_zone() -> TimeZone {
    static ZONE: OnceLock<TimeZone> = OnceLock::new();
    ZONE.get_or_init(|| {
        localtime_zone().unwrap_or_else(|| TimeZone::try_system().unwrap_or(TimeZone::UTC))
    })
    .clone()
}

/// The zone in /etc/localtime; None when `TZ` or `TZDIR` is set (jiff then
/// decides) or the file cannot be read as a zone.
fn localtime_zone() -> Option<TimeZone> {
    if std::env::var_os("TZ").is_some() || std::env::var_os("TZDIR").is_some() {
        return None;
    }
    zone_in_file(LOCALTIME)
}

/// The zone described by the TZif file at `path`, named after the part of
/// its path (or of the link's target) after `zoneinfo/`, for debugging only.
fn zone_in_file(path: &str) -> Option<TimeZone> {
    let data = std::fs::read(path).ok()?;
    let target = std::fs::read_link(path).ok();
    let spelled = target.as_deref().and_then(|t| t.to_str()).unwrap_or(path);
    let name = spelled
        .rfind("zoneinfo/")
        .map_or(spelled, |at| &spelled[at + "zoneinfo/".len()..]);
    TimeZone::tzif(name, &data).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    /// Offsets of a zone over four centuries, to compare zones by.
    fn offsets(zone: &TimeZone) -> Vec<i32> {
        (0..400)
            .map(|i| {
                let secs = -5_000_000_000 + i * 30_000_000;
                let ts = Timestamp::from_second(secs).expect("in range");
                zone.to_offset(ts).seconds()
            })
            .collect()
    }

    /// A zone read from its file keeps every offset jiff's database gives.
    #[test]
    fn zones_read_from_files_are_jiffs() {
        let mut compared = 0;
        for name in ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"] {
            let path = format!("/usr/share/zoneinfo/{name}");
            let Some(ours) = zone_in_file(&path) else {
                continue;
            };
            let theirs = jiff::tz::db().get(name).expect("jiff knows the zone");
            assert_eq!(offsets(&ours), offsets(&theirs), "{name}");
            assert_eq!(ours.iana_name(), Some(name));
            compared += 1;
        }
        // Without tzdata installed there is nothing to compare with.
        if std::path::Path::new("/usr/share/zoneinfo/Europe/Berlin").exists() {
            assert_eq!(compared, 3);
        }
        assert!(zone_in_file("/no/such/zone").is_none());
        assert!(zone_in_file("Cargo.toml").is_none(), "not a TZif file");
    }

    /// Without `TZ`, the zone found here has the offsets jiff finds.
    #[test]
    fn the_system_zone_is_jiffs() {
        assert_eq!(
            offsets(&system_zone()),
            offsets(&TimeZone::try_system().unwrap_or(TimeZone::UTC))
        );
    }
}
