//! People and the ways agencies write them down: scripts (Thai, Japanese kanji and katakana,
//! Devanagari, Chinese, Latin), romanisation variants, typos, swapped name order, missing or
//! day-month-swapped birth dates, passports and Thai national ID numbers. Each [`Identity`] is
//! one real person of the ground truth; [`Identity::render`] is one agency's record of them.

use crate::clock::{Date, days_from_civil};
use crate::country::Cc;
use crate::names::*;
use crate::rng::{Permutation, WRng, between, chance, index, pick};
use serde::Serialize;
use warroom_wire::{NameJson, PersonJson};

/// What a person is in the world.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    /// A syndicate member: boss, manager, team lead, recruiter, money handler.
    Suspect,
    /// The holder of mule bank accounts.
    MuleHolder,
    /// Someone recruited with a fake job offer and trafficked to a compound.
    Recruit,
    /// An ordinary traveller (tourist, border trader): the negatives of trafficking analysis.
    Traveller,
    /// A scam victim named in a complaint and in their bank's trace.
    Victim,
}

/// One real person.
#[derive(Clone, Debug)]
pub(crate) struct Identity {
    pub pid: u64,
    pub role: PersonRole,
    pub syndicate: Option<usize>,
    pub nat: Cc,
    pub female: bool,
    given: usize,
    family: usize,
    /// Myanmar names: syllable indices (the first `mm_len`).
    mm: [usize; 3],
    mm_len: usize,
    pub birth: Date,
    /// Passport number (without country).
    pub passport: String,
    /// Thai national ID (13 digits), for Thai nationals.
    pub national_id: Option<String>,
    alias: Option<&'static str>,
}

/// Unique document numbers per country.
#[derive(Debug)]
pub(crate) struct DocumentNumbers {
    passports: Permutation,
    ids: Permutation,
    next: u64,
}

impl DocumentNumbers {
    pub(crate) fn new(rng: &mut WRng) -> Self {
        Self {
            passports: Permutation::new(rng, 10_000_000),
            ids: Permutation::new(rng, 100_000_000_000),
            next: 0,
        }
    }

    /// A passport number in the country's usual shape; the digits are unique in the world.
    fn passport(&mut self, nat: Cc, rng: &mut WRng) -> String {
        let k = self.next;
        self.next += 1;
        let d7 = format!("{:07}", self.passports.apply(k));
        let letter = |rng: &mut WRng| char::from(b'A' + (between(rng, 0, 25) as u8));
        match nat {
            Cc::Th => format!("A{}{d7}", letter(rng)),
            Cc::Jp => format!("T{}{d7}", letter(rng)),
            Cc::In | Cc::Id => format!("{}{d7}", letter(rng)),
            Cc::Us => format!("5{}{d7}", between(rng, 0, 9)),
            Cc::Cn => format!("E{}{d7}", between(rng, 0, 9)),
            Cc::Mm => format!("M{}{}", letter(rng), &d7[1..]),
            Cc::Kh => format!("N{d7}{}", between(rng, 0, 9)),
            Cc::La => format!("P{d7}"),
            Cc::Ph => format!("P{d7}{}", letter(rng)),
            Cc::Ke => format!("AK{d7}"),
            Cc::Lk => format!("N{d7}"),
        }
    }

    /// A Thai national ID: 12 digits and the mod-11 check digit.
    fn thai_id(&mut self, rng: &mut WRng) -> String {
        let body = format!(
            "{}{:011}",
            between(rng, 1, 8),
            self.ids.apply(self.next * 7 + 3)
        );
        format!("{body}{}", thai_id_check(&body))
    }
}

/// The check digit of the first 12 digits of a Thai national ID.
pub(crate) fn thai_id_check(body12: &str) -> u32 {
    let sum: u32 = body12
        .bytes()
        .take(12)
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * (13 - i as u32))
        .sum();
    (11 - sum % 11) % 10
}

/// Ages at the world's start, by role.
fn age_range(role: PersonRole) -> (u64, u64) {
    match role {
        PersonRole::Suspect => (24, 58),
        PersonRole::MuleHolder => (18, 62),
        PersonRole::Recruit => (19, 36),
        PersonRole::Traveller => (20, 70),
        PersonRole::Victim => (19, 84),
    }
}

