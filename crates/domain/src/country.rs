//! ISO 3166-1 alpha-2 country codes.

use std::fmt;
use std::str::FromStr;

/// A validated ISO 3166-1 alpha-2 code, upper case (`TH`, `JP`, `US`...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode([u8; 2]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an ISO 3166-1 alpha-2 country code: {0:?}")]
pub struct CountryError(pub String);

impl CountryCode {
    /// Parses `th`, `TH` or ` Th ` alike; rejects anything that is not an assigned code.
    pub fn parse(s: &str) -> Result<Self, CountryError> {
        let t = s.trim();
        let b = t.as_bytes();
        if b.len() != 2 || !b.iter().all(u8::is_ascii_alphabetic) {
            return Err(CountryError(s.to_owned()));
        }
        let up = [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()];
        let code = std::str::from_utf8(&up).map_err(|_| CountryError(s.to_owned()))?;
        isocountry::CountryCode::for_alpha2(code).map_err(|_| CountryError(s.to_owned()))?;
        Ok(Self(up))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored (checked in `parse`).
        std::str::from_utf8(&self.0).unwrap_or("ZZ")
    }

    /// English short name of the country, for display.
    pub fn name(&self) -> &'static str {
        isocountry::CountryCode::for_alpha2(self.as_str())
            .map(|c| c.name())
            .unwrap_or("unknown")
    }
}

impl FromStr for CountryCode {
    type Err = CountryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively_and_rejects_unassigned() {
        assert_eq!(
            CountryCode::parse("th").map(|c| c.to_string()),
            Ok("TH".into())
        );
        assert_eq!(
            CountryCode::parse(" Jp ").map(|c| c.to_string()),
            Ok("JP".into())
        );
        assert!(CountryCode::parse("XX").is_err());
        assert!(CountryCode::parse("THA").is_err());
        assert!(CountryCode::parse("").is_err());
        assert!(CountryCode::parse("ไท").is_err());
    }
}
