//! The countries of the world: the four with member agencies (TH, US, JP, IN) and those whose
//! numbers, nationals or compounds appear in the data.

use warroom_domain::CountryCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cc {
    Th,
    Us,
    Jp,
    In,
    Cn,
    Mm,
    Kh,
    La,
    Ph,
    Id,
    Ke,
    Lk,
}

impl Cc {
    pub fn code(self) -> &'static str {
        match self {
            Cc::Th => "TH",
            Cc::Us => "US",
            Cc::Jp => "JP",
            Cc::In => "IN",
            Cc::Cn => "CN",
            Cc::Mm => "MM",
            Cc::Kh => "KH",
            Cc::La => "LA",
            Cc::Ph => "PH",
            Cc::Id => "ID",
            Cc::Ke => "KE",
            Cc::Lk => "LK",
        }
    }

    /// The domain's country code (every variant is an assigned ISO code).
    pub fn country_code(self) -> Option<CountryCode> {
        CountryCode::parse(self.code()).ok()
    }

    /// The language victims and officers of a member country write in.
    pub fn language(self) -> &'static str {
        match self {
            Cc::Th => "th",
            Cc::Jp => "ja",
            Cc::In => "hi",
            _ => "en",
        }
    }

    /// ISO 4217 currency.
    pub fn currency(self) -> &'static str {
        match self {
            Cc::Th => "THB",
            Cc::Jp => "JPY",
            Cc::In => "INR",
            Cc::Cn => "CNY",
            Cc::Mm => "MMK",
            Cc::Kh => "KHR",
            Cc::La => "LAK",
            Cc::Ph => "PHP",
            Cc::Id => "IDR",
            Cc::Ke => "KES",
            Cc::Lk => "LKR",
            Cc::Us => "USD",
        }
    }

    /// Offset of local time from UTC in minutes (US: Eastern, no daylight saving modelled).
    pub fn offset_min(self) -> i32 {
        match self {
            Cc::Th | Cc::Kh | Cc::La => 420,
            Cc::Mm => 390,
            Cc::Jp => 540,
            Cc::In | Cc::Lk => 330,
            Cc::Cn | Cc::Ph => 480,
            Cc::Id => 420,
            Cc::Ke => 180,
            Cc::Us => -300,
        }
    }

    /// The people of the country, as a writer in `lang` names them (`ชาวไทย` takes `ไทย`,
    /// `日本向け` takes `日本`).
    pub fn people_in(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Cc::Th, "th") => "ไทย",
            (Cc::Us, "th") => "อเมริกัน",
            (Cc::Jp, "th") => "ญี่ปุ่น",
            (Cc::In, "th") => "อินเดีย",
            (Cc::Th, "ja") => "タイ",
            (Cc::Us, "ja") => "アメリカ",
            (Cc::Jp, "ja") => "日本",
            (Cc::In, "ja") => "インド",
            (Cc::Th, "hi") => "थाई",
            (Cc::Us, "hi") => "अमेरिकी",
            (Cc::Jp, "hi") => "जापानी",
            (Cc::In, "hi") => "भारतीय",
            _ => self.demonym(),
        }
    }

    /// Country calling code.
    pub fn calling_code(self) -> &'static str {
        match self {
            Cc::Th => "66",
            Cc::Us => "1",
            Cc::Jp => "81",
            Cc::In => "91",
            Cc::Cn => "86",
            Cc::Mm => "95",
            Cc::Kh => "855",
            Cc::La => "856",
            Cc::Ph => "63",
            Cc::Id => "62",
            Cc::Ke => "254",
            Cc::Lk => "94",
        }
    }

    /// English demonym, for narratives.
    pub fn demonym(self) -> &'static str {
        match self {
            Cc::Th => "Thai",
            Cc::Us => "American",
            Cc::Jp => "Japanese",
            Cc::In => "Indian",
            Cc::Cn => "Chinese",
            Cc::Mm => "Myanmar",
            Cc::Kh => "Cambodian",
            Cc::La => "Lao",
            Cc::Ph => "Filipino",
            Cc::Id => "Indonesian",
            Cc::Ke => "Kenyan",
            Cc::Lk => "Sri Lankan",
        }
    }

    #[cfg(test)]
    pub const ALL: [Cc; 12] = [
        Cc::Th,
        Cc::Us,
        Cc::Jp,
        Cc::In,
        Cc::Cn,
        Cc::Mm,
        Cc::Kh,
        Cc::La,
        Cc::Ph,
        Cc::Id,
        Cc::Ke,
        Cc::Lk,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_is_an_iso_code() {
        for c in Cc::ALL {
            assert!(c.country_code().is_some(), "{c:?}");
        }
    }
}