impl Identity {
    pub(crate) fn new(
        pid: u64,
        role: PersonRole,
        syndicate: Option<usize>,
        nat: Cc,
        docs: &mut DocumentNumbers,
        rng: &mut WRng,
    ) -> Self {
        let female = match role {
            PersonRole::Suspect => chance(rng, 0.15),
            PersonRole::Recruit => chance(rng, 0.35),
            _ => chance(rng, 0.5),
        };
        let (lo, hi) = age_range(role);
        let age = between(rng, lo, hi) as i64;
        let born = days_from_civil(2026, 1, 1) - age * 365 - between(rng, 0, 364) as i64;
        let mm_len = if chance(rng, 0.6) { 3 } else { 2 };
        let passport = docs.passport(nat, rng);
        let national_id = (nat == Cc::Th).then(|| docs.thai_id(rng));
        let alias = (role == PersonRole::Suspect && chance(rng, 0.6)).then(|| *pick(rng, ALIASES));
        Self {
            pid,
            role,
            syndicate,
            nat,
            female,
            given: index(rng, 1000),
            family: index(rng, 1000),
            mm: [
                index(rng, MM_SYLLABLES.len()),
                index(rng, MM_SYLLABLES.len()),
                index(rng, MM_SYLLABLES.len()),
            ],
            mm_len,
            birth: Date::from_days(born),
            passport,
            national_id,
            alias,
        }
    }

    /// `P0000042`: the person's id in `truth.json`.
    pub(crate) fn truth_id(&self) -> String {
        format!("P{:07}", self.pid)
    }

    /// Latin given and family names, with romanisation variant `v` (0 is the passport's).
    /// Myanmar names come back whole as the given name.
    fn latin(&self, v: usize) -> (String, String) {
        fn at<T: Copy>(xs: &[T], i: usize) -> T {
            xs[i % xs.len()]
        }
        fn var(xs: &[&str], v: usize) -> String {
            xs[v % xs.len()].to_owned()
        }
        let f = self.female;
        match self.nat {
            Cc::Th => {
                let g = at(if f { TH_GIVEN_F } else { TH_GIVEN_M }, self.given);
                let s = at(TH_FAMILY, self.family);
                (var(g.1, v), var(s.1, v))
            }
            Cc::Jp => {
                let g = at(if f { JP_GIVEN_F } else { JP_GIVEN_M }, self.given);
                let s = at(JP_FAMILY, self.family);
                (var(g.3, v), var(s.3, v))
            }
            Cc::In => {
                let g = at(if f { IN_GIVEN_F } else { IN_GIVEN_M }, self.given);
                let s = at(IN_FAMILY, self.family);
                (var(g.1, v), var(s.1, v))
            }
            Cc::Cn => {
                let g = at(CN_GIVEN, self.given);
                let s = at(CN_FAMILY, self.family);
                (var(g.2, v), var(s.2, v))
            }
            Cc::Mm | Cc::Kh | Cc::La => {
                let parts: Vec<String> = self.mm[..self.mm_len]
                    .iter()
                    .map(|i| var(MM_SYLLABLES[*i].1, if v == 0 { 0 } else { v + i }))
                    .collect();
                (parts.join(" "), String::new())
            }
            nat => {
                let (gm, gf, fam) = latin_tables(nat);
                let g = at(if f { gf } else { gm }, self.given);
                let s = at(fam, self.family);
                (var(g.1, v), var(s.1, v))
            }
        }
    }

    /// The name as the passport has it: `Given Family` in Latin script.
    pub(crate) fn passport_name(&self) -> String {
        let (g, f) = self.latin(0);
        if f.is_empty() { g } else { format!("{g} {f}") }
    }

    /// The name in the person's own script, when it is not Latin: (text, ISO 15924 script).
    pub(crate) fn native_name(&self) -> Option<(String, &'static str)> {
        let f = self.female;
        Some(match self.nat {
            Cc::Th => {
                let g = (if f { TH_GIVEN_F } else { TH_GIVEN_M })[self.given % len_th(f)];
                let s = TH_FAMILY[self.family % TH_FAMILY.len()];
                (format!("{} {}", g.0, s.0), "Thai")
            }
            Cc::Jp => {
                let (g, s) = self.jp();
                (format!("{} {}", s.0, g.0), "Jpan")
            }
            Cc::In => {
                let g = (if f { IN_GIVEN_F } else { IN_GIVEN_M })[self.given
                    % if f {
                        IN_GIVEN_F.len()
                    } else {
                        IN_GIVEN_M.len()
                    }];
                let s = IN_FAMILY[self.family % IN_FAMILY.len()];
                (format!("{} {}", g.0, s.0), "Deva")
            }
            Cc::Cn => {
                let g = CN_GIVEN[self.given % CN_GIVEN.len()];
                let s = CN_FAMILY[self.family % CN_FAMILY.len()];
                (format!("{}{}", s.0, g.0), "Hans")
            }
            _ => return None,
        })
    }

