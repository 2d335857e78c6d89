//! Remarketing audiences: a segment's members turned into what an ad platform
//! matches on, or into an e-mail or SMS list for the user's own services.
//! [`normalise`] holds each platform's rules; here the members are filtered by the
//! consent their destination needs ([`ConsentField::required`]), each member's
//! identifiers are normalised and hashed (or, for lists, checked and kept in clear), and
//! a preview says exactly what would leave the machine ([`Preview`]); [`files`]
//! writes the platforms' upload files; [`record`] keeps the record of every export.
//! Nothing here opens a connection: sending
//! through the platforms' APIs lives in the top-level `connect` module.

pub mod diff;
pub mod files;
pub mod normalise;
pub mod record;

use chrono::Datelike;
use polars::prelude::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::engine::data::CustomerData;
use normalise::{PhoneCache, PhoneRegion};

/// Where an audience goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Google Ads Customer Match (file) and the Data Manager API.
    Google,
    /// Meta custom audiences (file) and the Marketing API.
    Meta,
    /// A TikTok customer file.
    Tiktok,
    /// A generic file of SHA-256 email and phone hashes.
    Hashed,
    /// An e-mail list for the user's e-mail service (addresses and names in clear).
    EmailList,
    /// An SMS list for the user's SMS provider (numbers in E.164 and names in clear).
    SmsList,
}

/// What kind of place an audience goes to; it decides the consent members need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DestinationKind {
    /// Google, Meta, TikTok: hashed identifiers sent to an ad platform (abroad).
    AdPlatform,
    /// A file of hashes for another tool.
    HashedFile,
    /// Commercial e-mail (ETK; İYS consent type `EPOSTA`).
    EmailList,
    /// Commercial SMS (ETK; İYS consent type `MESAJ`).
    SmsList,
}

impl Platform {
    pub const ALL: [Platform; 6] =
        [Platform::Google, Platform::Meta, Platform::Tiktok, Platform::Hashed, Platform::EmailList, Platform::SmsList];

    pub fn id(self) -> &'static str {
        match self {
            Platform::Google => "google",
            Platform::Meta => "meta",
            Platform::Tiktok => "tiktok",
            Platform::Hashed => "hashed",
            Platform::EmailList => "email_list",
            Platform::SmsList => "sms_list",
        }
    }

    pub fn kind(self) -> DestinationKind {
        match self {
            Platform::Google | Platform::Meta | Platform::Tiktok => DestinationKind::AdPlatform,
            Platform::Hashed => DestinationKind::HashedFile,
            Platform::EmailList => DestinationKind::EmailList,
            Platform::SmsList => DestinationKind::SmsList,
        }
    }

    /// Whether its file holds the identifiers in clear (a list for the user's own
    /// e-mail or SMS service) rather than hashed.
    pub fn in_clear(self) -> bool {
        matches!(self.kind(), DestinationKind::EmailList | DestinationKind::SmsList)
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == id.trim().to_ascii_lowercase())
    }

    /// The identifiers this platform takes, in its file's column order.
    pub fn identifiers(self) -> &'static [Identifier] {
        use Identifier::*;
        match self {
            Platform::Google => &[Email, Phone, FirstName, LastName, Country, Zip],
            Platform::Meta => &[Email, Phone, FirstName, LastName, City, State, Zip, Country, Gender, BirthYear],
            Platform::Tiktok | Platform::Hashed => &[Email, Phone],
            Platform::EmailList => &[Email, FirstName, LastName],
            Platform::SmsList => &[Phone, FirstName, LastName],
        }
    }

    /// Members the platform needs before it serves an audience (Google: 100 active
    /// members; Meta advises against fewer than 100).
    pub fn minimum_members(self) -> Option<usize> {
        matches!(self, Platform::Google | Platform::Meta).then_some(100)
    }
}

