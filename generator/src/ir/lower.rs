//! Parsed document → [`Api`]: assigns every component schema its id and name, lowers schemas,
//! security schemes and operations, then runs the whole-API passes.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;

use crate::diagnostics::{Diagnostic, Severity, SpecErrors};
use crate::names::{self, Namespace};
use crate::pointer::Pointer;
use crate::spec::{self, Document};

use super::read_ahead::PathItems;
use super::{docs, post, Api, Layout, Place, Settings, Shape, TypeDef, TypeId};

/// Lowers a parsed document. Returns the API and the warnings, or every problem found when at
/// least one of them is an error.
pub fn lower(document: &Document) -> Result<(Api, Vec<Diagnostic>), SpecErrors> {
    lower_with(document, &Settings::default())
}

/// [`lower`], doing what the configuration asks: renames, derives, the operations it selects and
/// the client's defaults. A request that cannot be honoured is an error at its key.
pub fn lower_with(
    document: &Document,
    settings: &Settings,
) -> Result<(Api, Vec<Diagnostic>), SpecErrors> {
    let (api, diagnostics) = lower_document(document, settings);
    finish(api, diagnostics, settings)
}

/// [`lower_with`], handing the document to `release` (which drops it) once nothing reads it any
/// more: on this thread, while another runs the passes over the whole API. Freeing a large
/// document takes as long as some of those passes, and the thread that made it frees it fastest.
pub(crate) fn lower_with_then_release(
    document: Document,
    settings: &Settings,
    release: impl FnOnce(Document),
) -> Result<(Api, Vec<Diagnostic>), SpecErrors> {
    let (api, diagnostics) = lower_document(&document, settings);
    std::thread::scope(|scope| {
        let finished = crate::spawn_with_large_stack(scope, || finish(api, diagnostics, settings));
        release(document);
        crate::joined_result(finished)
    })
}

/// The part of the lowering that reads the document: every type and operation, before the passes
/// over the whole API.
fn lower_document(document: &Document, settings: &Settings) -> (Api, Vec<Diagnostic>) {
    std::thread::scope(|scope| {
        let path_items = super::read_ahead::path_items(scope, document);
        lower_document_with(document, settings, path_items)
    })
}

/// [`lower_document`] with the path items read ahead, if they are.
fn lower_document_with(
    document: &Document,
    settings: &Settings,
    path_items: Option<PathItems>,
) -> (Api, Vec<Diagnostic>) {
    let mut lowerer = Lowerer::new(document, settings);
    lowerer.check_version();
    let names: Vec<String> = document.components.schemas.keys().cloned().collect();
    for name in &names {
        lowerer.ensure_component(name);
    }
    // Before operations: their examples are checked against these types.
    lowerer.cut_alias_cycles();
    let security_schemes = lowerer.lower_security_schemes();
    let operations = lowerer.lower_operations(&security_schemes, path_items);
    let api = Api {
        title: document.info.title.clone(),
        name_in_prose: names::api_in_prose(&document.info.title),
        version: document.info.version.clone(),
        docs: docs::join(&[document.info.description.as_deref()]),
        base_url: document
            .servers
            .first()
            .map(|s| s.url.trim_end_matches('/').to_owned()),
        security_schemes,
        types: std::mem::take(&mut lowerer.types),
        modules: Vec::new(),
        operations,
        operation_groups: Vec::new(),
        tag_docs: document
            .tags
            .iter()
            .filter_map(|tag| {
                let docs = docs::join(&[tag.description.as_deref()])?;
                Some((tag.name.clone(), docs))
            })
            .collect(),
        format_crates: Default::default(),
        layout: Layout::Crate,
        client_defaults: settings.client,
        blocking: settings.blocking,
        date_time: settings.date_time,
    };
    lowerer.report_unused_field_renames();
    (api, lowerer.diagnostics)
}

/// The passes over the whole API (`post.rs`), and the outcome: the API, or the errors.
fn finish(
    mut api: Api,
    mut diagnostics: Vec<Diagnostic>,
    settings: &Settings,
) -> Result<(Api, Vec<Diagnostic>), SpecErrors> {
    let reported = post::run(&mut api, !settings.selection.is_active());
    diagnostics.extend(reported);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        Err(SpecErrors { diagnostics })
    } else {
        Ok((api, diagnostics))
    }
}

