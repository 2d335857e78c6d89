//! Automatic column mapping: which column of a file feeds which canonical field,
//! and which columns are kept as custom fields. The user can override any column.

use serde::{Deserialize, Serialize};

use crate::engine::fields::{FieldType, SourceKind, canonical_fields, header_key};

/// Where one column of a file goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnTarget {
    /// A canonical field, by id.
    Field(String),
    /// Kept as a custom field of this type (`None`: inferred from the values).
    Custom(Option<FieldType>),
    /// Not imported.
    Ignore,
}

/// A user's choice for one header, saved with the data source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingOverride {
    pub header: String,
    pub target: ColumnTarget,
}

impl MappingOverride {
    /// Parses `Header=field`, `Header=custom`, `Header=custom:number` or `Header=ignore`.
    pub fn parse(spec: &str, kind: SourceKind) -> Result<Self, String> {
        let (header, target) =
            spec.rsplit_once('=').ok_or_else(|| format!("\"{spec}\" should look like \"Header=field\"."))?;
        let target = target.trim();
        let target = if target.eq_ignore_ascii_case("ignore") || target == "-" {
            ColumnTarget::Ignore
        } else if target == "custom" {
            ColumnTarget::Custom(None)
        } else if let Some(ty) = target.strip_prefix("custom:") {
            ColumnTarget::Custom(Some(FieldType::from_id(ty).ok_or_else(|| format!("\"{ty}\" is not a field type."))?))
        } else if canonical_fields(kind).iter().any(|f| f.id == target) {
            ColumnTarget::Field(target.to_owned())
        } else {
            let known: Vec<&str> = canonical_fields(kind).iter().map(|f| f.id).collect();
            return Err(format!(
                "\"{target}\" is not a {} field; use one of {}, custom or ignore.",
                kind.id(),
                known.join(", ")
            ));
        };
        Ok(Self { header: header.trim().to_owned(), target })
    }
}

/// Maps every header: overrides first, then each canonical field claims the first
/// header matching its aliases (in alias priority order); the rest are custom.
pub fn auto_map(headers: &[String], kind: SourceKind, overrides: &[MappingOverride]) -> Vec<ColumnTarget> {
    let mut targets: Vec<Option<ColumnTarget>> = headers
        .iter()
        .map(|h| overrides.iter().find(|o| o.header.trim().eq_ignore_ascii_case(h.trim())).map(|o| o.target.clone()))
        .collect();
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    for field in canonical_fields(kind) {
        let taken = targets.iter().any(|t| matches!(t, Some(ColumnTarget::Field(id)) if id == field.id));
        if taken {
            continue;
        }
        let found = field.aliases.iter().find_map(|alias| {
            keys.iter().enumerate().find(|(i, k)| k == alias && targets[*i].is_none()).map(|(i, _)| i)
        });
        if let Some(i) = found {
            targets[i] = Some(ColumnTarget::Field(field.id.to_owned()));
        }
    }
    targets.into_iter().map(|t| t.unwrap_or(ColumnTarget::Custom(None))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(id: &str) -> ColumnTarget {
        ColumnTarget::Field(id.to_owned())
    }

    #[test]
    fn maps_turkish_headers() {
        let headers: Vec<String> =
            ["Müşteri No", "Ad Soyad", "E-posta", "Telefon", "Şehir", "Toplam Harcama (TL)", "Not"]
                .map(String::from)
                .to_vec();
        let m = auto_map(&headers, SourceKind::Customers, &[]);
        assert_eq!(
            m,
            vec![
                field("customer_id"),
                field("name"),
                field("email"),
                field("phone"),
                field("city"),
                field("ltv"),
                ColumnTarget::Custom(None)
            ]
        );
    }

    #[test]
    fn overrides_win_and_free_the_alias() {
        let headers: Vec<String> = ["Kaynak", "Kanal"].map(String::from).to_vec();
        let o = MappingOverride::parse("Kaynak=custom", SourceKind::Customers).unwrap();
        let m = auto_map(&headers, SourceKind::Customers, &[o]);
        assert_eq!(m, vec![ColumnTarget::Custom(None), field("channel")]);
        assert!(MappingOverride::parse("X=nonsense", SourceKind::Customers).is_err());
        assert_eq!(
            MappingOverride::parse("Puan=custom:number", SourceKind::Customers).unwrap().target,
            ColumnTarget::Custom(Some(FieldType::Number))
        );
    }
}
