//! Dates as Vietnamese portals print them, turned into `YYYY-MM-DD`.
//!
//! Accepted: ISO 8601 (`2022-11-10`, `2022-11-10T08:30:00+07:00`: the date as written,
//! i.e. in the publisher's time zone), `10/11/2022`, `10-11-2022`, `10.11.2022` (day
//! first, as in Vietnamese), optionally with a weekday before (`Thứ năm, `, `Chủ nhật `,
//! `T5, `) and a time before or after (`08:30`, `08:30 (GMT+7)`, `| 08:30`), and
//! `ngày 10 tháng 11 năm 2022`.

use crate::validate::is_date;

/// The weekday names that may precede a date (lower case, NFC).
const WEEKDAYS: &[&str] = &[
    "thứ hai",
    "thứ ba",
    "thứ tư",
    "thứ năm",
    "thứ sáu",
    "thứ bảy",
    "chủ nhật",
    "thứ 2",
    "thứ 3",
    "thứ 4",
    "thứ 5",
    "thứ 6",
    "thứ 7",
    "cn",
    "t2",
    "t3",
    "t4",
    "t5",
    "t6",
    "t7",
];

/// Reads a date written anywhere in `s` in one of the accepted forms; `None` when there
/// is none or it is not a real calendar date.
pub fn find_date(s: &str) -> Option<String> {
    let s = s.trim();
    // ISO first: `2022-11-10…`.
    if let Some(iso) = s.get(..10)
        && is_date(iso)
    {
        return Some(iso.to_string());
    }
    let lower = s.to_lowercase();
    if let Some(d) = ngay_thang_nam(&lower) {
        return Some(d);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit()
            && (i == 0 || !chars[i - 1].is_ascii_digit())
            && let Some((date, _)) = day_month_year(&chars[i..])
        {
            return Some(date);
        }
        i += 1;
    }
    None
}

/// True when the whole of `s` is a date line: a date with at most a weekday, a time and
/// a time zone around it (`Thứ năm, 10/11/2022 08:30 (GMT+7)`), nothing else.
pub fn is_date_line(s: &str) -> bool {
    let Some(_) = find_date(s) else {
        return false;
    };
    let mut rest = s.trim().to_lowercase();
    for w in WEEKDAYS {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r.to_string();
            break;
        }
    }
    // What is left may only be digits, separators, "gmt", "ngày/tháng/năm/lúc/giờ".
    let mut words = rest.replace([',', '|', '(', ')', '-', '/', ':', '.', '+'], " ");
    for w in [
        "gmt",
        "ngày",
        "tháng",
        "năm",
        "lúc",
        "giờ",
        "cập nhật",
        "đăng",
    ] {
        words = words.replace(w, " ");
    }
    words
        .split_whitespace()
        .all(|w| w.chars().all(|c| c.is_ascii_digit()))
        && s.chars().count() <= 60
}

fn ngay_thang_nam(lower: &str) -> Option<String> {
    let at = lower.find("ngày ")?;
    let words: Vec<&str> = lower[at..].split_whitespace().collect();
    // ngày D tháng M năm Y
    if words.len() >= 6 && words[2] == "tháng" && words[4] == "năm" {
        let num = |w: &str| {
            w.trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse::<u32>()
                .ok()
        };
        let (d, m, y) = (num(words[1])?, num(words[3])?, num(words[5])?);
        let iso = format!("{y:04}-{m:02}-{d:02}");
        return is_date(&iso).then_some(iso);
    }
    None
}

/// `D/M/YYYY` (or `-`, `.`) at the start of `c`: the ISO date and the characters used.
fn day_month_year(c: &[char]) -> Option<(String, usize)> {
    let mut i = 0;
    let d = number(c, &mut i, 2)?;
    let sep = *c.get(i)?;
    if !matches!(sep, '/' | '-' | '.') {
        return None;
    }
    i += 1;
    let m = number(c, &mut i, 2)?;
    if c.get(i) != Some(&sep) {
        return None;
    }
    i += 1;
    let start_y = i;
    let y = number(c, &mut i, 4)?;
    if i - start_y != 4 {
        return None;
    }
    let iso = format!("{y:04}-{m:02}-{d:02}");
    is_date(&iso).then_some((iso, i))
}

/// The number of at most `max_len` digits at `c[*i..]`, which must not be followed by
/// another digit; advances `i` past it.
fn number(c: &[char], i: &mut usize, max_len: usize) -> Option<u32> {
    let start = *i;
    while *i < c.len() && c[*i].is_ascii_digit() && *i - start < max_len {
        *i += 1;
    }
    if *i == start || (*i < c.len() && c[*i].is_ascii_digit()) {
        return None;
    }
    c[start..*i].iter().collect::<String>().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_forms() {
        assert_eq!(find_date("10/11/2022").as_deref(), Some("2022-11-10"));
        assert_eq!(
            find_date("Thứ năm, 10/11/2022 08:30").as_deref(),
            Some("2022-11-10")
        );
        assert_eq!(
            find_date("Thứ Năm, 10/11/2022, 08:30 (GMT+7)").as_deref(),
            Some("2022-11-10")
        );
        assert_eq!(
            find_date("08:30 | 10-11-2022").as_deref(),
            Some("2022-11-10")
        );
        assert_eq!(find_date("1.2.2023").as_deref(), Some("2023-02-01"));
        assert_eq!(
            find_date("Bắc Kạn, ngày 10 tháng 11 năm 2022").as_deref(),
            Some("2022-11-10")
        );
        assert_eq!(
            find_date("2022-11-10T08:30:00+07:00").as_deref(),
            Some("2022-11-10")
        );
    }

    #[test]
    fn not_dates() {
        assert_eq!(find_date("31/02/2022"), None);
        assert_eq!(find_date("Sáng 10/11, Tỉnh ủy tổ chức"), None);
        assert_eq!(find_date("123/11/2022"), None);
        assert_eq!(find_date("10/11/20221"), None);
    }

    #[test]
    fn date_lines() {
        assert!(is_date_line("10/11/2022"));
        assert!(is_date_line("Thứ năm, 10/11/2022 08:30"));
        assert!(is_date_line("Cập nhật: 08:30 | 10/11/2022 (GMT+7)"));
        assert!(!is_date_line("Ngày 10/11/2022, Tỉnh ủy tổ chức hội thảo"));
    }
}