/// The state of one lowering.
pub(super) struct Lowerer<'a> {
    pub(super) document: &'a Document,
    /// What the configuration asks.
    pub(super) settings: &'a Settings,
    /// The keys of `settings.field_renames` a struct has used.
    pub(super) used_field_renames: BTreeSet<String>,
    /// Component schema name → its pre-assigned id and Rust name (claimed before any inline
    /// type's, so a component keeps its plain name).
    pub(super) component_ids: IndexMap<String, (TypeId, String)>,
    /// Components being lowered, to cut reference cycles.
    in_progress: BTreeSet<String>,
    pub(super) types: BTreeMap<TypeId, TypeDef>,
    /// The shapes of schemas referred to by a pointer outside `components/schemas`.
    pub(super) ref_shapes: BTreeMap<Pointer, Shape>,
    /// Such references being resolved, to cut cycles.
    pub(super) ref_in_progress: BTreeSet<Pointer>,
    /// Inline schemas being lowered, by their place, with the id of the type each becomes: an
    /// inline schema met again inside itself (an `allOf` part copies the properties of a schema
    /// that encloses it) is that type, not a new one each time round.
    pub(super) inline_in_progress: BTreeMap<Pointer, TypeId>,
    pub(super) type_names: Namespace,
    /// The named types whose schema admits `null`: a reference to one is an `Option`.
    pub(super) nullable_types: BTreeSet<TypeId>,
    /// The enum values' variant names made so far.
    pub(super) name_memo: names::NameMemo,
    next_id: u32,
    pub(super) diagnostics: Vec<Diagnostic>,
}

impl<'a> Lowerer<'a> {
    fn new(document: &'a Document, settings: &'a Settings) -> Self {
        let mut lowerer = Lowerer {
            document,
            settings,
            used_field_renames: BTreeSet::new(),
            component_ids: IndexMap::new(),
            in_progress: BTreeSet::new(),
            types: BTreeMap::new(),
            ref_shapes: BTreeMap::new(),
            ref_in_progress: BTreeSet::new(),
            inline_in_progress: BTreeMap::new(),
            type_names: Namespace::new(),
            nullable_types: BTreeSet::new(),
            name_memo: names::NameMemo::default(),
            next_id: 0,
            diagnostics: Vec::new(),
        };
        lowerer.name_components();
        lowerer
    }

    /// Gives every component schema its id and its name, in document order: the name the
    /// configuration's `[types.rename]` or the schema's `x-rust-name` chooses, or one made from its
    /// key. A chosen name is taken as it is: one that another schema's name takes too is an error
    /// at the key that chose it.
    fn name_components(&mut self) {
        let document = self.document;
        let schemas = Pointer::root().join("components").join("schemas");
        for key in self.settings.type_renames.keys() {
            if !document.components.schemas.contains_key(key) {
                let place = &self.settings.type_renames[key].place;
                self.error(place.error(format!(
                    "`{}`: there is no schema `{key}` under `components/schemas` to rename",
                    place.key()
                )));
            }
        }
        let mut chosen: Vec<Option<(String, NamedAt)>> = Vec::new();
        for key in document.components.schemas.keys() {
            let choice = if let Some(setting) = self.settings.type_renames.get(key) {
                Some((
                    setting.value.clone(),
                    NamedAt::Config(setting.place.clone()),
                ))
            } else {
                let at = schemas.join(key).join("x-rust-name");
                match document.raw.get(&at) {
                    None => None,
                    Some(serde_json::Value::String(name)) if names::type_name(name) == *name => {
                        Some((name.clone(), NamedAt::Spec(at)))
                    }
                    Some(other) => {
                        self.error(Diagnostic::error(
                            &at,
                            format!("`x-rust-name` is {other}: write an UpperCamelCase Rust identifier that is not a keyword nor a name of the prelude or the crate's root"),
                        ));
                        None
                    }
                }
            };
            chosen.push(choice);
        }
        let mut by_choice: BTreeMap<String, NamedAt> = BTreeMap::new();
        for (name, at) in chosen.iter().flatten() {
            if let Some(first) = by_choice.get(name) {
                self.error(at.error(format!(
                    "{}: `{name}` is chosen for another schema too, by {}",
                    at.key(),
                    first.key()
                )));
            } else {
                by_choice.insert(name.clone(), at.clone());
            }
        }
        for (key, choice) in document.components.schemas.keys().zip(chosen) {
            let id = self.allocate_id();
            let type_name = match choice {
                Some((name, _)) => self.type_names.claim(&name),
                None => {
                    let natural = names::type_name(key);
                    if let Some(at) = by_choice.get(&natural) {
                        self.error(at.error(format!(
                            "{}: `{natural}` is the name of the schema `{key}` already",
                            at.key()
                        )));
                    }
                    self.type_names.claim(&natural)
                }
            };
            self.component_ids.insert(key.clone(), (id, type_name));
        }
    }

    /// Every `[fields.rename]` key no struct has: an error, so that a misspelt key is not
    /// silently ignored.
    fn report_unused_field_renames(&mut self) {
        let unused: Vec<Place> = self
            .settings
            .field_renames
            .iter()
            .filter(|(key, _)| !self.used_field_renames.contains(*key))
            .map(|(_, setting)| setting.place.clone())
            .collect();
        for place in unused {
            self.error(place.error(format!(
                "`{}`: no generated struct has this type name and property",
                place.key()
            )));
        }
    }