    fn jp(&self) -> (Japanese, Japanese) {
        let gs = if self.female { JP_GIVEN_F } else { JP_GIVEN_M };
        (
            gs[self.given % gs.len()],
            JP_FAMILY[self.family % JP_FAMILY.len()],
        )
    }

    /// Document canonical forms (`CC:NUMBER`), as the normaliser writes them.
    pub(crate) fn document_keys(&self) -> Vec<String> {
        let mut out = vec![format!("{}:{}", self.nat.code(), self.passport)];
        if let Some(id) = &self.national_id {
            out.push(format!("TH:{id}"));
        }
        out
    }

    /// One agency's record of this person. `formal` records (immigration, banks) copy the
    /// passport or the bank's KYC file; the others are written from interviews and
    /// complaints.
    pub(crate) fn render(
        &self,
        reporter: Cc,
        formal: bool,
        reference: String,
        rng: &mut WRng,
    ) -> PersonJson {
        let mut names = Vec::new();
        let variant = if formal && chance(rng, 0.9) {
            0
        } else {
            index(rng, 4)
        };
        let (given, family) = self.latin(variant);
        let mut latin = latin_full(&given, &family, self.nat, formal, rng);
        if chance(rng, if formal { 0.02 } else { 0.07 }) {
            latin = typo(&latin, rng);
        }
        let native_first = match (self.nat, reporter) {
            (Cc::Th, Cc::Th) | (Cc::Jp, Cc::Jp) => !formal || chance(rng, 0.5),
            (Cc::In, Cc::In) => chance(rng, 0.45),
            (Cc::Cn, Cc::Jp) => true,
            (Cc::Cn, _) => chance(rng, 0.25),
            _ => false,
        };
        if native_first {
            names.push(self.native_record(reporter, &latin, rng));
            if self.nat == Cc::Jp && reporter == Cc::Jp && chance(rng, 0.5) {
                let (g, s) = self.jp();
                names.push(NameJson {
                    full: format!("{} {}", s.2, g.2),
                    script: Some("Kana".into()),
                    romanisations: vec![],
                });
            }
        } else {
            names.push(NameJson {
                full: latin,
                script: Some("Latn".into()),
                romanisations: vec![],
            });
        }
        let aliases = match self.alias {
            Some(a) if !formal && chance(rng, 0.7) => {
                let (g, f) = self.latin(0);
                let f = if f.is_empty() { g.clone() } else { f };
                let g1 = g.split(' ').next().unwrap_or(&g).to_owned();
                vec![a.replace("{G}", &g1).replace("{F}", &f)]
            }
            _ => vec![],
        };
        PersonJson {
            id: None,
            reference: Some(reference),
            names,
            aliases,
            birth_date: self.birth_record(formal, rng),
            nationalities: if formal || chance(rng, 0.85) {
                vec![self.nat.code().to_owned()]
            } else {
                vec![]
            },
            documents: self.document_record(reporter, formal, rng),
            sex: (formal || chance(rng, 0.8))
                .then(|| if self.female { "female" } else { "male" }.to_owned()),
        }
    }

    fn native_record(&self, reporter: Cc, latin: &str, rng: &mut WRng) -> NameJson {
        let romanisations = if chance(rng, 0.7) {
            vec![latin.to_owned()]
        } else {
            vec![]
        };
        match self.nat {
            Cc::Jp => {
                let (g, s) = self.jp();
                let fam = if chance(rng, 0.2) { s.1 } else { s.0 };
                let sep = if chance(rng, 0.5) { " " } else { "" };
                NameJson {
                    full: format!("{fam}{sep}{}", g.0),
                    script: Some("Jpan".into()),
                    romanisations,
                }
            }
            Cc::Cn if reporter == Cc::Jp => {
                let g = CN_GIVEN[self.given % CN_GIVEN.len()];
                let s = CN_FAMILY[self.family % CN_FAMILY.len()];
                NameJson {
                    full: format!("{} {}", s.1, g.1),
                    script: Some("Jpan".into()),
                    romanisations,
                }
            }
            _ => {
                let (full, script) = self
                    .native_name()
                    .unwrap_or_else(|| (latin.to_owned(), "Latn"));
                NameJson {
                    full,
                    script: Some(script.into()),
                    romanisations,
                }
            }
        }
    }

