//! The platforms' upload files: one row per member with at least one usable
//! identifier, hashed as each platform wants (Google's country and postal code in
//! clear, as Google requires; nothing else in clear). E-mail and SMS lists are for
//! the user's own services and hold addresses, E.164 numbers and names in clear,
//! one row per member with the address (or number). Written atomically and
//! readable by the user only, since they hold personal data.

use std::path::Path;

use super::{AudienceRows, Identifier, Platform};
use crate::engine::values::neutralise;

/// A file's header for each identifier it can hold.
fn header(platform: Platform, id: Identifier) -> Option<&'static str> {
    use Identifier::*;
    Some(match (platform, id) {
        (Platform::Google, Email) => "Email",
        (Platform::Google, Phone) => "Phone",
        (Platform::Google, FirstName) => "First Name",
        (Platform::Google, LastName) => "Last Name",
        (Platform::Google, Country) => "Country",
        (Platform::Google, Zip) => "Zip",
        (Platform::Meta, Email) => "email",
        (Platform::Meta, Phone) => "phone",
        (Platform::Meta, FirstName) => "fn",
        (Platform::Meta, LastName) => "ln",
        (Platform::Meta, City) => "ct",
        (Platform::Meta, State) => "st",
        (Platform::Meta, Zip) => "zip",
        (Platform::Meta, Country) => "country",
        (Platform::Meta, Gender) => "gen",
        (Platform::Meta, BirthYear) => "doby",
        (Platform::Tiktok, Email) => "Email_SHA256",
        (Platform::Tiktok, Phone) => "Phone_SHA256",
        (Platform::Hashed, Email) => "email_sha256",
        (Platform::Hashed, Phone) => "phone_sha256",
        (Platform::EmailList, Email) => "Email",
        (Platform::SmsList, Phone) => "Phone",
        (Platform::EmailList | Platform::SmsList, FirstName) => "First Name",
        (Platform::EmailList | Platform::SmsList, LastName) => "Last Name",
        _ => return None,
    })
}

/// The upload file as CSV text. Google's file always has its six columns
/// (`Email,Phone,First Name,Last Name,Country,Zip`), empty where not chosen.
pub fn upload_csv(rows: &AudienceRows) -> Result<Vec<u8>, csv::Error> {
    let columns: Vec<Identifier> = match rows.platform {
        Platform::Google => Platform::Google.identifiers().to_vec(),
        _ => rows.identifiers.clone(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns.iter().filter_map(|id| header(rows.platform, *id)))?;
    let mut record: Vec<String> = Vec::with_capacity(columns.len());
    let clear = rows.platform.in_clear();
    for member in rows.rows.iter().filter(|m| m.matchable(&rows.identifiers, rows.platform)) {
        record.clear();
        for id in &columns {
            let value = rows.identifiers.iter().position(|i| i == id).and_then(|i| member.values[i].as_ref());
            record.push(match value {
                None => String::new(),
                Some(v) => match v.sha256 {
                    Some(h) if !clear => h.hex(),
                    // A checked E.164 number ('+' and digits) is never a formula, and
                    // SMS providers want it as is.
                    _ if *id == Identifier::Phone => v.normalized.clone(),
                    _ => neutralise(&v.normalized).into_owned(),
                },
            });
        }
        w.write_record(&record)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// How many members a file holds.
pub fn written_members(rows: &AudienceRows) -> usize {
    rows.rows.iter().filter(|m| m.matchable(&rows.identifiers, rows.platform)).count()
}

/// Writes the upload file atomically, readable by the user only.
pub fn write_upload_file(rows: &AudienceRows, path: &Path) -> std::io::Result<usize> {
    let bytes = upload_csv(rows).map_err(std::io::Error::other)?;
    crate::engine::files::write_private(path, &bytes)?;
    Ok(written_members(rows))
}