    fn check_version(&mut self) {
        let root = Pointer::root();
        match (&self.document.openapi, &self.document.swagger) {
            (_, Some(version)) => self.error(
                Diagnostic::error(
                    &root.join("swagger"),
                    format!("Swagger {version} is not supported"),
                )
                .with_hint("convert the document to OpenAPI 3 (for example with swagger2openapi)"),
            ),
            (Some(version), None) if version.starts_with("3.0") || version.starts_with("3.1") => {}
            (Some(version), None) => self.error(Diagnostic::error(
                &root.join("openapi"),
                format!("OpenAPI version {version} is not supported; expected 3.0.x or 3.1.x"),
            )),
            (None, None) => self.error(
                Diagnostic::error(&root, "not an OpenAPI document: `openapi` is missing")
                    .with_hint("the document must start with `openapi: 3.0.3` or `openapi: 3.1.0`"),
            ),
        }
    }

    fn allocate_id(&mut self) -> TypeId {
        let id = TypeId(self.next_id);
        self.next_id += 1;
        id
    }

    /// Records a problem.
    pub(super) fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reserves a fresh id and a unique name for a type derived from `hint`.
    pub(super) fn new_type(&mut self, hint: &str) -> (TypeId, String) {
        let id = self.allocate_id();
        let name = self.type_names.claim(&names::type_name(hint));
        (id, name)
    }

    /// Lowers a component schema once; a component met again while it is being lowered is part of a
    /// cycle and is referred to by id only.
    pub(super) fn ensure_component(&mut self, name: &str) -> Option<TypeId> {
        let (id, type_name) = self.component_ids.get(name).cloned()?;
        if self.types.contains_key(&id) || !self.in_progress.insert(name.to_owned()) {
            return Some(id);
        }
        let pointer = Pointer::root()
            .join("components")
            .join("schemas")
            .join(name);
        let Some(schema) = self.read_checked(&pointer, |kept| kept.components.schemas.get(name))
        else {
            self.in_progress.remove(name);
            return None;
        };
        let schema = &schema;
        match self.adopted_target(&pointer, schema, id) {
            Some((target, target_at)) => {
                self.lower_named_schema(&target, &target_at, id, type_name);
                if let Some(def) = self.types.get_mut(&id) {
                    def.origin = pointer;
                }
            }
            None => self.lower_named_schema(schema, &pointer, id, type_name),
        }
        self.in_progress.remove(name);
        Some(id)
    }

    /// The part of the document at `pointer` that loading checked but did not keep
    /// ([`spec::Checked`]): as loading read it from the text when it kept it (`kept` finds it
    /// there), else read from the tree. The check makes a refusal a generator bug, but it is
    /// reported at `pointer` rather than trusted away.
    pub(super) fn read_checked<T: serde::de::DeserializeOwned + Clone>(
        &mut self,
        pointer: &Pointer,
        kept: impl FnOnce(&spec::KeptParts) -> Option<&T>,
    ) -> Option<T> {
        if let Some(parts) = &self.document.kept {
            if let Some(part) = kept(parts) {
                return Some(part.clone());
            }
        }
        let read = self.document.raw.parse::<T>(pointer);
        self.checked_read(pointer, read)
    }

    /// A part of the document at `pointer` that loading checked, as it was read again: a refusal
    /// is a generator bug, reported at `pointer`.
    pub(super) fn checked_read<T>(
        &mut self,
        pointer: &Pointer,
        read: Result<T, String>,
    ) -> Option<T> {
        match read {
            Ok(part) => Some(part),
            Err(error) => {
                self.error(Diagnostic::error(
                    pointer,
                    format!("internal error: this part was read when loading but is refused now: {error}"),
                ));
                None
            }
        }
    }

    /// Adds a finished type definition (its module is assigned once every type is known).
    pub(super) fn insert_type(&mut self, id: TypeId, def: TypeDef) {
        self.types.insert(id, def);
    }
}

/// Where a name was chosen: a key of the configuration, or an `x-rust-name` of the spec.
#[derive(Debug, Clone)]
pub(super) enum NamedAt {
    /// A key of the configuration file.
    Config(Place),
    /// The `x-rust-name` at this pointer.
    Spec(Pointer),
}

impl NamedAt {
    /// An error at the place.
    pub(super) fn error(&self, message: String) -> Diagnostic {
        match self {
            NamedAt::Config(place) => place.error(message),
            NamedAt::Spec(at) => Diagnostic::error(at, message),
        }
    }

    /// How a message names the place.
    pub(super) fn key(&self) -> String {
        match self {
            NamedAt::Config(place) => format!("`{}`", place.key()),
            NamedAt::Spec(_) => "`x-rust-name`".to_owned(),
        }
    }
}
