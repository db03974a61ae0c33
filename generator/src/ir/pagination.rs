//! `x-pagination` → how the client walks a list operation's pages.

use crate::diagnostics::Diagnostic;
use crate::pointer::Pointer;
use crate::spec::PaginationSpec;

use super::lower::Lowerer;
use super::{Field, Pagination, RequestBody, Shape, TypeKind, TypeRef};

impl Lowerer<'_> {
    /// Checks `x-pagination` against the operation's body and response: the limit and offset must
    /// be integer fields of the JSON body object, the items a list field of the response object.
    /// A mismatch is reported and the operation gets no page walker.
    pub(super) fn lower_pagination(
        &mut self,
        spec: &PaginationSpec,
        body: Option<&RequestBody>,
        response: Option<&Shape>,
        at: &Pointer,
    ) -> Option<Pagination> {
        let found = (|| {
            let body_fields = self
                .struct_fields(body.map(|b| &b.shape))
                .ok_or("the request body is not an object")?;
            let response_fields = self
                .struct_fields(response)
                .ok_or("the response body is not an object")?;
            let integer = |fields: &[Field], name: &str| {
                fields
                    .iter()
                    .find(|f| f.wire_name == name && matches!(f.shape.ty, TypeRef::Integer(_)))
                    .cloned()
            };
            let limit = integer(&body_fields, &spec.limit)
                .ok_or("the limit is not an integer property of the request body")?;
            let offset = integer(&body_fields, &spec.offset)
                .ok_or("the offset is not an integer property of the request body")?;
            let items = response_fields
                .iter()
                .find(|f| f.wire_name == spec.items)
                .ok_or("the items are not a property of the response body")?;
            let TypeRef::Array(item) = &items.shape.ty else {
                return Err("the items property of the response body is not a list");
            };
            Ok(Pagination {
                rust_name: String::new(),
                limit_field: limit.rust_name.clone(),
                limit_optional: !limit.required,
                offset_field: offset.rust_name.clone(),
                offset_optional: !offset.required,
                items_field: items.rust_name.clone(),
                items_optional: !items.required || items.shape.nullable,
                item: (**item).clone(),
                default_limit: limit.default.as_ref().and_then(serde_json::Value::as_i64),
            })
        })();
        match found {
            Ok(pagination) => Some(pagination),
            Err(reason) => {
                self.error(Diagnostic::warning(
                    at,
                    format!("{reason}; no page walker is generated"),
                ));
                None
            }
        }
    }

    /// The fields of the struct a shape names, if it names one.
    fn struct_fields(&self, shape: Option<&Shape>) -> Option<Vec<Field>> {
        let TypeRef::Named(id) = shape?.ty else {
            return None;
        };
        match &self.types.get(&id)?.kind {
            TypeKind::Struct(def) => Some(def.fields.clone()),
            _ => None,
        }
    }
}
