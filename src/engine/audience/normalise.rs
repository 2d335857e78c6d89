//! Each ad platform's documented rules for turning a customer's details into the
//! text that is hashed, one small pure function per rule. Unicode NFC comes first
//! everywhere; a value that can't be normalised (an email without `@`, a phone that
//! isn't a phone) gives `None` and is never sent raw.
//!
//! Turkish letters, per platform:
//! - Google (names): lowercased with the letters kept as UTF-8 (`ş ğ ü ö ç ı` stay;
//!   `İ` and `I` become `i`, never `i` with a combining dot).
//! - Meta (first/last name, city): the same lowercasing; letters kept as UTF-8 (Meta's
//!   table: "special characters as UTF-8"), digits, punctuation and spaces removed.
//! - Emails lowercase the same way; phones keep digits only.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use phonenumber::{Mode, country};
use sha2::{Digest, Sha256};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Unicode NFC (`e` + combining accent becomes `é`); ASCII is returned as it is.
pub fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Lowercase as people mean it: `İ` and `I` are `i` (no combining dot left behind).
fn lower(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            'İ' | 'I' => out.push('i'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// `local@domain.tld` with nothing odd: one `@`, a non-empty local part, a domain
/// with a dot, no spaces.
fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
}

/// Google: trim, remove all whitespace, lowercase; for `gmail.com` and
/// `googlemail.com` only, remove every `.` and anything from `+` in the local part.
pub fn google_email(raw: &str) -> Option<String> {
    let text = nfc(raw);
    let mut email = lower(&text);
    if email.contains(char::is_whitespace) {
        email.retain(|c| !c.is_whitespace());
    }
    if !is_email(&email) {
        return None;
    }
    let (local, domain) = email.split_once('@')?;
    if domain == "gmail.com" || domain == "googlemail.com" {
        let local = local.split('+').next().unwrap_or(local).replace('.', "");
        if local.is_empty() {
            return None;
        }
        return Some(format!("{local}@{domain}"));
    }
    Some(email)
}

/// Domains of marketplaces' relay addresses: mail sent there reaches the buyer
/// through the marketplace, but no ad platform can match the address to a person
/// (Trendyol's `pf+…@trendyolmail.com`; Amazon's `…@marketplace.amazon.com.tr`).
const RELAY_DOMAINS: &[&str] = &["trendyolmail.com", "marketplace.amazon.com.tr", "marketplace.amazon.com"];

/// Whether an address is a marketplace's relay (never sent to an ad platform).
pub fn is_relay_email(raw: &str) -> bool {
    let email = lower(raw.trim());
    email.rsplit_once('@').is_some_and(|(_, domain)| {
        RELAY_DOMAINS.iter().any(|relay| domain == *relay || domain.ends_with(&format!(".{relay}")))
    })
}

/// Meta: trim and lowercase (no Gmail rule).
pub fn meta_email(raw: &str) -> Option<String> {
    let email = lower(nfc(raw).trim());
    is_email(&email).then_some(email)
}

/// Where national phone numbers (without a country code) are from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneRegion(pub country::Id);

impl Default for PhoneRegion {
    fn default() -> Self {
        PhoneRegion(country::Id::TR)
    }
}

impl PhoneRegion {
    /// From an ISO-3166 alpha-2 code (`TR`, `DE`); `None` when unknown.
    pub fn from_code(code: &str) -> Option<Self> {
        code.trim().to_ascii_uppercase().parse().ok().map(PhoneRegion)
    }
}

/// Validity of Turkish national numbers by their first six digits and length: every
/// pattern in the Turkish numbering metadata is such a prefix followed by any
/// digits, so one check with the phone-number library per prefix decides them all.
/// Clones share one table (workers on several cores fill it together).
#[derive(Default, Clone)]
pub struct PhoneCache {
    turkish: Arc<Mutex<HashMap<(u64, usize), bool>>>,
}

impl PhoneCache {
    fn known(&self, key: (u64, usize)) -> Option<bool> {
        self.turkish.lock().unwrap_or_else(PoisonError::into_inner).get(&key).copied()
    }

    fn learn(&self, key: (u64, usize), valid: bool) {
        self.turkish.lock().unwrap_or_else(PoisonError::into_inner).insert(key, valid);
    }
}

/// E.164 (`+905321234567`), reading national numbers (`0532 123 45 67`,
/// `532 123 45 67`, `0090 532…`) as from `region`. Parsed and validated with the
/// phone-number library; common Turkish shapes take a fast path that asks the
/// library once per number prefix (`cache`).
pub fn phone_e164(raw: &str, region: PhoneRegion, cache: &PhoneCache) -> Option<String> {
    if region.0 == country::Id::TR
        && let Some(national) = turkish_national(raw)
    {
        let key = (national[..6].parse::<u64>().ok()?, national.len());
        let valid = match cache.known(key) {
            Some(valid) => valid,
            None => {
                // Asked outside the lock, so the other workers go on meanwhile.
                let valid = library_e164(&format!("+90{national}"), region).is_some();
                cache.learn(key, valid);
                valid
            }
        };
        return valid.then(|| format!("+90{national}"));
    }
    library_e164(raw, region)
}

/// The phone with its separators (spaces, dashes, dots, brackets, slashes) removed:
/// the library misreads some spellings with them (`+90532-123-4567`).
fn compact(raw: &str) -> String {
    raw.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}')).collect()
}