/// A customer detail an ad platform matches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identifier {
    Email,
    Phone,
    FirstName,
    LastName,
    Country,
    Zip,
    City,
    State,
    Gender,
    BirthYear,
}

impl Identifier {
    pub const ALL: [Identifier; 10] = [
        Identifier::Email,
        Identifier::Phone,
        Identifier::FirstName,
        Identifier::LastName,
        Identifier::Country,
        Identifier::Zip,
        Identifier::City,
        Identifier::State,
        Identifier::Gender,
        Identifier::BirthYear,
    ];

    /// The name in files, JSON and the workspace.
    pub fn id(self) -> &'static str {
        match self {
            Identifier::Email => "email",
            Identifier::Phone => "phone",
            Identifier::FirstName => "first_name",
            Identifier::LastName => "last_name",
            Identifier::Country => "country",
            Identifier::Zip => "zip",
            Identifier::City => "city",
            Identifier::State => "state",
            Identifier::Gender => "gender",
            Identifier::BirthYear => "birth_year",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.id() == id)
    }

    /// The customer-table fields it is read from (any of them).
    fn fields(self) -> &'static [&'static str] {
        match self {
            Identifier::Email => &["email"],
            Identifier::Phone => &["phone"],
            Identifier::FirstName => &["first_name", "name"],
            Identifier::LastName => &["last_name", "name"],
            Identifier::Country => &["country_code"],
            Identifier::Zip => &["zip"],
            Identifier::City => &["city"],
            Identifier::State => &["region"],
            Identifier::Gender => &["gender"],
            Identifier::BirthYear => &["birth_date"],
        }
    }

    /// Whether the customer table has what this identifier is read from.
    pub fn available(self, data: &CustomerData) -> bool {
        self.fields().iter().any(|f| data.field(f).is_some())
    }

    /// Sent in clear, never hashed (Google's country and postal code).
    pub fn in_clear(self, platform: Platform) -> bool {
        platform == Platform::Google && matches!(self, Identifier::Country | Identifier::Zip)
    }

    /// Whether a member with only this identifier can be reached: an e-mail list
    /// needs the address, an SMS list the number; a platform matches on anything but
    /// country or postal code alone.
    pub fn reaches(self, platform: Platform) -> bool {
        match platform.kind() {
            DestinationKind::EmailList => self == Identifier::Email,
            DestinationKind::SmsList => self == Identifier::Phone,
            _ => !matches!(self, Identifier::Country | Identifier::Zip),
        }
    }
}

/// An audience as saved in the workspace: which segment, where, with what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Audience {
    pub name: String,
    /// The saved segment it is built from (by name), or a rule in the text form.
    pub segment: String,
    #[serde(default)]
    pub rule: Option<String>,
    pub platforms: Vec<Platform>,
    pub identifiers: Vec<Identifier>,
    /// Only customers who accepted marketing (on by default).
    #[serde(default = "yes")]
    pub consent_only: bool,
    /// When it was last written or sent, and how many members it had.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sent: Option<Sent>,
    /// Where the platforms' APIs put it (account and list ids; never a token).
    #[serde(default, skip_serializing_if = "Destinations::is_empty")]
    pub destinations: Destinations,
}

/// The accounts and lists an audience is pushed to. Ids only: credentials are
/// never written to the workspace.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Destinations {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub google: Option<GoogleDestination>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<MetaDestination>,
}

impl Destinations {
    pub fn is_empty(&self) -> bool {
        self.google.is_none() && self.meta.is_none()
    }
}

/// A Google Ads customer list, as the Data Manager API names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoogleDestination {
    /// The Google Ads account (customer id, digits only) that owns the list.
    pub account_id: String,
    /// The manager account signed in through, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_account_id: Option<String>,
    /// The customer list (user list) id.
    pub user_list_id: String,
}

/// A Meta custom audience: the ad account, and the audience once created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaDestination {
    /// The ad account id, digits only (without `act_`).
    pub ad_account_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience_id: Option<String>,
}

