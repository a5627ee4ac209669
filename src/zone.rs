//! The system's local time zone, found once per run and cheaply.
//!
//! jiff's `TimeZone::try_system` first opens jiff's time zone database, and
//! opening it lists every file under /usr/share/zoneinfo to learn the zone
//! names: some three million instructions, more than reading a small log
//! costs. In the usual set-up (neither `TZ` nor `TZDIR` set, /etc/localtime a
//! link into the zoneinfo directory) this module reads the very file jiff
//! would read, under the same name, once it is sure that jiff's lookup could
//! not pick another one. Every other set-up is left to jiff.

use std::path::Path;
use std::sync::OnceLock;

use jiff::tz::TimeZone;

/// The first place jiff looks for its database (when `TZDIR` is not set).
const ZONEINFO: &str = "/usr/share/zoneinfo";
/// The link that names the system's zone.
const LOCALTIME: &str = "/etc/localtime";

/// The system's local zone (UTC when it cannot be found), worked out on the
/// first call and the same for the rest of the run.
pub fn system_zone() -> TimeZone {
    static ZONE: OnceLock<TimeZone> = OnceLock::new();
    ZONE.get_or_init(|| {
        linked_zone().unwrap_or_else(|| TimeZone::try_system().unwrap_or(TimeZone::UTC))
    })
    .clone()
}

/// The zone /etc/localtime links to, read as jiff reads it; None when the
/// set-up is not the usual one, or anything is in doubt.
fn linked_zone() -> Option<TimeZone> {
    if std::env::var_os("TZ").is_some() || std::env::var_os("TZDIR").is_some() {
        return None;
    }
    let target = std::fs::read_link(LOCALTIME).ok()?;
    zone_of_link(Path::new(ZONEINFO), target.to_str()?)
}

/// The zone a link target names, as jiff finds it in the database at `dir`:
/// the part after the last `zoneinfo/` is the zone's name.
fn zone_of_link(dir: &Path, target: &str) -> Option<TimeZone> {
    const MARK: &str = "zoneinfo/";
    let name = &target[target.rfind(MARK)? + MARK.len()..];
    zone_named(dir, name)
}

/// The zone called `name` in the zoneinfo directory `dir`, when jiff's
/// database there would give exactly it.
fn zone_named(dir: &Path, name: &str) -> Option<TimeZone> {
    // The file being listed also tells that jiff's database is this
    // directory (it takes the first directory holding any zone file).
    if !listed_alone(dir, name) {
        return None;
    }
    // Names jiff answers before looking at any file.
    if name.eq_ignore_ascii_case("utc") {
        return Some(TimeZone::UTC);
    }
    if name.eq_ignore_ascii_case("etc/unknown") {
        return Some(TimeZone::unknown());
    }
    let data = std::fs::read(dir.join(name)).ok()?;
    TimeZone::tzif(name, &data).ok()
}

/// True when jiff's listing of `dir` holds `name` as it is spelled, and no
/// other name equal to it but for ASCII case (jiff looks names up without
/// regard to case, so another spelling could be the one it picks).
///
/// jiff's listing walks into real directories only (not the top-level
/// `posix` and `right`), and takes every other entry, links included, as a
/// zone file; names are made of UTF-8 path parts joined by `/`.
fn listed_alone(dir: &Path, name: &str) -> bool {
    let parts: Vec<&str> = name.split('/').collect();
    let plain = |p: &&str| !p.is_empty() && *p != "." && *p != ".." && p.is_ascii();
    if !parts.iter().all(plain) || matches!(parts[0], "posix" | "right") {
        return false;
    }
    let mut at = dir.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if !sole_entry(&at, part, !last) {
            return false;
        }
        at.push(part);
    }
    true
}