fn library_e164(raw: &str, region: PhoneRegion) -> Option<String> {
    let number = phonenumber::parse(Some(region.0), compact(raw.trim())).ok()?;
    phonenumber::is_valid(&number).then(|| number.format().mode(Mode::E164).to_string())
}

/// The 10 national digits of a Turkish number written in a common shape (`+90…`,
/// `0090…`, `0…`, or 10 digits starting 2–5), else `None` (left to the library).
fn turkish_national(raw: &str) -> Option<String> {
    let t = raw.trim();
    let (plus, body) = match t.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let mut digits = String::with_capacity(16);
    for ch in body.chars() {
        match ch {
            '0'..='9' => digits.push(ch),
            ' ' | '-' | '(' | ')' | '.' | '/' => {}
            _ => return None,
        }
    }
    let national = if plus {
        digits.strip_prefix("90")?
    } else if let Some(rest) = digits.strip_prefix("0090") {
        rest
    } else if let Some(rest) = digits.strip_prefix('0') {
        rest
    } else {
        &digits
    };
    (national.len() == 10 && matches!(national.as_bytes()[0], b'2'..=b'5')).then(|| national.to_owned())
}

/// Meta: the phone's digits with the country code, no `+` and no leading zeros.
pub fn meta_phone(raw: &str, region: PhoneRegion, cache: &PhoneCache) -> Option<String> {
    phone_e164(raw, region, cache).map(|p| p.trim_start_matches('+').trim_start_matches('0').to_owned())
}

/// Google: trim, lowercase, remove whitespace inside.
pub fn google_name(raw: &str) -> Option<String> {
    let mut name = lower(&nfc(raw));
    name.retain(|c| !c.is_whitespace());
    (!name.is_empty()).then_some(name)
}

/// A name for an e-mail or SMS list: as written, composed (NFC), spaces trimmed
/// and runs of whitespace made one space.
pub fn clean_name(raw: &str) -> Option<String> {
    let name = nfc(raw).split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty()).then_some(name)
}

/// Meta (first/last name, city): lowercase letters only — no punctuation, spaces
/// or digits; letters beyond a–z are kept as UTF-8.
pub fn meta_letters(raw: &str) -> Option<String> {
    let mut text = lower(&nfc(raw));
    text.retain(char::is_alphabetic);
    (!text.is_empty()).then_some(text)
}

/// A two-letter code (country, state), lowercase for Meta.
pub fn meta_code(raw: &str) -> Option<String> {
    let code: String = raw.trim().chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase();
    (code.len() == 2).then_some(code)
}

