//! Reading the values officers' files hold: money in pounds with or without a sign, whole
//! numbers with thousands separators, and dates in the UK's order or ISO's.

use chrono::NaiveDate;

/// `£1,234.50`, `1234.5`, `12` → pence, exactly (no floating point). Negative amounts (a
/// credit on a bill) are refused: the report adds charges.
pub(crate) fn pence(text: &str) -> Result<u64, String> {
    let t = text.trim().trim_start_matches('£').replace(',', "");
    let (pounds, fraction) = t.split_once('.').unwrap_or((&t, ""));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(pounds) || !(fraction.is_empty() || (digits(fraction) && fraction.len() <= 2)) {
        return Err(format!("“{}” is not an amount of money (e.g. £12.50)", text.trim()));
    }
    let pounds: u64 = pounds.parse().map_err(|_| format!("“{}” is too large an amount", text.trim()))?;
    let pence: u64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    pounds
        .checked_mul(100)
        .and_then(|p| p.checked_add(pence))
        .ok_or_else(|| format!("“{}” is too large an amount", text.trim()))
}

/// A whole number, `1,234` allowed.
pub(crate) fn whole(text: &str) -> Result<u64, String> {
    let t = text.trim().replace(',', "");
    t.parse().map_err(|_| format!("“{}” is not a whole number", text.trim()))
}

/// A number that may have a fraction (`512.5` MB).
pub(crate) fn decimal(text: &str) -> Result<f64, String> {
    let t = text.trim().replace(',', "");
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("“{}” is not a number", text.trim())),
    }
}

/// `2026-10-31`, `31/10/2026` (the UK's order, never the US's), or `31/10/26`.
pub(crate) fn date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        // `31/10/26` would otherwise be the year 26.
        .filter(|d| d.year() >= 1900)
        .or_else(|| NaiveDate::parse_from_str(t, "%d/%m/%y").ok())
        .ok_or_else(|| format!("“{t}” is not a date (write 31/10/2026 or 2026-10-31)"))
}

/// A month by `format` (a chrono format; a format without a day is given the 1st).
pub(crate) fn month(text: &str, format: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    let parsed = NaiveDate::parse_from_str(t, format)
        .or_else(|_| NaiveDate::parse_from_str(&format!("01 {t}"), &format!("%d {format}")));
    parsed
        .map(|d| d.with_day0(0).unwrap_or(d))
        .map_err(|_| format!("“{t}” is not a month in the form the mapping gives ({format})"))
}

use chrono::Datelike as _;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_read_to_the_penny_with_or_without_the_pound_sign_and_commas() {
        assert_eq!(pence("£1,234.50"), Ok(123_450));
        assert_eq!(pence("12"), Ok(1_200));
        assert_eq!(pence("0.5"), Ok(50));
        assert!(pence("-3.00").is_err());
        assert!(pence("12.345").is_err());
        assert!(pence("twelve").is_err());
        assert!(pence("").is_err());
    }

    #[test]
    fn dates_are_read_in_the_uks_order_never_the_uss() {
        assert_eq!(date("31/10/2026"), Ok(NaiveDate::from_ymd_opt(2026, 10, 31).expect("date")));
        assert_eq!(date("2026-10-31"), date("31/10/26"));
        assert!(date("10/31/2026").is_err(), "month 31 does not exist");
        assert!(date("31 Oct").is_err());
    }

    #[test]
    fn a_month_without_a_day_is_its_first_day() {
        let first = NaiveDate::from_ymd_opt(2026, 10, 1).expect("date");
        assert_eq!(month("10/2026", "%m/%Y"), Ok(first));
        assert_eq!(month("Oct 2026", "%b %Y"), Ok(first));
        assert_eq!(month("15/10/2026", "%d/%m/%Y"), Ok(first));
        assert!(month("2026-13", "%Y-%m").is_err());
    }
}
