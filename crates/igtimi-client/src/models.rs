//! The shapes the Igtimi API answers with, parsed leniently: optional fields may be missing
//! or `null`, ids may be floats, unknown fields are ignored.

use serde::Deserialize;

/// The signed-in user, from `GET /api/v1/account`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Account {
    /// The user's id.
    #[serde(deserialize_with = "crate::flex::id")]
    pub id: u64,
    /// Given name, when the server has one.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Family name, when the server has one.
    #[serde(default)]
    pub surname: Option<String>,
    /// E-mail address, when the server shares it.
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the account is a "blob" account (rarely present).
    #[serde(default)]
    pub blob: Option<bool>,
}

impl Account {
    /// A name to show: "first surname", whichever parts exist, else the e-mail, else the id.
    pub fn display_name(&self) -> String {
        let parts: Vec<&str> = [self.first_name.as_deref(), self.surname.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect();
        if !parts.is_empty() {
            return parts.join(" ");
        }
        match self.email.as_deref().map(str::trim) {
            Some(email) if !email.is_empty() => email.to_owned(),
            _ => format!("user {}", self.id),
        }
    }
}

/// The `{"user": {...}}` wrapper around an [`Account`].
#[derive(Debug, Deserialize)]
pub(crate) struct AccountEnvelope {
    pub(crate) user: Account,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_name_falls_back_sensibly() {
        let mut account = Account {
            id: 7,
            first_name: Some("Ada".into()),
            surname: Some("Sailor".into()),
            email: Some("ada@example.org".into()),
            blob: None,
        };
        assert_eq!(account.display_name(), "Ada Sailor");
        account.surname = Some("  ".into());
        assert_eq!(account.display_name(), "Ada");
        account.first_name = None;
        assert_eq!(account.display_name(), "ada@example.org");
        account.email = None;
        assert_eq!(account.display_name(), "user 7");
    }
}