fn yes() -> bool {
    true
}

/// A record of the last file or push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sent {
    /// Local time, `YYYY-MM-DD HH:MM`.
    pub at: String,
    pub platform: Platform,
    pub members: usize,
    /// `file` or `api`.
    pub how: String,
    /// Why a push stopped before everything was sent (the next push resumes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

/// One identifier of one member: the text before hashing, and its hash (`None`
/// for Google's country and postal code, sent in clear and kept so; an e-mail or SMS
/// list sends the text but its memberships keep the hash).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Normalised {
    pub normalized: String,
    pub sha256: Option<normalise::Sha256Hash>,
}

/// One member: the row of the customer table, the customer id, and each chosen
/// identifier (`None` where the customer has none, or it can't be normalised).
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRow {
    pub row: IdxSize,
    pub customer_id: Option<String>,
    pub values: Vec<Option<Normalised>>,
}

impl MemberRow {
    /// Whether any identifier that reaches the person on `platform` is usable.
    pub fn matchable(&self, identifiers: &[Identifier], platform: Platform) -> bool {
        self.values.iter().zip(identifiers).any(|(v, id)| v.is_some() && id.reaches(platform))
    }
}

/// A consent field an audience can require: the basis it is sent on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentField {
    /// Marketing consent (`accepts_marketing`): every audience, where the data has it.
    AcceptsMarketing,
    /// Explicit consent to share data with ad platforms (`ad_consent`): Google, Meta
    /// and TikTok audiences, where the data records it.
    AdConsent,
    /// SMS consent (`sms_consent`, İYS `MESAJ`): SMS lists, which need nothing else.
    SmsConsent,
}

impl ConsentField {
    /// The customer field it is read from.
    pub fn field(self) -> &'static str {
        match self {
            ConsentField::AcceptsMarketing => "accepts_marketing",
            ConsentField::AdConsent => "ad_consent",
            ConsentField::SmsConsent => "sms_consent",
        }
    }

    /// The consent a destination rests on: without this field in the data nobody
    /// is sent (unless the user turns the filter off).
    pub fn primary(platform: Platform) -> ConsentField {
        match platform.kind() {
            DestinationKind::SmsList => ConsentField::SmsConsent,
            _ => ConsentField::AcceptsMarketing,
        }
    }

    /// The consent fields an audience to `platform` requires, of those the data
    /// has: marketing consent for e-mail lists and hashed files, also the consent
    /// to share with ad platforms for Google, Meta and TikTok, SMS consent for SMS lists.
    pub fn required(data: &CustomerData, platform: Platform) -> Vec<ConsentField> {
        let wanted: &[ConsentField] = match platform.kind() {
            DestinationKind::AdPlatform => &[ConsentField::AcceptsMarketing, ConsentField::AdConsent],
            DestinationKind::HashedFile | DestinationKind::EmailList => &[ConsentField::AcceptsMarketing],
            DestinationKind::SmsList => &[ConsentField::SmsConsent],
        };
        wanted.iter().copied().filter(|c| data.customers.column(c.field()).is_ok()).collect()
    }
}

/// How the consent filter went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// Only customers with every required consent field yes ([`AudienceRows::basis`]).
    Applied,
    /// Asked for, but the customers have no consent field the destination rests
    /// on: nobody is sent until the user chooses to send everyone.
    NoField,
    /// Everyone is sent (the user chose so).
    Ignored,
}

/// Everything an audience would send, per member.
#[derive(Debug, Clone, PartialEq)]
pub struct AudienceRows {
    pub platform: Platform,
    pub identifiers: Vec<Identifier>,
    /// Members whose e-mail is a marketplace's relay address (left out of the e-mail identifier).
    pub relay_emails: usize,
    /// Segment members before the consent filter.
    pub segment_members: usize,
    pub consent: Consent,
    /// The consent fields every member sent has as yes (empty unless applied).
    pub basis: Vec<ConsentField>,
    /// Segment members left out for lacking one of them.
    pub no_consent: usize,
    /// What the members sent are predicted to spend in the next 12 months (the sum
    /// of `predicted_clv_12m`), where the orders allowed a prediction.
    pub predicted_revenue_12m: Option<f64>,
    pub rows: Vec<MemberRow>,
}

