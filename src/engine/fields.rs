//! The canonical fields Kitle understands, their types, and the header names that
//! map to them in Shopify, WooCommerce and common English and Turkish exports.
//! Everything else in a file is kept as a custom field.

use polars::prelude::{Categories, DataType};
use serde::{Deserialize, Serialize};

/// What a column holds; decides parsing, operators and formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Free text or an identifier.
    Text,
    /// Text with few distinct values (channel, city …).
    Category,
    /// A number.
    Number,
    /// An amount in the workspace currency.
    Money,
    /// A whole number (counts, days).
    Integer,
    Date,
    /// Yes or no.
    Bool,
    /// A list of short texts (tags).
    List,
}

impl FieldType {
    pub fn id(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Category => "category",
            FieldType::Number => "number",
            FieldType::Money => "money",
            FieldType::Integer => "integer",
            FieldType::Date => "date",
            FieldType::Bool => "bool",
            FieldType::List => "list",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.id() == id)
    }

    pub const ALL: [FieldType; 8] = [
        FieldType::Text,
        FieldType::Category,
        FieldType::Number,
        FieldType::Money,
        FieldType::Integer,
        FieldType::Date,
        FieldType::Bool,
        FieldType::List,
    ];

    pub fn is_numeric(self) -> bool {
        matches!(self, FieldType::Number | FieldType::Money | FieldType::Integer)
    }
}

/// The type of the order lines' text columns (product, SKU, category): categories,
/// since a store sells far fewer products than it has order lines (4 bytes a line
/// instead of the text).
pub fn line_text_type() -> DataType {
    DataType::from_categories(Categories::global())
}

/// The orders file's columns that name what a line bought, read straight into
/// [`line_text_type`] (an order-heavy file's text never held as text).
pub const ORDER_LINE_TEXT: [&str; 3] = ["product", "sku", "category"];

/// The kind of file a data source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// One row per customer.
    Customers,
    /// One row per order or per order line.
    Orders,
    /// Marketing spend per channel per day or month.
    Spend,
    /// Consent records: İYS's export (recipient, type, status, date), joined to the
    /// customers by e-mail and phone.
    Consent,
}

impl SourceKind {
    pub fn id(self) -> &'static str {
        match self {
            SourceKind::Customers => "customers",
            SourceKind::Orders => "orders",
            SourceKind::Spend => "spend",
            SourceKind::Consent => "consent",
        }
    }
}

/// A field Kitle knows by name.
#[derive(Debug)]
pub struct CanonicalField {
    pub id: &'static str,
    pub ty: FieldType,
    /// Header names (folded, see [`header_key`]) in priority order.
    pub aliases: &'static [&'static str],
}

