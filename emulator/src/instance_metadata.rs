//! The CVM instance metadata service's credential paths, served beside the API as on an
//! instance with a CAM role bound: the role's name, then temporary credentials for it that the
//! emulator accepts until they expire. Other metadata paths are not served.

use http::{Method, Request, StatusCode};
use serde_json::json;

use crate::emulator::{DEFAULT_CREDENTIAL_LIFETIME_SECS, Shared};
use crate::keyring::unix_now;
use crate::response::{HttpResponse, json_response, text};

/// Where a CVM instance reads its role's credentials.
const ROLE_PATH: &str = "/latest/meta-data/cam/security-credentials/";

/// The answer to a `GET` of a metadata path; `None` for any other request.
pub(crate) fn answer<B>(shared: &Shared, request: &Request<B>) -> Option<HttpResponse> {
    let path = request.uri().path();
    if request.method() != Method::GET || !path.starts_with("/latest/meta-data/") {
        return None;
    }
    let role = shared.instance_role.as_deref();
    let asked = path.strip_prefix(ROLE_PATH);
    Some(match (role, asked) {
        (Some(role), Some("")) => text(StatusCode::OK, role.to_owned()),
        (Some(role), Some(asked)) if asked == role => {
            let lifetime = shared
                .credential_lifetime
                .unwrap_or(DEFAULT_CREDENTIAL_LIFETIME_SECS)
                .min(DEFAULT_CREDENTIAL_LIFETIME_SECS);
            let lifetime = i64::try_from(lifetime).unwrap_or(i64::MAX);
            let issued = shared.keyring.issue(unix_now().saturating_add(lifetime));
            let document = json!({
                "TmpSecretId": issued.secret_id,
                "TmpSecretKey": issued.secret_key,
                "Token": issued.token,
                "ExpiredTime": issued.expired_time,
                "Expiration": issued.expiration(),
                "Code": "Success",
            });
            json_response(StatusCode::OK, &document)
        }
        _ => text(StatusCode::NOT_FOUND, String::new()),
    })
}