/// What to build.
pub struct AudienceRequest<'a> {
    pub platform: Platform,
    /// Chosen identifiers (those the platform takes and the data has are kept).
    pub identifiers: &'a [Identifier],
    pub consent_only: bool,
    pub region: PhoneRegion,
}

/// The members that pass the consent filter, with their identifiers normalised and
/// hashed for the platform, in customer-table order.
pub fn audience_rows(
    data: &CustomerData,
    members: &[IdxSize],
    request: &AudienceRequest<'_>,
) -> PolarsResult<AudienceRows> {
    let identifiers: Vec<Identifier> = request
        .platform
        .identifiers()
        .iter()
        .copied()
        .filter(|i| request.identifiers.contains(i) && i.available(data))
        .collect();
    let basis = if request.consent_only { ConsentField::required(data, request.platform) } else { Vec::new() };
    let (consent, kept) = consented(data, members, request.consent_only, &basis)?;
    let columns = Columns::read(data)?;
    let this_year = data.as_of.year();
    let cache = PhoneCache::default();
    let rows: Vec<MemberRow> = kept
        .par_chunks(4096)
        .flat_map_iter(|chunk| {
            chunk
                .iter()
                .map(|&row| {
                    let values = identifiers
                        .iter()
                        .map(|id| {
                            columns.normalised(*id, row as usize, request.platform, request.region, this_year, &cache)
                        })
                        .collect();
                    MemberRow { row, customer_id: columns.text("customer_id", row as usize), values }
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let relay_emails = if identifiers.contains(&Identifier::Email) {
        rows.iter().filter(|m| columns.get("email", m.row as usize).is_some_and(normalise::is_relay_email)).count()
    } else {
        0
    };
    let predicted_revenue_12m = match data.customers.column("predicted_clv_12m") {
        Ok(column) => {
            let values = column.cast(&DataType::Float64)?;
            let values = values.f64()?;
            Some(rows.iter().filter_map(|m| values.get(m.row as usize)).sum())
        }
        Err(_) => None,
    };
    Ok(AudienceRows {
        platform: request.platform,
        identifiers,
        relay_emails,
        predicted_revenue_12m,
        segment_members: members.len(),
        consent,
        no_consent: if consent == Consent::Applied { members.len() - rows.len() } else { 0 },
        basis,
        rows,
    })
}

/// The members with every consent of `basis` yes, or all of them when not asked
/// to filter (nobody when asked but the data records no consent at all).
fn consented(
    data: &CustomerData,
    members: &[IdxSize],
    consent_only: bool,
    basis: &[ConsentField],
) -> PolarsResult<(Consent, Vec<IdxSize>)> {
    if !consent_only {
        return Ok((Consent::Ignored, members.to_vec()));
    }
    if basis.is_empty() {
        return Ok((Consent::NoField, Vec::new()));
    }
    let columns: Vec<BooleanChunked> =
        basis.iter().map(|c| data.customers.column(c.field())?.bool().cloned()).collect::<PolarsResult<_>>()?;
    let kept =
        members.iter().copied().filter(|&r| columns.iter().all(|yes| yes.get(r as usize) == Some(true))).collect();
    Ok((Consent::Applied, kept))
}

/// The customer columns identifiers are read from, as text.
struct Columns {
    text: Vec<(&'static str, StringChunked)>,
    birth: Option<Int32Chunked>,
}

impl Columns {
    fn read(data: &CustomerData) -> PolarsResult<Self> {
        let mut text = Vec::new();
        for name in [
            "customer_id",
            "email",
            "phone",
            "first_name",
            "last_name",
            "name",
            "country_code",
            "zip",
            "city",
            "region",
            "gender",
        ] {
            if let Ok(c) = data.customers.column(name) {
                text.push((name, c.cast(&DataType::String)?.str()?.clone()));
            }
        }
        let birth = match data.customers.column("birth_date") {
            Ok(c) => Some(c.cast(&DataType::Int32)?.i32()?.clone()),
            Err(_) => None,
        };
        Ok(Self { text, birth })
    }

    fn text(&self, name: &str, row: usize) -> Option<String> {
        self.get(name, row).map(str::to_owned)
    }

    fn get(&self, name: &str, row: usize) -> Option<&str> {
        let (_, column) = self.text.iter().find(|(n, _)| *n == name)?;
        column.get(row).map(str::trim).filter(|v| !v.is_empty())
    }

    /// First and last name: their own columns, else split from the full name (the
    /// last word is the last name).
    fn name_part(&self, first: bool, row: usize) -> Option<String> {
        if let Some(v) = self.get(if first { "first_name" } else { "last_name" }, row) {
            return Some(v.to_owned());
        }
        let full = self.get("name", row)?;
        let (rest, last) = full.rsplit_once(char::is_whitespace)?;
        Some(if first { rest.trim().to_owned() } else { last.to_owned() })
    }

    fn normalised(
        &self,
        id: Identifier,
        row: usize,
        platform: Platform,
        region: PhoneRegion,
        this_year: i32,
        cache: &PhoneCache,
    ) -> Option<Normalised> {
        use normalise as n;
        let meta = platform == Platform::Meta;
        let country = self.get("country_code", row);
        if platform.in_clear() {
            // The user's own e-mail or SMS service: addresses and numbers checked and
            // written one way, names as written.
            let normalized = match id {
                Identifier::Email if n::is_relay_email(self.get("email", row)?) => None,
                Identifier::Email => n::meta_email(self.get("email", row)?),
                Identifier::Phone => n::phone_e164(self.get("phone", row)?, region, cache),
                Identifier::FirstName | Identifier::LastName => {
                    n::clean_name(&self.name_part(id == Identifier::FirstName, row)?)
                }
                _ => None,
            }?;
            let sha256 = Some(n::Sha256Hash::of(&normalized));
            return Some(Normalised { normalized, sha256 });
        }
        let normalized = match id {
            // A marketplace's relay address matches nobody: never sent.
            Identifier::Email if n::is_relay_email(self.get("email", row)?) => None,
            Identifier::Email if meta => n::meta_email(self.get("email", row)?),
            Identifier::Email => n::google_email(self.get("email", row)?),
            Identifier::Phone if matches!(platform, Platform::Meta | Platform::Tiktok) => {
                n::meta_phone(self.get("phone", row)?, region, cache)
            }
            Identifier::Phone => n::phone_e164(self.get("phone", row)?, region, cache),
            Identifier::FirstName | Identifier::LastName => {
                let part = self.name_part(id == Identifier::FirstName, row)?;
                if meta { n::meta_letters(&part) } else { n::google_name(&part) }
            }
            Identifier::Country if meta => n::meta_code(country?),
            Identifier::Country => n::google_country(country?),
            Identifier::Zip if meta => n::meta_zip(self.get("zip", row)?, country),
            Identifier::Zip => n::google_zip(self.get("zip", row)?, country),
            Identifier::City => n::meta_letters(self.get("city", row)?),
            Identifier::State => n::meta_letters(self.get("region", row)?),
            Identifier::Gender => n::meta_gender(self.get("gender", row)?),
            Identifier::BirthYear => {
                let days = self.birth.as_ref()?.get(row)?;
                let date = crate::engine::import::columns::days_to_date(days)?;
                n::birth_year(date.year(), this_year)
            }
        }?;
        let sha256 = (!id.in_clear(platform)).then(|| n::Sha256Hash::of(&normalized));
        Some(Normalised { normalized, sha256 })
    }
}

/// A reason to look twice before sending.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Warning {
    /// Fewer members than the platform needs to serve the audience.
    BelowMinimum { members: usize, minimum: usize },
    /// The name suggests health or financial status, which platforms reject.
    SensitiveName { word: String },
    /// Members with no usable identifier (left out of files and pushes).
    NoIdentifier { members: usize },
    /// Consent was asked for but the customers have no field of the consent the
    /// destination rests on.
    NoConsentField { field: ConsentField },
    /// Members whose only e-mail is a marketplace's relay address (never sent).
    MarketplaceEmail { members: usize },
}

/// Words an ad platform may take as health or financial-status targeting (Meta
/// flags such audiences since September 2025), in English and Turkish.
const SENSITIVE_WORDS: &[&str] = &[
    "income", "credit", "debt", "loan", "salary", "wealthy", "rich", "poor", "health", "diabetes", "pregnan", "cancer",
    "disease", "illness", "medical", "gelir", "kredi", "borç", "maaş", "zengin", "fakir", "yoksul", "sağlık", "hasta",
    "hamile", "diyabet", "kanser", "ilaç",
];

/// The preview of an audience: what would leave the machine, and warnings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    pub platform: Platform,
    pub segment_members: usize,
    pub consent: Consent,
    /// The consent fields required (members lacking any are left out).
    pub basis: Vec<ConsentField>,
    /// Segment members left out for lacking consent.
    pub no_consent: usize,
    /// Members after the consent filter.
    pub members: usize,
    /// Their predicted spend in the next 12 months (see [`AudienceRows`]).
    pub predicted_revenue_12m: Option<f64>,
    /// Members with at least one usable identifier that matches people.
    pub with_identifier: usize,
    /// `with_identifier / members`.
    pub match_ready_share: Option<f64>,
    /// Per identifier: members for whom it is usable.
    pub usable: Vec<(Identifier, usize)>,
    pub warnings: Vec<Warning>,
}

/// The preview of built rows for an audience named `name`.
pub fn preview(name: &str, rows: &AudienceRows) -> Preview {
    let with_identifier = rows.rows.iter().filter(|r| r.matchable(&rows.identifiers, rows.platform)).count();
    let usable = rows
        .identifiers
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, rows.rows.iter().filter(|r| r.values[i].is_some()).count()))
        .collect();
    let mut warnings = Vec::new();
    if rows.consent == Consent::NoField {
        warnings.push(Warning::NoConsentField { field: ConsentField::primary(rows.platform) });
    }
    if let Some(minimum) = rows.platform.minimum_members()
        && with_identifier < minimum
    {
        warnings.push(Warning::BelowMinimum { members: with_identifier, minimum });
    }
    let lowered = crate::engine::text::fold_case(name);
    if let Some(word) = SENSITIVE_WORDS.iter().find(|w| lowered.contains(&crate::engine::text::fold_case(w))) {
        warnings.push(Warning::SensitiveName { word: (*word).to_owned() });
    }
    if rows.relay_emails > 0 {
        warnings.push(Warning::MarketplaceEmail { members: rows.relay_emails });
    }
    let missing = rows.rows.len() - with_identifier;
    if missing > 0 {
        warnings.push(Warning::NoIdentifier { members: missing });
    }
    let members = rows.rows.len();
    Preview {
        platform: rows.platform,
        segment_members: rows.segment_members,
        consent: rows.consent,
        basis: rows.basis.clone(),
        no_consent: rows.no_consent,
        members,
        predicted_revenue_12m: rows.predicted_revenue_12m,
        with_identifier,
        match_ready_share: (members > 0).then(|| with_identifier as f64 / members as f64),
        usable,
        warnings,
    }
}