/// A country code as Google wants it: ISO-3166 alpha-2, upper case, in clear.
pub fn google_country(raw: &str) -> Option<String> {
    let code = raw.trim().to_ascii_uppercase();
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())).then_some(code)
}

/// A postal code as Google wants it (in clear): trimmed; US codes cut to five digits.
pub fn google_zip(raw: &str, country: Option<&str>) -> Option<String> {
    let zip: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if zip.is_empty() {
        return None;
    }
    Some(if country == Some("US") { zip.chars().take(5).collect() } else { zip.to_uppercase() })
}

/// Meta: lowercase, no spaces; US codes cut to five digits.
pub fn meta_zip(raw: &str, country: Option<&str>) -> Option<String> {
    let zip: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    if zip.is_empty() {
        return None;
    }
    Some(if country.is_some_and(|c| c.eq_ignore_ascii_case("US")) { zip.chars().take(5).collect() } else { zip })
}

/// Meta: `m` or `f`, from Turkish and English words (Erkek/Kadın, E/K, male/female).
pub fn meta_gender(raw: &str) -> Option<String> {
    let g = lower(nfc(raw).trim());
    match g.as_str() {
        "m" | "male" | "man" | "erkek" | "e" | "bay" => Some("m".to_owned()),
        "f" | "female" | "woman" | "kadın" | "kadin" | "k" | "bayan" => Some("f".to_owned()),
        _ => None,
    }
}

/// Meta: the birth year `YYYY`, 1900 up to `this_year`.
pub fn birth_year(year: i32, this_year: i32) -> Option<String> {
    (1900..=this_year).contains(&year).then(|| year.to_string())
}

/// A SHA-256 digest, kept as its 32 bytes (a million members' hashes as hex
/// strings would be a million more allocations) and written as lowercase hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha256Hash(pub [u8; 32]);

impl Sha256Hash {
    /// The SHA-256 of the UTF-8 bytes.
    pub fn of(text: &str) -> Self {
        Self(Sha256::digest(text.as_bytes()).into())
    }

    /// Lowercase hex, as every platform wants it.
    pub fn hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(64);
        for b in self.0 {
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
        out
    }
}

impl std::fmt::Debug for Sha256Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.hex())
    }
}

impl serde::Serialize for Sha256Hash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.hex())
    }
}