    fn birth_record(&self, formal: bool, rng: &mut WRng) -> Option<String> {
        let b = self.birth;
        let roll = between(rng, 0, 99);
        let (exact, swapped, year, month) = if formal {
            (90, 94, 96, 96)
        } else {
            (55, 65, 75, 80)
        };
        if roll < exact {
            Some(b.iso())
        } else if roll < swapped {
            // Day and month swapped, where the result is still a date.
            if b.d <= 12 && b.d != b.m {
                Some(format!("{:04}-{:02}-{:02}", b.y, b.d, b.m))
            } else {
                Some(b.iso())
            }
        } else if roll < year {
            Some(format!("{:04}", b.y))
        } else if roll < month {
            Some(format!("{:04}-{:02}", b.y, b.m))
        } else {
            None
        }
    }

    fn document_record(&self, reporter: Cc, formal: bool, rng: &mut WRng) -> Vec<String> {
        let mut out = Vec::new();
        let wants_passport = if formal {
            self.nat != Cc::Th || reporter != Cc::Th || chance(rng, 0.3)
        } else {
            chance(rng, 0.35)
        };
        if wants_passport {
            let cc = self.nat.code();
            let p = &self.passport;
            let local = reporter == self.nat;
            // `ID` before a number reads as a label, so Indonesian passports keep `ID:`.
            let styles = if self.nat == Cc::Id {
                0
            } else if local {
                4
            } else {
                2
            };
            out.push(match between(rng, 0, styles) {
                0 => format!("{cc}:{p}"),
                1 => format!("passport {cc} {p}"),
                2 => format!("{cc} {p}"),
                3 => p.clone(),
                _ => format!("Passport No.: {p}"),
            });
        }
        if let Some(id) = &self.national_id
            && (if formal {
                reporter == Cc::Th
            } else {
                chance(rng, 0.4)
            })
        {
            let dashed = format!(
                "{}-{}-{}-{}-{}",
                &id[0..1],
                &id[1..5],
                &id[5..10],
                &id[10..12],
                &id[12..13]
            );
            out.push(match (reporter == Cc::Th, between(rng, 0, 2)) {
                (true, 0) => id.clone(),
                (true, 1) => dashed,
                (true, _) => format!("Thai ID {dashed}"),
                (false, 0) => format!("TH:{id}"),
                (false, _) => format!("Thai ID {id}"),
            });
        }
        out
    }
}

fn len_th(female: bool) -> usize {
    if female {
        TH_GIVEN_F.len()
    } else {
        TH_GIVEN_M.len()
    }
}

fn latin_tables(nat: Cc) -> (&'static [Latin], &'static [Latin], &'static [Latin]) {
    match nat {
        Cc::Ph => (PH_GIVEN_M, PH_GIVEN_F, PH_FAMILY),
        Cc::Id => (ID_GIVEN_M, ID_GIVEN_F, ID_FAMILY),
        Cc::Ke => (KE_GIVEN_M, KE_GIVEN_F, KE_FAMILY),
        Cc::Lk => (LK_GIVEN_M, LK_GIVEN_F, LK_FAMILY),
        _ => (US_GIVEN_M, US_GIVEN_F, US_FAMILY),
    }
}

/// A Latin full name in one of the orders records use.
fn latin_full(given: &str, family: &str, nat: Cc, formal: bool, rng: &mut WRng) -> String {
    if family.is_empty() {
        return if formal {
            given.to_uppercase()
        } else {
            given.to_owned()
        };
    }
    let east = matches!(nat, Cc::Jp | Cc::Cn);
    let style = if formal {
        if chance(rng, 0.7) { 2 } else { 1 }
    } else {
        between(rng, 0, if east { 4 } else { 3 })
    };
    match style {
        0 => format!("{given} {family}"),
        1 => format!("{} {given}", family.to_uppercase()),
        2 => format!("{} {}", family.to_uppercase(), given.to_uppercase()),
        3 => format!("{family}, {given}"),
        _ => format!("{family} {given}"),
    }
}