const fn f(id: &'static str, ty: FieldType, aliases: &'static [&'static str]) -> CanonicalField {
    CanonicalField { id, ty, aliases }
}

use FieldType::{Bool, Category, Date, Integer, List, Money, Text};

/// Customer-id headers. In a customers file a bare `id` column is the customer's
/// id too (in an orders file it is the order's), so it comes last, where the
/// orders' list stops.
const CUSTOMER_ID_IN_CUSTOMERS: &[&str] = &[
    "customer id",
    "customerid",
    "musteri no",
    "musteri id",
    "musteri numarasi",
    "musteri kodu",
    "cari kod",
    "cari kodu",
    "cari no",
    "uye no",
    "uye id",
    "user id",
    "kullanici id",
    "client id",
    // Marketplace and payment exports (iyzico's buyerId).
    "buyer id",
    "buyerid",
    "alici no",
    "alici id",
    "id",
];
const CUSTOMER_ID: &[&str] = CUSTOMER_ID_IN_CUSTOMERS.split_at(CUSTOMER_ID_IN_CUSTOMERS.len() - 1).0;
const EMAIL: &[&str] = &[
    "email",
    "e-mail",
    "e mail",
    "e-posta",
    "e posta",
    "eposta",
    "e-posta adresi",
    "eposta adresi",
    "email address",
    "mail",
    "customer email",
    "billing email",
    "musteri e-posta",
    "buyer email",
    "buyeremail",
    "alici e-posta",
    "alici eposta",
];
const PHONE: &[&str] = &[
    "phone",
    "telefon",
    "tel",
    "gsm",
    "cep telefonu",
    "cep",
    "mobile",
    "phone number",
    "telefon numarasi",
    "default address phone",
    "billing phone",
    "cep tel",
    "buyer phone",
    "buyerphone",
    "musteri telefon no",
    "alici telefon",
    "alici gsm",
];
const FIRST_NAME: &[&str] =
    &["first name", "firstname", "ad", "adi", "isim", "given name", "billing first name", "buyer name", "buyername"];
const LAST_NAME: &[&str] = &[
    "last name",
    "lastname",
    "soyad",
    "soyadi",
    "soyisim",
    "surname",
    "family name",
    "billing last name",
    "buyer surname",
    "buyersurname",
];
const CITY: &[&str] = &[
    "city",
    "sehir",
    "il",
    "sehir/il",
    "il/sehir",
    "default address city",
    "billing city",
    "town",
    "buyer city",
    "buyercity",
    "teslimat ili",
    "teslimat sehri",
];
const REGION: &[&str] = &[
    "region",
    "province",
    "state",
    "bolge",
    "province code",
    "default address province code",
    "billing province",
    "billing province name",
    "billing state",
    "state/county",
];
const COUNTRY: &[&str] = &["country", "ulke", "country / region", "country/region", "country name", "ulke adi"];
/// ISO-3166 alpha-2 codes as Shopify (`Country Code`) and WooCommerce
/// (`billing_country`) write them.
const COUNTRY_CODE: &[&str] = &[
    "country code",
    "default address country code",
    "billing country",
    "billing country code",
    "shipping country",
    "ulke kodu",
    "country iso",
    "iso country",
];
const ZIP: &[&str] = &[
    "zip",
    "zip code",
    "postal code",
    "posta kodu",
    "postcode",
    "default address zip",
    "billing zip",
    "billing postcode",
];
const CHANNEL: &[&str] = &[
    "channel",
    "kanal",
    "geldigi kanal",
    "edinim kanali",
    "kaynak",
    "musteri kaynagi",
    "acquisition channel",
    "source",
    "utm source",
    "traffic source",
    "first touch",
    "attribution",
    "sales channel",
    "satis kanali",
];

const CUSTOMER_FIELDS: &[CanonicalField] = &[
    f("customer_id", Text, CUSTOMER_ID_IN_CUSTOMERS),
    f("email", Text, EMAIL),
    f("phone", Text, PHONE),
    f("first_name", Text, FIRST_NAME),
    f("last_name", Text, LAST_NAME),
    f(
        "name",
        Text,
        &[
            "name",
            "ad soyad",
            "adi soyadi",
            "ad-soyad",
            "isim soyisim",
            "full name",
            "customer name",
            "customer",
            "musteri adi",
            "musteri ad soyad",
            "musteri",
            "billing name",
            "unvan",
        ],
    ),
    f("city", Category, CITY),
    f("region", Category, REGION),
    f("country", Category, COUNTRY),
    f("country_code", Category, COUNTRY_CODE),
    f("zip", Text, ZIP),
    f("gender", Category, &["gender", "cinsiyet", "sex"]),
    f("birth_date", Date, &["birth date", "birthdate", "birthday", "date of birth", "dob", "dogum tarihi"]),
    f(
        "signup_date",
        Date,
        &[
            "signup date",
            "sign up date",
            "kayit tarihi",
            "uyelik tarihi",
            "registration date",
            "date registered",
            "created at",
            "date created",
            "customer since",
            "joined",
            "uye olma tarihi",
        ],
    ),
    f("channel", Category, CHANNEL),
    f("tags", List, &["tags", "etiketler", "etiket", "labels", "segmentler"]),
    f(
        "accepts_marketing",
        Bool,
        &[
            "accepts marketing",
            "accepts email marketing",
            "email marketing",
            "pazarlama izni",
            "eposta izni",
            "e-posta izni",
            "iletisim izni",
            "ticari ileti izni",
            "newsletter",
            "bulten",
            "subscribed",
            "marketing consent",
        ],
    ),
    f(
        "sms_consent",
        Bool,
        &[
            "accepts sms marketing",
            "sms marketing",
            "sms consent",
            "sms permission",
            "sms izni",
            "sms onayi",
            "mesaj izni",
        ],
    ),
    // Explicit consent to share data with ad platforms (a transfer abroad under KVKK
    // Art. 9); where recorded, ad-platform audiences require it.
    f(
        "ad_consent",
        Bool,
        &[
            "ad consent",
            "advertising consent",
            "ad platform consent",
            "explicit consent",
            "reklam izni",
            "acik riza",
            "acik riza onayi",
            "yurt disi aktarim izni",
            "yurtdisi aktarim izni",
            "yurt disi aktarim onayi",
        ],
    ),
    f(
        "ltv",
        Money,
        &[
            "ltv",
            "clv",
            "total spent",
            "total spend",
            "toplam harcama",
            "ciro",
            "toplam ciro",
            "lifetime value",
            "customer lifetime value",
            "yasam boyu deger",
            "musteri yasam boyu degeri",
            "amount spent",
            "money spent",
            "harcama",
            "toplam alisveris tutari",
        ],
    ),
    f(
        "orders",
        Integer,
        &[
            "orders",
            "total orders",
            "orders count",
            "order count",
            "number of orders",
            "siparis sayisi",
            "toplam siparis",
            "siparis adedi",
            "toplam siparis sayisi",
            "alisveris sayisi",
        ],
    ),
    f(
        "first_order_date",
        Date,
        &[
            "first order date",
            "first order",
            "ilk siparis tarihi",
            "ilk siparis",
            "ilk alisveris tarihi",
            "first purchase date",
        ],
    ),
    f(
        "last_order_date",
        Date,
        &[
            "last order date",
            "last order",
            "son siparis",
            "son siparis tarihi",
            "son alisveris tarihi",
            "son alisveris",
            "last purchase date",
            "last active",
        ],
    ),
];

const ORDER_FIELDS: &[CanonicalField] = &[
    f(
        "order_id",
        Text,
        &[
            "order id",
            "order #",
            "order number",
            "order no",
            "order",
            "siparis no",
            "siparis numarasi",
            "siparis id",
            "siparis kodu",
            "fatura no",
            "fis no",
            "belge no",
            "invoice no",
            "invoiceno",
            "invoice",
            "payment id",
            "paymentid",
            "name",
            "id",
        ],
    ),
    f("customer_id", Text, CUSTOMER_ID),
    f("email", Text, EMAIL),
    f(
        "order_date",
        Date,
        &[
            "order date",
            "created at",
            "date",
            "tarih",
            "siparis tarihi",
            "fatura tarihi",
            "islem tarihi",
            "date created",
            "order created",
            "invoicedate",
            "invoice date",
            "paid at",
            "payment date",
            "paymentdate",
        ],
    ),
    f(
        "total",
        Money,
        &[
            // A marketplace's billed amount (after its discounts) before its list price.
            "faturalanacak tutar",
            "total",
            "order total",
            "net sales",
            "toplam",
            "toplam tutar",
            "tutar",
            "siparis tutari",
            "genel toplam",
            "amount",
            "net tutar",
            "grand total",
            "satis tutari",
            "total amount",
        ],
    ),
    f("quantity", FieldType::Number, &["quantity", "qty", "lineitem quantity", "adet", "miktar", "items sold"]),
    f(
        "unit_price",
        Money,
        &["unit price", "unitprice", "lineitem price", "birim fiyat", "birim fiyati", "fiyat", "price"],
    ),
    f(
        "status",
        Category,
        &[
            "status",
            "financial status",
            "order status",
            "durum",
            "siparis durumu",
            "siparis statusu",
            "odeme durumu",
            "payment status",
            "paymentstatus",
        ],
    ),
    // Amount columns first: WooCommerce's free-text `refunds` list stays custom when
    // an amount column (`refunded_total`, `Refunded Amount`, `İade Tutarı`) is there.
    f(
        "refunded",
        Money,
        &[
            "refunded amount",
            "refunded total",
            "total refunded",
            "refund amount",
            "refund total",
            "iade tutari",
            "refunded",
            "refund",
            "iade",
            "refunds",
        ],
    ),
    f("cancelled_at", Date, &["cancelled at", "canceled at", "iptal tarihi"]),
    f("channel", Category, CHANNEL),
    // What an order line bought (kept for order-history conditions).
    f(
        "product",
        Text,
        &[
            "lineitem name",
            "line item name",
            "product name",
            "product title",
            "product",
            "item name",
            "urun adi",
            "urun ismi",
            "urun",
            "description",
        ],
    ),
    f(
        "sku",
        Text,
        &["lineitem sku", "sku", "stock code", "stockcode", "stok kodu", "urun kodu", "product code", "item sku"],
    ),
    f(
        "category",
        Category,
        &[
            "product type",
            "product category",
            "lineitem category",
            "category",
            "kategori",
            "urun kategorisi",
            "urun grubu",
        ],
    ),
    // Customer details that order exports carry, used when orders create the customers.
    f(
        "name",
        Text,
        &[
            "billing name",
            "customer",
            "customer name",
            "musteri",
            "musteri adi",
            "ad soyad",
            "adi soyadi",
            "alici",
            "alici adi",
        ],
    ),
    f("first_name", Text, FIRST_NAME),
    f("last_name", Text, LAST_NAME),
    f("phone", Text, PHONE),
    f("city", Category, CITY),
    f("region", Category, REGION),
    f("country", Category, COUNTRY),
    f("country_code", Category, COUNTRY_CODE),
    f("zip", Text, ZIP),
];

/// An İYS consent export's columns: its API's names `recipient`, `type`, `status`,
/// `consentDate`, and Turkish headers a panel export may use (not checked against
/// İYS's own panel, which has no public documentation here); any other header is
/// mapped by hand (the import dialog, or `--map "Header=field"`).
const CONSENT_FIELDS: &[CanonicalField] = &[
    f("recipient", Text, &["recipient", "alici", "iletisim adresi", "e-posta/telefon", "telefon/e-posta"]),
    f("consent_type", Text, &["type", "izin turu", "izin tipi", "ileti turu", "kanal"]),
    f("consent_status", Text, &["status", "izin durumu", "onay durumu", "durum"]),
    f("consent_date", Date, &["consentdate", "consent date", "izin tarihi", "onay tarihi", "tarih"]),
];

const SPEND_FIELDS: &[CanonicalField] = &[
    f("channel", Category, &["channel", "kanal", "platform", "source", "kaynak", "mecra", "campaign channel"]),
    f("period", Text, &["period", "month", "date", "day", "week", "tarih", "ay", "donem", "gun", "reporting starts"]),
    f(
        "spend",
        Money,
        &[
            "spend",
            "cost",
            "amount spent",
            "harcama",
            "maliyet",
            "butce",
            "reklam harcamasi",
            "tutar",
            "amount",
            "reklam maliyeti",
        ],
    ),
];

/// Fields computed for every customer, relative to the workspace's as-of date.
pub const DERIVED_FIELDS: &[(&str, FieldType)] =
    &[("aov", Money), ("days_since_last_order", Integer), ("tenure_days", Integer), ("age", Integer)];

/// The canonical fields a file of this kind can map to.
pub fn canonical_fields(kind: SourceKind) -> &'static [CanonicalField] {
    match kind {
        SourceKind::Customers => CUSTOMER_FIELDS,
        SourceKind::Orders => ORDER_FIELDS,
        SourceKind::Spend => SPEND_FIELDS,
        SourceKind::Consent => CONSENT_FIELDS,
    }
}