/// SHA-256 of the UTF-8 bytes, as lowercase hex.
pub fn sha256_hex(text: &str) -> String {
    Sha256Hash::of(text).hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_emails() {
        assert_eq!(
            google_email(" Cloudy.SanFrancisco+shopping@gmail.com ").as_deref(),
            Some("cloudysanfrancisco@gmail.com")
        );
        assert_eq!(google_email("user.name+NYC@Example.com").as_deref(), Some("user.name+nyc@example.com"));
        assert_eq!(google_email("a.y.s.e+promo@googlemail.com").as_deref(), Some("ayse@googlemail.com"));
        assert_eq!(google_email("ali @ example.com").as_deref(), Some("ali@example.com"), "whitespace inside removed");
        assert_eq!(google_email("İSMAİL@ÖRNEK.com.tr").as_deref(), Some("ismail@örnek.com.tr"));
        assert_eq!(google_email("no-at-sign.example.com"), None);
        assert_eq!(google_email("x@localhost"), None);
        // Google's published example.
        assert_eq!(
            sha256_hex(&google_email("alexz@example.com").unwrap()),
            "509e933019bb285a134a9334b8bb679dff79d0ce023d529af4bd744d47b4fd8a"
        );
    }

    #[test]
    fn meta_emails_keep_gmail_dots() {
        assert_eq!(meta_email(" A.Y.S.E+x@Gmail.com ").as_deref(), Some("a.y.s.e+x@gmail.com"));
        assert_eq!(meta_email("bad"), None);
    }

    #[test]
    fn turkish_phones_in_four_spellings_and_a_us_number() {
        let cache = PhoneCache::default();
        let tr = PhoneRegion::default();
        for raw in ["0532 123 45 67", "532 123 45 67", "0090 532 123 45 67", "+90 (532) 123-45-67", "05321234567"] {
            assert_eq!(phone_e164(raw, tr, &cache).as_deref(), Some("+905321234567"), "{raw}");
            assert_eq!(meta_phone(raw, tr, &cache).as_deref(), Some("905321234567"), "{raw}");
        }
        assert_eq!(phone_e164("+1 (650) 253-0000", tr, &cache).as_deref(), Some("+16502530000"));
        assert_eq!(phone_e164("0212 444 00 00", tr, &cache).as_deref(), Some("+902124440000"), "a landline");
        for bad in ["12", "abc", "0532 123", "+90 111 111 11 11"] {
            assert_eq!(phone_e164(bad, tr, &cache), None, "{bad}");
        }
        let us = PhoneRegion::from_code("US").unwrap();
        assert_eq!(phone_e164("(800) 555-0100", us, &cache).as_deref(), Some("+18005550100"));
    }

    proptest::proptest! {
        /// The fast path for Turkish numbers says what the phone-number library says.
        #[test]
        fn the_turkish_fast_path_agrees_with_the_library(
            prefix in proptest::sample::select(vec!["", "0", "0090", "+90", "+90 ", "90", "00 90 ", "(0"]),
            first in proptest::sample::select(vec!['2', '3', '4', '5', '8', '1']),
            rest in "[0-9]{9}",
            sep in proptest::sample::select(vec!["", " ", "-", ".", ") "]),
        ) {
            let raw = format!("{prefix}{first}{}{sep}{}{sep}{}", &rest[..2], &rest[2..5], &rest[5..]);
            let cache = PhoneCache::default();
            let region = PhoneRegion::default();
            let library = phonenumber::parse(Some(region.0), compact(&raw))
                .ok()
                .filter(phonenumber::is_valid)
                .map(|n| n.format().mode(Mode::E164).to_string());
            proptest::prop_assert_eq!(phone_e164(&raw, region, &cache), library, "{}", raw);
        }
    }

    #[test]
    fn names_with_turkish_letters_and_decomposed_accents() {
        assert_eq!(google_name(" İsmail Hakkı ").as_deref(), Some("ismailhakkı"));
        assert_eq!(google_name("ŞEYMA").as_deref(), Some("şeyma"));
        assert_eq!(meta_letters("Çağrı-Gül 2").as_deref(), Some("çağrıgül"));
        assert_eq!(meta_letters("İstanbul").as_deref(), Some("istanbul"));
        // "é" written as e + combining acute: NFC first, so both spellings hash the same.
        let composed = google_name("José").unwrap();
        let decomposed = google_name("Jose\u{301}").unwrap();
        assert_eq!(composed, decomposed);
        assert_eq!(sha256_hex(&composed), sha256_hex(&decomposed));
        assert_eq!(google_name("   "), None);
    }

    #[test]
    fn codes_zips_gender_and_years() {
        assert_eq!(meta_code(" TR ").as_deref(), Some("tr"));
        assert_eq!(google_country("tr").as_deref(), Some("TR"));
        assert_eq!(google_country("Turkey"), None);
        assert_eq!(google_zip("94043-1351", Some("US")).as_deref(), Some("94043"));
        assert_eq!(google_zip("34 740", Some("TR")).as_deref(), Some("34740"));
        assert_eq!(meta_zip("SW1A 1AA", Some("GB")).as_deref(), Some("sw1a1aa"));
        for (raw, g) in [("Erkek", "m"), ("KADIN", "f"), ("E", "m"), ("K", "f"), ("male", "m"), ("Female", "f")] {
            assert_eq!(meta_gender(raw).as_deref(), Some(g), "{raw}");
        }
        assert_eq!(meta_gender("belirtilmemiş"), None);
        assert_eq!(birth_year(1990, 2026).as_deref(), Some("1990"));
        assert_eq!(birth_year(1850, 2026), None);
    }
}
