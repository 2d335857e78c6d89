//! Personas and their fit against a segment's customers.

/// (key, English, Turkish)
pub const TEXTS: &[(&str, &str, &str)] = &[
    ("persona.ev_invalid", "Can't be checked: {0}.", "Kontrol edilemiyor: {0}."),
    ("persona.ev_no_data", "No member has a value for it ({0} known).", "Hiçbir üyede bu bilgi yok ({0} bilinen)."),
    (
        "persona.ev_support",
        "{0} of the segment's members match (95% interval {1}–{2}), against {3} of all customers ({4}×); {5} of members have this field.",
        "Segment üyelerinin {0} kadarı uyuyor (%95 aralık {1}–{2}); tüm müşterilerde bu oran {3} ({4}×); üyelerin {5} kadarında bu bilgi var.",
    ),
    (
        "persona.ev_too_few",
        "Only {0} members have a value: too few to judge.",
        "Yalnızca {0} üyede bilgi var: karar vermek için çok az.",
    ),
    ("persona.ev_where_value", "Most are {0} ({1}).", "Çoğu {0} ({1})."),
    (
        "persona.ev_where_range",
        "The middle half of members are {0}–{1}.",
        "Üyelerin ortadaki yarısı {0}–{1} aralığında.",
    ),
    (
        "persona.ev_missed",
        "{0}× as likely to have {1} {2} ({3} vs {4}).",
        "{1} {2} olma olasılığı {0} kat ({3}, tüm müşterilerde {4}).",
    ),
    (
        "persona.ev_missed_range",
        "{0}: 80% of members are {1}; {2} of them are above all customers' median (half of all customers are).",
        "{0}: üyelerin %80'i {1} aralığında; {2} kadarı tüm müşterilerin medyanının üstünde (tüm müşterilerin yarısı üstünde).",
    ),
];