pub fn canonical_field(kind: SourceKind, id: &str) -> Option<&'static CanonicalField> {
    canonical_fields(kind).iter().find(|f| f.id == id)
}

/// The customer table's canonical and derived fields, in display order.
pub fn customer_columns() -> impl Iterator<Item = (&'static str, FieldType)> {
    CUSTOMER_FIELDS.iter().map(|f| (f.id, f.ty)).chain(DERIVED_FIELDS.iter().copied())
}

pub fn is_customer_column(id: &str) -> bool {
    customer_columns().any(|(c, _)| c == id)
}

/// A header reduced for matching: folded (case, accents, Turkish i), units in
/// brackets removed (`Toplam Harcama (TL)` → `toplam harcama`), separators as spaces.
pub fn header_key(header: &str) -> String {
    let folded = super::text::fold(header);
    let mut without_units = String::with_capacity(folded.len());
    let mut depth = 0i32;
    for ch in folded.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            _ if depth == 0 => without_units.push(ch),
            _ => {}
        }
    }
    let spaced: String =
        without_units.chars().map(|c| if c == '_' || c == '.' || c == ':' || c == '*' { ' ' } else { c }).collect();
    let key = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    // Kept as written when brackets were all there was, e.g. "(TL)".
    if key.is_empty() { folded.trim().to_owned() } else { key }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_keys_ignore_case_accents_and_units() {
        assert_eq!(header_key("Toplam Harcama (TL)"), "toplam harcama");
        assert_eq!(header_key("  Şehir/İl "), "sehir/il");
        assert_eq!(header_key("Customer_ID"), "customer id");
        assert_eq!(header_key("Amount spent [TRY]"), "amount spent");
    }

    #[test]
    fn aliases_are_stored_as_keys() {
        for kind in [SourceKind::Customers, SourceKind::Orders, SourceKind::Spend, SourceKind::Consent] {
            for field in canonical_fields(kind) {
                for alias in field.aliases {
                    assert_eq!(&header_key(alias), alias, "alias of {} must be written as its key", field.id);
                }
            }
        }
    }
}
