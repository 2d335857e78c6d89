//! Country names to ISO-3166 alpha-2 codes, as ad platforms want them: from a code
//! column (`TR`, `tur`) or a name written in English or Turkish ("Turkey",
//! "Türkiye", "Almanya", "United States", "ABD"). Names are matched folded (case,
//! accents and the Turkish i ignored). A name not in the table gets no code and
//! the import report says so; nothing is guessed.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::engine::text::fold;

/// (alpha-2, alpha-3, English name, Turkish name, other spellings)
const COUNTRIES: &[(&str, &str, &str, &str, &[&str])] = &[
    ("TR", "TUR", "Turkey", "Türkiye", &["turkiye", "turkiye cumhuriyeti", "republic of turkey", "turkei"]),
    (
        "US",
        "USA",
        "United States",
        "Amerika Birleşik Devletleri",
        &["usa", "u.s.a.", "united states of america", "abd", "amerika"],
    ),
    ("GB", "GBR", "United Kingdom", "Birleşik Krallık", &["uk", "great britain", "england", "ingiltere", "britain"]),
    ("DE", "DEU", "Germany", "Almanya", &["deutschland"]),
    ("FR", "FRA", "France", "Fransa", &[]),
    ("NL", "NLD", "Netherlands", "Hollanda", &["the netherlands", "holland", "nederland"]),
    ("BE", "BEL", "Belgium", "Belçika", &[]),
    ("AT", "AUT", "Austria", "Avusturya", &["osterreich"]),
    ("CH", "CHE", "Switzerland", "İsviçre", &["schweiz", "suisse"]),
    ("IT", "ITA", "Italy", "İtalya", &["italia"]),
    ("ES", "ESP", "Spain", "İspanya", &["espana"]),
    ("PT", "PRT", "Portugal", "Portekiz", &[]),
    ("IE", "IRL", "Ireland", "İrlanda", &[]),
    ("DK", "DNK", "Denmark", "Danimarka", &[]),
    ("SE", "SWE", "Sweden", "İsveç", &[]),
    ("NO", "NOR", "Norway", "Norveç", &[]),
    ("FI", "FIN", "Finland", "Finlandiya", &[]),
    ("IS", "ISL", "Iceland", "İzlanda", &[]),
    ("PL", "POL", "Poland", "Polonya", &[]),
    ("CZ", "CZE", "Czechia", "Çekya", &["czech republic", "cek cumhuriyeti"]),
    ("SK", "SVK", "Slovakia", "Slovakya", &[]),
    ("HU", "HUN", "Hungary", "Macaristan", &[]),
    ("RO", "ROU", "Romania", "Romanya", &[]),
    ("BG", "BGR", "Bulgaria", "Bulgaristan", &[]),
    ("GR", "GRC", "Greece", "Yunanistan", &["hellas"]),
    ("CY", "CYP", "Cyprus", "Kıbrıs", &["kibris"]),
    ("MT", "MLT", "Malta", "Malta", &[]),
    ("HR", "HRV", "Croatia", "Hırvatistan", &[]),
    ("SI", "SVN", "Slovenia", "Slovenya", &[]),
    ("RS", "SRB", "Serbia", "Sırbistan", &[]),
    ("BA", "BIH", "Bosnia and Herzegovina", "Bosna-Hersek", &["bosnia", "bosna hersek"]),
    ("ME", "MNE", "Montenegro", "Karadağ", &[]),
    ("MK", "MKD", "North Macedonia", "Kuzey Makedonya", &["macedonia", "makedonya"]),
    ("AL", "ALB", "Albania", "Arnavutluk", &[]),
    ("XK", "XKX", "Kosovo", "Kosova", &[]),
    ("EE", "EST", "Estonia", "Estonya", &[]),
    ("LV", "LVA", "Latvia", "Letonya", &[]),
    ("LT", "LTU", "Lithuania", "Litvanya", &[]),
    ("LU", "LUX", "Luxembourg", "Lüksemburg", &[]),
    ("UA", "UKR", "Ukraine", "Ukrayna", &[]),
    ("BY", "BLR", "Belarus", "Belarus", &["beyaz rusya"]),
    ("MD", "MDA", "Moldova", "Moldova", &[]),
    ("RU", "RUS", "Russia", "Rusya", &["russian federation", "rusya federasyonu"]),
    ("GE", "GEO", "Georgia", "Gürcistan", &[]),
    ("AZ", "AZE", "Azerbaijan", "Azerbaycan", &[]),
    ("AM", "ARM", "Armenia", "Ermenistan", &[]),
    ("KZ", "KAZ", "Kazakhstan", "Kazakistan", &[]),
    ("UZ", "UZB", "Uzbekistan", "Özbekistan", &[]),
    ("TM", "TKM", "Turkmenistan", "Türkmenistan", &[]),
    ("KG", "KGZ", "Kyrgyzstan", "Kırgızistan", &[]),
    ("TJ", "TJK", "Tajikistan", "Tacikistan", &[]),
    ("MN", "MNG", "Mongolia", "Moğolistan", &[]),
    ("IR", "IRN", "Iran", "İran", &[]),
    ("IQ", "IRQ", "Iraq", "Irak", &[]),
    ("SY", "SYR", "Syria", "Suriye", &[]),
    ("LB", "LBN", "Lebanon", "Lübnan", &[]),
    ("IL", "ISR", "Israel", "İsrail", &[]),
    ("PS", "PSE", "Palestine", "Filistin", &[]),
    ("JO", "JOR", "Jordan", "Ürdün", &[]),
    ("SA", "SAU", "Saudi Arabia", "Suudi Arabistan", &[]),
    ("AE", "ARE", "United Arab Emirates", "Birleşik Arap Emirlikleri", &["uae", "bae"]),
    ("QA", "QAT", "Qatar", "Katar", &[]),
    ("KW", "KWT", "Kuwait", "Kuveyt", &[]),
    ("BH", "BHR", "Bahrain", "Bahreyn", &[]),
    ("OM", "OMN", "Oman", "Umman", &[]),
    ("YE", "YEM", "Yemen", "Yemen", &[]),
    ("EG", "EGY", "Egypt", "Mısır", &[]),
    ("LY", "LBY", "Libya", "Libya", &[]),
    ("TN", "TUN", "Tunisia", "Tunus", &[]),
    ("DZ", "DZA", "Algeria", "Cezayir", &[]),
    ("MA", "MAR", "Morocco", "Fas", &[]),
    ("SD", "SDN", "Sudan", "Sudan", &[]),
    ("ET", "ETH", "Ethiopia", "Etiyopya", &[]),
    ("KE", "KEN", "Kenya", "Kenya", &[]),
    ("NG", "NGA", "Nigeria", "Nijerya", &[]),
    ("GH", "GHA", "Ghana", "Gana", &[]),
    ("SN", "SEN", "Senegal", "Senegal", &[]),
    ("SO", "SOM", "Somalia", "Somali", &[]),
    ("ZA", "ZAF", "South Africa", "Güney Afrika", &[]),
    ("AF", "AFG", "Afghanistan", "Afganistan", &[]),
    ("PK", "PAK", "Pakistan", "Pakistan", &[]),
    ("IN", "IND", "India", "Hindistan", &[]),
    ("BD", "BGD", "Bangladesh", "Bangladeş", &[]),
    ("LK", "LKA", "Sri Lanka", "Sri Lanka", &[]),
    ("CN", "CHN", "China", "Çin", &["people's republic of china", "prc"]),
    ("HK", "HKG", "Hong Kong", "Hong Kong", &[]),
    ("TW", "TWN", "Taiwan", "Tayvan", &[]),
    ("JP", "JPN", "Japan", "Japonya", &[]),
    ("KR", "KOR", "South Korea", "Güney Kore", &["korea", "republic of korea", "kore"]),
    ("TH", "THA", "Thailand", "Tayland", &[]),
    ("VN", "VNM", "Vietnam", "Vietnam", &["viet nam"]),
    ("MY", "MYS", "Malaysia", "Malezya", &[]),
    ("SG", "SGP", "Singapore", "Singapur", &[]),
    ("ID", "IDN", "Indonesia", "Endonezya", &[]),
    ("PH", "PHL", "Philippines", "Filipinler", &[]),
    ("AU", "AUS", "Australia", "Avustralya", &[]),
    ("NZ", "NZL", "New Zealand", "Yeni Zelanda", &[]),
    ("CA", "CAN", "Canada", "Kanada", &[]),
    ("MX", "MEX", "Mexico", "Meksika", &[]),
    ("BR", "BRA", "Brazil", "Brezilya", &["brasil"]),
    ("AR", "ARG", "Argentina", "Arjantin", &[]),
    ("CL", "CHL", "Chile", "Şili", &[]),
    ("CO", "COL", "Colombia", "Kolombiya", &[]),
    ("PE", "PER", "Peru", "Peru", &[]),
    ("VE", "VEN", "Venezuela", "Venezuela", &[]),
];

