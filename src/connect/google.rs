//! Google's Data Manager API (`datamanager.googleapis.com`): customer-list members
//! are added with `POST /v1/audienceMembers:ingest` and taken out with
//! `POST /v1/audienceMembers:remove`, at most 10,000 members a request, hashes as
//! lowercase hex (`encoding: HEX`). The old Google Ads API Customer Match is closed
//! to new users, so this is the only API route.

use serde_json::{Value, json};

use super::http::{Client, Endpoint, Method};
use crate::engine::audience::diff::Change;
use crate::engine::audience::{GoogleDestination, Identifier};

/// Where the API lives, unless told otherwise.
pub const DEFAULT_ENDPOINT: &str = "https://datamanager.googleapis.com";

/// Members in one request, at most.
pub const BATCH: usize = 10_000;

/// One member as Google's `AudienceMember`, or `None` when it has nothing Google
/// matches on (email, phone, or a whole address: both names, country and postal
/// code).
pub fn audience_member(identifiers: &[Identifier], values: &[String]) -> Option<Value> {
    let value = |id: Identifier| {
        identifiers.iter().position(|i| *i == id).map(|i| values[i].as_str()).filter(|v| !v.is_empty())
    };
    let mut ids = Vec::new();
    if let Some(email) = value(Identifier::Email) {
        ids.push(json!({ "emailAddress": email }));
    }
    if let Some(phone) = value(Identifier::Phone) {
        ids.push(json!({ "phoneNumber": phone }));
    }
    let address =
        (value(Identifier::FirstName), value(Identifier::LastName), value(Identifier::Country), value(Identifier::Zip));
    if let (Some(given), Some(family), Some(region), Some(postal)) = address {
        ids.push(json!({ "address": {
            "givenName": given, "familyName": family, "regionCode": region, "postalCode": postal
        }}));
    }
    (!ids.is_empty()).then(|| json!({ "userData": { "userIdentifiers": ids } }))
}

fn destinations(destination: &GoogleDestination) -> Value {
    let mut d = json!({
        "reference": "kitle",
        "operatingAccount": { "accountType": "GOOGLE_ADS", "accountId": destination.account_id },
        "productDestinationId": destination.user_list_id,
    });
    if let Some(login) = &destination.login_account_id {
        d["loginAccount"] = json!({ "accountType": "GOOGLE_ADS", "accountId": login });
    }
    json!([d])
}

/// The body of an ingest request. Consent is granted only when the members were
/// filtered to those who accepted marketing; otherwise it is left unspecified.
pub fn ingest_body(destination: &GoogleDestination, members: Vec<Value>, consent_granted: bool) -> Value {
    let mut body = json!({
        "destinations": destinations(destination),
        "audienceMembers": members,
        "encoding": "HEX",
        "termsOfService": { "customerMatchTermsOfServiceStatus": "ACCEPTED" },
    });
    if consent_granted {
        body["consent"] = json!({ "adUserData": "CONSENT_GRANTED", "adPersonalization": "CONSENT_GRANTED" });
    }
    body
}

/// The body of a remove request (an ingest body without consent and terms).
pub fn remove_body(destination: &GoogleDestination, members: Vec<Value>) -> Value {
    json!({ "destinations": destinations(destination), "audienceMembers": members, "encoding": "HEX" })
}

/// Sends Google one batch of changes.
pub struct GoogleSender<'a> {
    pub client: &'a Client,
    pub endpoint: &'a Endpoint,
    pub destination: &'a GoogleDestination,
    pub consent_granted: bool,
}

impl GoogleSender<'_> {
    fn members(identifiers: &[Identifier], batch: &[Change]) -> Vec<Value> {
        batch.iter().filter_map(|c| audience_member(identifiers, &c.values)).collect()
    }

    pub fn add(&self, identifiers: &[Identifier], batch: &[Change]) -> Result<(), super::http::ApiError> {
        let body = ingest_body(self.destination, Self::members(identifiers, batch), self.consent_granted);
        self.client.send_json(Method::Post, &self.endpoint.url("/v1/audienceMembers:ingest"), &body).map(drop)
    }

    pub fn remove(&self, identifiers: &[Identifier], batch: &[Change]) -> Result<(), super::http::ApiError> {
        let body = remove_body(self.destination, Self::members(identifiers, batch));
        self.client.send_json(Method::Post, &self.endpoint.url("/v1/audienceMembers:remove"), &body).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Identifier::*;

    #[test]
    fn members_carry_email_phone_and_a_whole_address_only() {
        let ids = [Email, Phone, FirstName, LastName, Country, Zip];
        let v = |s: [&str; 6]| s.map(str::to_owned).to_vec();
        let full = audience_member(&ids, &v(["e1", "p1", "f1", "l1", "TR", "34000"])).unwrap();
        assert_eq!(
            full,
            json!({"userData": {"userIdentifiers": [
                {"emailAddress": "e1"}, {"phoneNumber": "p1"},
                {"address": {"givenName": "f1", "familyName": "l1", "regionCode": "TR", "postalCode": "34000"}}]}})
        );
        // No postal code: no address; no email or phone: nothing to send.
        let no_zip = audience_member(&ids, &v(["e1", "", "f1", "l1", "TR", ""])).unwrap();
        assert_eq!(no_zip["userData"]["userIdentifiers"].as_array().unwrap().len(), 1);
        assert!(audience_member(&ids, &v(["", "", "f1", "l1", "TR", ""])).is_none());
    }

    #[test]
    fn bodies_follow_the_protos() {
        let dest = GoogleDestination {
            account_id: "123".into(),
            login_account_id: Some("9".into()),
            user_list_id: "77".into(),
        };
        let body = ingest_body(&dest, vec![], true);
        assert_eq!(body["encoding"], "HEX");
        assert_eq!(body["termsOfService"]["customerMatchTermsOfServiceStatus"], "ACCEPTED");
        assert_eq!(body["consent"]["adPersonalization"], "CONSENT_GRANTED");
        assert_eq!(body["destinations"][0]["loginAccount"]["accountId"], "9");
        assert_eq!(body["destinations"][0]["productDestinationId"], "77");
        assert!(ingest_body(&dest, vec![], false).get("consent").is_none());
        let remove = remove_body(&dest, vec![]);
        assert!(remove.get("consent").is_none() && remove.get("termsOfService").is_none());
    }
}
