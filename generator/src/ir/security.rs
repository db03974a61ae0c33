//! Security schemes → how the client applies credentials.

use crate::diagnostics::Diagnostic;
use crate::names::{self, Namespace};
use crate::pointer::Pointer;
use crate::spec::ParameterLocation;

use super::lower::Lowerer;
use super::{docs, SecurityKind, SecurityScheme};

impl Lowerer<'_> {
    /// Lowers `components.securitySchemes`; a scheme the client cannot apply is reported and left out.
    pub(super) fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let mut rust_names = Namespace::with_reserved(&["config", "base_url"]);
        let mut schemes = Vec::new();
        for (key, scheme) in &self.document.components.security_schemes {
            let at = Pointer::root()
                .join("components")
                .join("securitySchemes")
                .join(key);
            let kind = match (
                scheme.kind.as_deref(),
                scheme.location,
                &scheme.name,
                scheme.scheme.as_deref(),
            ) {
                (Some("apiKey"), Some(location), Some(name), _) => {
                    let name = name.clone();
                    match location {
                        ParameterLocation::Query => SecurityKind::ApiKeyQuery { name },
                        ParameterLocation::Header => SecurityKind::ApiKeyHeader { name },
                        ParameterLocation::Cookie => SecurityKind::ApiKeyCookie { name },
                        ParameterLocation::Path => {
                            self.error(Diagnostic::error(
                                &at.join("in"),
                                "an API key cannot go in the path",
                            ));
                            continue;
                        }
                    }
                }
                (Some("apiKey"), _, _, _) => {
                    self.error(Diagnostic::error(
                        &at,
                        "an apiKey scheme needs `name` and `in`",
                    ));
                    continue;
                }
                (Some("http"), _, _, Some(s)) if s.eq_ignore_ascii_case("bearer") => {
                    SecurityKind::Bearer
                }
                (Some("http"), _, _, Some(s)) if s.eq_ignore_ascii_case("basic") => {
                    SecurityKind::Basic
                }
                (Some("oauth2" | "openIdConnect"), _, _, _) => SecurityKind::Bearer,
                (kind, _, _, _) => {
                    self.error(Diagnostic::warning(
                        &at,
                        format!("security scheme of type `{}` is not supported; operations that need it are sent without it", kind.unwrap_or("?")),
                    ));
                    continue;
                }
            };
            schemes.push(SecurityScheme {
                key: key.clone(),
                rust_name: rust_names.claim(&names::snake_name(key)),
                kind,
                docs: docs::join(&[scheme.description.as_deref()]),
            });
        }
        schemes
    }
}