/// A name reduced for matching: folded, `-` and `.` as spaces, single spaces.
fn name_key(text: &str) -> String {
    fold(text).replace(['-', '.'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every code and name (as [`name_key`]s) to its alpha-2 code, built once.
fn lookup() -> &'static HashMap<String, &'static str> {
    static LOOKUP: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    LOOKUP.get_or_init(|| {
        let mut map = HashMap::new();
        for (a2, a3, en, tr, other) in COUNTRIES {
            for name in [*a2, *a3, *en, *tr].into_iter().chain(other.iter().copied()) {
                map.entry(name_key(name)).or_insert(*a2);
            }
        }
        map
    })
}

/// The alpha-2 code of a country written as a code or a name, if known.
pub fn country_code(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    lookup().get(&name_key(t)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_in_both_languages() {
        for (text, code) in [
            ("TR", "TR"),
            ("tr", "TR"),
            ("TUR", "TR"),
            ("Türkiye", "TR"),
            ("TÜRKİYE", "TR"),
            ("Turkey", "TR"),
            ("Almanya", "DE"),
            ("Germany", "DE"),
            ("ABD", "US"),
            ("United States", "US"),
            ("Birleşik Krallık", "GB"),
            ("  kıbrıs ", "CY"),
            ("Bosna-Hersek", "BA"),
        ] {
            assert_eq!(country_code(text), Some(code), "{text}");
        }
        assert_eq!(country_code("Narnia"), None);
        assert_eq!(country_code("ZZ"), None);
        assert_eq!(country_code(""), None);
    }

    #[test]
    fn every_code_is_two_capital_letters_once() {
        let mut seen = std::collections::HashSet::new();
        for (a2, a3, ..) in COUNTRIES {
            assert!(a2.len() == 2 && a2.bytes().all(|b| b.is_ascii_uppercase()), "{a2}");
            assert_eq!(a3.len(), 3, "{a3}");
            assert!(seen.insert(*a2), "{a2} twice");
        }
    }
}
