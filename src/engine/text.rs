//! Text folding for matching what people type against what files contain:
//! case- and accent-insensitive, and aware that Turkish has a dotted and a dotless i
//! (`İ`/`i`, `I`/`ı`), which plain `to_lowercase` gets wrong.

/// Folds text to lowercase ASCII where a Latin letter has an accent-free twin:
/// `Şehir/İl` → `sehir/il`, `E-posta` → `e-posta`, `ÜYELİK` → `uyelik`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            'A'..='Z' => out.push(ch.to_ascii_lowercase()),
            'a'..='z' | '0'..='9' => out.push(ch),
            'İ' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'Ş' | 'ş' => out.push('s'),
            'Ğ' | 'ğ' => out.push('g'),
            'Ü' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'ù' | 'ú' | 'û' => out.push('u'),
            'Ö' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'ò' | 'ó' | 'ô' => out.push('o'),
            'Ç' | 'ç' => out.push('c'),
            'À' | 'Á' | 'Â' | 'Ä' | 'à' | 'á' | 'â' | 'ä' => out.push('a'),
            'È' | 'É' | 'Ê' | 'Ë' | 'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'Ñ' | 'ñ' => out.push('n'),
            _ => out.extend(ch.to_lowercase()),
        }
    }
    out
}

/// Folds case for matching values such as city names and tags, keeping accents.
/// Turkish has two i's (`İ/i` and `I/ı`) and English text in Turkish data uses a
/// third mapping (`I/i`), so all four fold to `i`: "istanbul" finds "İstanbul",
/// "vip" finds "VIP" and "ığdır" finds "IĞDIR".
pub fn fold_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            'I' | 'İ' | 'ı' => out.push('i'),
            _ => out.extend(ch.to_lowercase()),
        }
    }
    out
}

/// Normalises an email address for joining and matching: trimmed, lowercase.
pub fn normalise_email(s: &str) -> String {
    s.trim().to_lowercase()
}

/// At most `max` characters of `s`, ending in "…" when cut (for names made from
/// sentences).
pub fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A name made safe as a file name on every system (a segment's name for its
/// export): characters no file system takes become `-`; Turkish letters stay.
pub fn file_stem_for(name: &str) -> String {
    let stem: String =
        name.chars().map(|c| if c.is_control() || r#"/\:*?"<>|"#.contains(c) { '-' } else { c }).collect();
    let stem = stem.trim().trim_matches('.').trim();
    if stem.is_empty() { "kitle".to_owned() } else { stem.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_keep_turkish_and_drop_separators() {
        assert_eq!(file_stem_for("Sadık müşteriler / İstanbul"), "Sadık müşteriler - İstanbul");
        assert_eq!(file_stem_for("a:b*c?"), "a-b-c-");
        assert_eq!(file_stem_for(" .. "), "kitle");
    }

    #[test]
    fn folds_turkish_headers() {
        assert_eq!(fold("Şehir/İl"), "sehir/il");
        assert_eq!(fold("ÜYELİK TARİHİ"), "uyelik tarihi");
        assert_eq!(fold("Doğum Tarihi"), "dogum tarihi");
        assert_eq!(fold("Sipariş Sayısı"), "siparis sayisi");
        assert_eq!(fold("Geldiği Kanal"), "geldigi kanal");
    }

    #[test]
    fn folds_case_across_both_i_s() {
        assert_eq!(fold_case("ISPARTA"), fold_case("ısparta"));
        assert_eq!(fold_case("İZMİR"), "izmir");
        assert_eq!(fold_case("VIP"), "vip");
        assert_eq!(fold_case("ŞULE Işık"), "şule işik");
        assert_eq!(normalise_email("  Ayse@Example.COM "), "ayse@example.com");
    }
}