/// True when the directory `dir` holds an entry spelled `part`, of the kind
/// asked for (a real directory, or anything but one), and no other entry
/// spelled like it but for ASCII case.
fn sole_entry(dir: &Path, part: &str, want_dir: bool) -> bool {
    let Ok(entries) = dir.read_dir() else {
        return false;
    };
    let mut found = false;
    for entry in entries {
        let Ok(entry) = entry else {
            return false;
        };
        let file_name = entry.file_name();
        let Some(entry_name) = file_name.to_str() else {
            // Not UTF-8, so not equal to an ASCII part in any case.
            continue;
        };
        if !entry_name.eq_ignore_ascii_case(part) {
            continue;
        }
        if entry_name != part {
            return false;
        }
        let Ok(kind) = entry.file_type() else {
            return false;
        };
        found = kind.is_dir() == want_dir;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    /// Offsets of a zone over a span of years, to compare zones by.
    fn offsets(zone: &TimeZone) -> Vec<i32> {
        (0..400)
            .map(|i| {
                let secs = -2_000_000_000 + i * 15_000_000;
                let ts = Timestamp::from_second(secs).expect("in range");
                zone.to_offset(ts).seconds()
            })
            .collect()
    }

    /// Zones read here are the zones jiff's database gives for the same names.
    #[test]
    fn zones_read_here_are_jiffs() {
        let dir = Path::new(ZONEINFO);
        if !dir.join("Europe/Berlin").exists() {
            return;
        }
        for name in ["Europe/Berlin", "America/New_York", "Etc/UTC", "UTC"] {
            let Some(ours) = zone_named(dir, name) else {
                continue;
            };
            let theirs = jiff::tz::db().get(name).expect("jiff knows the zone");
            assert_eq!(ours, theirs, "{name}");
            assert_eq!(offsets(&ours), offsets(&theirs), "{name}");
        }
        let link = "../usr/share/zoneinfo/Europe/Berlin";
        assert_eq!(zone_of_link(dir, link), zone_named(dir, "Europe/Berlin"));
        // Names jiff would find only without regard to case, or not at all,
        // are left to jiff.
        for name in [
            "europe/berlin",
            "Europe",
            "Europe/",
            "Europe//Berlin",
            "Europe/../Europe/Berlin",
            "./Europe/Berlin",
            "posix/Europe/Berlin",
            "right/Europe/Berlin",
            "",
            "No/Such_Zone",
        ] {
            assert!(zone_named(dir, name).is_none(), "{name:?}");
        }
        assert!(zone_of_link(dir, "/etc/Europe/Berlin").is_none());
    }

    /// Another spelling of a name in another case makes the name doubtful.
    #[test]
    fn names_spelled_twice_are_left_to_jiff() {
        let dir = std::env::temp_dir().join(format!("auexplain-zone-{}", std::process::id()));
        let zone = dir.join("Area");
        std::fs::create_dir_all(&zone).expect("temporary directory");
        std::fs::write(zone.join("City"), b"x").expect("temporary file");
        assert!(listed_alone(&dir, "Area/City"));
        assert!(!listed_alone(&dir, "Area"), "a directory is no zone file");
        assert!(!listed_alone(&dir, "Area/City/More"));
        std::fs::write(zone.join("CITY"), b"x").expect("temporary file");
        assert!(!listed_alone(&dir, "Area/City"));
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    /// With neither `TZ` nor `TZDIR` set, the zone found here is jiff's.
    #[test]
    fn the_linked_zone_is_the_system_zone() {
        if std::env::var_os("TZ").is_some() || std::env::var_os("TZDIR").is_some() {
            return;
        }
        if let Some(ours) = linked_zone() {
            let theirs = TimeZone::try_system().expect("jiff finds the zone too");
            assert_eq!(offsets(&ours), offsets(&theirs));
            assert_eq!(ours.iana_name(), theirs.iana_name());
        }
        assert_eq!(
            offsets(&system_zone()),
            offsets(&TimeZone::try_system().unwrap_or(TimeZone::UTC))
        );
    }
}
