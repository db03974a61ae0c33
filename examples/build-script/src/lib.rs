//! A tiny application that generates its lotinfo client at build time: `build.rs` writes the
//! client into `OUT_DIR` as the module `lotinfo`, included here at the crate's root (its code
//! names its items `crate::lotinfo::…`).

include!(concat!(env!("OUT_DIR"), "/lotinfo.rs"));

use lotinfo::models::{FieldValue, ListClientsRequest};

/// A client of the lotinfo API at `base_url`, sending `token` as the API's token.
pub fn connect(base_url: &str, token: &str) -> Result<lotinfo::Client, lotinfo::Error> {
    lotinfo::Client::with_config(
        lotinfo::Client::config()
            .base_url(base_url)
            .credential("token", token),
    )
}

/// The full names (`fio`) of the first `limit` clients, with the director's one-time `code`:
/// what the application does with the generated module.
pub async fn client_names(
    client: &lotinfo::Client,
    code: i64,
    limit: i64,
) -> Result<Vec<String>, lotinfo::Error> {
    let request = ListClientsRequest {
        projection: Some(vec!["fio".to_owned()]),
        limit: Some(limit),
        ..ListClientsRequest::new(code)
    };
    let response = client.list_clients(&request).await?;
    Ok(response
        .result
        .iter()
        .filter_map(|fields| fields.get("fio"))
        .flat_map(|fio| &fio.values)
        .filter_map(|value| match value {
            FieldValue::PlainFieldValue(plain) => plain.value.as_str().map(str::to_owned),
            _ => None,
        })
        .collect())
}
