//! The server's limits and how they are written on the command line: sizes (`64M`),
//! durations (`1d`), the archive limits of an upload, and the rule that a server reachable
//! from other machines needs a token.

use std::net::SocketAddr;
use std::time::Duration;

/// Limits of an uploaded zip archive: entries, bytes once inflated, and how much one entry
/// may inflate (a decompression bomb is refused before it fills the disk).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ZipLimits {
    /// Entries (files and folders).
    pub entries: usize,
    /// Bytes of all entries once inflated.
    pub total_bytes: u64,
    /// Largest inflated / compressed ratio of an entry larger than [`SMALL_ENTRY`].
    pub ratio: u64,
}

/// Entries below this inflated size are not held to the ratio (a 2 KB run of spaces
/// compresses 100-fold and is harmless).
pub(crate) const SMALL_ENTRY: u64 = 64 * 1024;

impl ZipLimits {
    /// The limits for an upload limit of `max_upload` bytes: 2,000 entries, 8 × the upload
    /// limit inflated (at least 64 MiB), a ratio of 100.
    pub fn for_upload(max_upload: u64) -> ZipLimits {
        ZipLimits {
            entries: 2000,
            total_bytes: (max_upload.saturating_mul(8)).max(64 << 20),
            ratio: 100,
        }
    }
}

/// A size such as `64M`, `1G`, `512K` or `1000` (bytes; K, M, G, T are powers of 1024,
/// an optional `B` or `iB` after them).
pub(crate) fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    let body = upper
        .strip_suffix("IB")
        .or_else(|| upper.strip_suffix('B'))
        .unwrap_or(&upper);
    let (digits, unit) = match body.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => body.split_at(i),
        None => (body, ""),
    };
    let shift = match unit.trim() {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(format!("`{s}` is not a size: write e.g. 512K, 64M or 2G")),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size: write e.g. 512K, 64M or 2G"))?;
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| format!("`{s}` is too large a size"))
}

/// A duration such as `1d`, `12h`, `30m`, `45s` or `90` (seconds); parts may be joined
/// (`1h30m`).
pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
    let bad = || format!("`{s}` is not a duration: write e.g. 1d, 12h, 30m, 45s or 1h30m");
    let t = s.trim();
    if t.is_empty() {
        return Err(bad());
    }
    if let Ok(n) = t.parse::<u64>() {
        return Ok(Duration::from_secs(n));
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            _ => return Err(bad()),
        };
        let n: u64 = number.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
        number.clear();
    }
    if !number.is_empty() {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

/// Refuses to listen beyond the loopback interface without a token, unless `public` says
/// so explicitly.
pub(crate) fn check_listen(addr: SocketAddr, token: bool, public: bool) -> Result<(), String> {
    if addr.ip().is_loopback() || token || public {
        return Ok(());
    }
    Err(format!(
        "refusing to listen on {addr} without --token: anyone who reaches it could build editions\n  hint: give --token TOKEN (clients send `Authorization: Bearer TOKEN`), or --public to serve without one"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_read_as_the_options_document_them() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("12X").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("99999999999T").is_err());
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5_400)));
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert!(parse_duration("1w").is_err());
        assert!(parse_duration("5h3").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn a_public_address_needs_a_token_or_public() {
        let public: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert!(check_listen(local, false, false).is_ok());
        assert!(check_listen("[::1]:80".parse().unwrap(), false, false).is_ok());
        let e = check_listen(public, false, false).unwrap_err();
        assert!(e.contains("--token") && e.contains("--public"), "{e}");
        assert!(check_listen(public, true, false).is_ok());
        assert!(check_listen(public, false, true).is_ok());
    }
}
