//! Tests of the OAuth2 authorization server: the browser flow through the real HTML pages
//! (`flow`, `authorize_errors`, `signin`), the token endpoint's grants (`grants`), and
//! client authentication and revocation (`clients`). `person` scripts the HTML.

mod authorize_errors;
mod clients;
mod flow;
mod grants;
mod hostile;
mod person;
mod remember;
mod signin;