/// One typing slip in a word of four letters or more: two letters swapped, one dropped or one
/// doubled, never the first letter.
pub(crate) fn typo(s: &str, rng: &mut WRng) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let candidates: Vec<usize> = (0..words.len())
        .filter(|i| words[*i].chars().count() >= 4)
        .collect();
    if candidates.is_empty() {
        return s.to_owned();
    }
    let w = *pick(rng, &candidates);
    let mut chars: Vec<char> = words[w].chars().collect();
    let pos = between(rng, 1, (chars.len() - 2) as u64) as usize;
    match between(rng, 0, 2) {
        0 => chars.swap(pos, pos + 1),
        1 => {
            chars.remove(pos);
        }
        _ => chars.insert(pos, chars[pos]),
    }
    let word: String = chars.into_iter().collect();
    words
        .iter()
        .enumerate()
        .map(|(i, x)| if i == w { word.as_str() } else { x })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The ground truth of one person (`truth.json`, `people`).
#[derive(Clone, Debug, Serialize)]
pub struct PersonTruth {
    /// `P` and seven digits; records in `reports[].persons` point here.
    pub id: String,
    pub role: PersonRole,
    /// The syndicate slug: for suspects, mule holders and recruits the one they belong to or
    /// were trafficked by; for victims the one that defrauded them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub syndicate: Option<String>,
    pub nationality: String,
    pub sex: &'static str,
    /// The true birth date, `YYYY-MM-DD`.
    pub birth_date: String,
    /// The passport name, Latin script, given name first.
    pub name: String,
    /// The name in the person's own script, where that is not Latin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub native_name: Option<String>,
    /// Canonical document identifiers (`JP:TK1234567`, `TH:1101700230708`).
    pub documents: Vec<String>,
}

impl Identity {
    pub(crate) fn truth(&self, syndicate_slug: Option<&str>) -> PersonTruth {
        PersonTruth {
            id: self.truth_id(),
            role: self.role,
            syndicate: syndicate_slug.map(str::to_owned),
            nationality: self.nat.code().to_owned(),
            sex: if self.female { "female" } else { "male" },
            birth_date: self.birth.iso(),
            name: self.passport_name(),
            native_name: self.native_name().map(|n| n.0),
            documents: self.document_keys(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_for;
    use warroom_domain::IdentifierKind;
    use warroom_normalize::{Context, normalize};

    #[test]
    fn thai_id_check_digit_matches_the_normaliser() {
        let ctx = Context::with_region(warroom_domain::CountryCode::parse("TH").expect("TH"));
        let mut rng = rng_for(3, 3);
        let mut docs = DocumentNumbers::new(&mut rng);
        for _ in 0..200 {
            let id = docs.thai_id(&mut rng);
            let n = normalize(IdentifierKind::Document, &id, &ctx).expect("thai id");
            assert!(n.valid, "{id}");
            assert_eq!(n.identifier.canonical(), format!("TH:{id}"));
        }
    }

    #[test]
    fn every_rendering_of_documents_normalises_to_the_truth() {
        let mut rng = rng_for(5, 5);
        let mut docs = DocumentNumbers::new(&mut rng);
        for (i, nat) in Cc::ALL.iter().cycle().take(600).enumerate() {
            let role = if i % 2 == 0 {
                PersonRole::Recruit
            } else {
                PersonRole::Suspect
            };
            let p = Identity::new(i as u64, role, None, *nat, &mut docs, &mut rng);
            let keys = p.document_keys();
            for reporter in [Cc::Th, Cc::Jp, Cc::In, Cc::Us] {
                let ctx = Context::with_region(reporter.country_code().expect("cc"));
                let r = p.render(reporter, i % 3 == 0, "p".into(), &mut rng);
                assert!(!r.names.is_empty() && !r.names[0].full.trim().is_empty());
                for d in &r.documents {
                    let n = normalize(IdentifierKind::Document, d, &ctx).expect(d);
                    assert!(
                        keys.contains(&n.identifier.canonical().to_owned()),
                        "{d} -> {} not in {keys:?}",
                        n.identifier.canonical()
                    );
                }
                if let Some(b) = &r.birth_date {
                    assert!(b.len() == 4 || b.len() == 7 || b.len() == 10, "{b}");
                }
            }
        }
    }

    #[test]
    fn typos_change_one_word_and_keep_the_first_letter() {
        let mut rng = rng_for(1, 2);
        for _ in 0..50 {
            let t = typo("Somchai Saengthong", &mut rng);
            assert_ne!(t, "Somchai Saengthong");
            assert!(t.starts_with('S'));
        }
    }
}
