//! [`Profiles`]: the built-in provider profiles plus the settings file's, and which one is
//! the default.

use super::methods::ProviderKind;
use super::profiles::{
    ProviderProfile, DEFAULT_REDIRECT_SCHEME, IGTIMI_PROFILE_ID, SIMULATOR_PROFILE_ID,
};
use crate::config::{Config, ConfigError};
use url::Url;

/// Every provider profile the app knows, in a stable order: the built-in Sailing Analytics
/// (Riot) and Igtimi-compatible (old API) profiles, the embedded simulator's two dialects,
/// then the settings file's `[[providers]]` in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profiles {
    profiles: Vec<ProviderProfile>,
    default: ProviderProfile,
}

impl Profiles {
    /// The profiles `config` describes. The built-in Igtimi profile takes the top-level
    /// `server`, `client_id`, `client_secret` and `scopes` (after the environment variables).
    /// The default is `default_provider` when set, else Igtimi when it has a client id,
    /// else the simulator (the offline demo).
    pub fn from_config(config: &Config) -> Result<Profiles, ConfigError> {
        let mut profiles = vec![
            ProviderProfile::sailing_analytics(),
            igtimi_profile(config)?,
            ProviderProfile::simulator(),
            ProviderProfile::simulator_riot(),
        ];
        profiles.extend(config.providers.iter().cloned());
        for (index, profile) in profiles.iter().enumerate() {
            if profiles
                .iter()
                .skip(index + 1)
                .any(|other| other.id == profile.id)
            {
                return Err(ConfigError::Unusable {
                    message: format!("two provider profiles have the id `{}`", profile.id),
                });
            }
        }
        let default_id = match &config.default_provider {
            Some(id) => id.clone(),
            None if config.client_id.is_some() => IGTIMI_PROFILE_ID.to_string(),
            None => SIMULATOR_PROFILE_ID.to_string(),
        };
        let default = profiles
            .iter()
            .find(|profile| profile.id == default_id)
            .cloned()
            .ok_or_else(|| ConfigError::Unusable {
                message: format!("the default provider `{default_id}` is not a known profile"),
            })?;
        Ok(Profiles { profiles, default })
    }

    /// All profiles, in the stable order described on [`Profiles`].
    pub fn all(&self) -> &[ProviderProfile] {
        &self.profiles
    }

    /// The profile with `id`, if there is one.
    pub fn get(&self, id: &str) -> Option<&ProviderProfile> {
        self.profiles.iter().find(|profile| profile.id == id)
    }

    /// The profile a new sign-in uses unless the user picks another.
    pub fn default_profile(&self) -> &ProviderProfile {
        &self.default
    }
}

/// The built-in Igtimi profile from the top-level settings.
fn igtimi_profile(config: &Config) -> Result<ProviderProfile, ConfigError> {
    let base_url = Url::parse(&config.server).map_err(|error| ConfigError::Unusable {
        message: format!(
            "the server address `{}` is not usable: {error}",
            config.server
        ),
    })?;
    Ok(ProviderProfile {
        id: IGTIMI_PROFILE_ID.to_string(),
        // Igtimi's own cloud closed in January 2025; the old API lives on in compatible
        // servers (and archives), which is what this profile is for now.
        name: "Igtimi-compatible server (old API)".to_string(),
        kind: ProviderKind::Igtimi,
        base_url: Some(base_url),
        api_url: None,
        client_id: config.client_id.clone(),
        client_secret: config.client_secret.clone(),
        scopes: config.scopes.clone(),
        redirect_scheme: DEFAULT_REDIRECT_SCHEME.to_string(),
        // The legacy grants only when the settings ask for them (`methods`).
        methods: config
            .methods
            .clone()
            .unwrap_or_else(|| ProviderKind::Igtimi.default_methods()),
    })
}
