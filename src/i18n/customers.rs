//! The customer list and a customer's details.

/// (key, English, Turkish)
pub const TEXTS: &[(&str, &str, &str)] = &[
    ("customers.search", "Search name, email, phone, city", "Ad, e-posta, telefon, şehir ara"),
    ("customers.search_label", "Search", "Ara"),
    ("customers.columns", "Columns", "Sütunlar"),
    ("customers.showing", "shown", "gösteriliyor"),
    ("customers.of", "of", "/"),
    ("customers.details", "Customer details", "Müşteri ayrıntıları"),
    ("customers.orders", "Orders", "Siparişler"),
    ("customers.no_orders", "No orders imported for this customer.", "Bu müşteri için sipariş yok."),
    ("customers.sorting", "Sorting…", "Sıralanıyor…"),
    ("customers.none", "No customer matches this search.", "Bu aramaya uyan müşteri yok."),
    ("order.id", "Order", "Sipariş"),
    ("order.date", "Date", "Tarih"),
    ("order.total", "Net total", "Net tutar"),
];
