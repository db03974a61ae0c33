//! Bad specs give errors that name the place in the spec (a JSON pointer, and a line where the
//! parser knows it), never a panic.

use lotinfo_codegen::{generate, Diagnostic, Options, Severity};

fn errors_of(spec: &str) -> Vec<Diagnostic> {
    match generate(spec, &Options::default()) {
        Ok(_) => panic!("the spec should have been refused:\n{spec}"),
        Err(errors) => {
            assert!(
                errors
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == Severity::Error),
                "an error is reported"
            );
            errors.diagnostics
        }
    }
}

fn only_error(spec: &str) -> Diagnostic {
    let errors: Vec<Diagnostic> = errors_of(spec)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "exactly one error: {errors:#?}");
    errors.into_iter().next().expect("one error")
}

const HEAD: &str = "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\n";

#[test]
fn malformed_yaml_names_the_line() {
    let error = only_error(&format!("{HEAD}paths:\n  /a:\n    get: [unclosed\n"));
    let (line, _) = error.location.expect("a syntax error has a location");
    assert!(
        line >= 7,
        "the error is on the broken line, not at the top: {error}"
    );
    assert!(error.to_string().contains("line"), "{error}");
}

#[test]
fn dangling_reference_names_its_pointer() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        owner:\n          $ref: '#/components/schemas/Person'\n"
    );
    let error = only_error(&spec);
    assert_eq!(
        error.pointer.to_string(),
        "#/components/schemas/Pet/properties/owner/$ref"
    );
    assert!(
        error
            .message
            .contains("dangling reference `#/components/schemas/Person`"),
        "{error}"
    );
}

#[test]
fn unknown_type_names_its_pointer_and_line() {
    let spec = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      type: strng\n");
    let error = only_error(&spec);
    assert_eq!(error.pointer.to_string(), "#/components/schemas/Pet/type");
    assert!(error.message.contains("unknown type `strng`"), "{error}");
    assert_eq!(error.location.map(|(line, _)| line), Some(9), "{error}");
}

#[test]
fn duplicate_operation_id_names_both_places() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: same\n      responses: {{}}\n  /b:\n    get:\n      operationId: same\n      responses: {{}}\n"
    );
    let error = only_error(&spec);
    assert_eq!(error.pointer.to_string(), "#/paths/~1b/get/operationId");
    assert!(
        error
            .message
            .contains("duplicate operationId `same`, first used at #/paths/~1a/get"),
        "{error}"
    );
}

#[test]
fn swagger_2_is_refused_with_a_hint() {
    let error = only_error("swagger: '2.0'\ninfo:\n  title: t\n  version: '1'\npaths: {}\n");
    assert_eq!(error.pointer.to_string(), "#/swagger");
    assert!(
        error.message.contains("Swagger 2.0 is not supported"),
        "{error}"
    );
    assert!(
        error
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("OpenAPI 3"),
        "{error}"
    );
}

#[test]
fn a_document_that_is_not_openapi_is_refused() {
    let error = only_error("title: just some yaml\n");
    assert!(error.message.contains("`openapi` is missing"), "{error}");
    let error = only_error("[1, 2, 3]\n");
    assert_eq!(error.pointer.to_string(), "#");
}

#[test]
fn every_error_is_reported_at_once() {
    let spec = format!(
        "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      responses: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/Missing'\n    B:\n      type: object\n      properties:\n        c:\n          $ref: '#/components/schemas/AlsoMissing'\n"
    );
    let errors = errors_of(&spec);
    let pointers: Vec<String> = errors.iter().map(|e| e.pointer.to_string()).collect();
    assert!(
        pointers.contains(&"#/components/schemas/A/$ref".to_owned()),
        "{pointers:?}"
    );
    assert!(
        pointers.contains(&"#/components/schemas/B/properties/c/$ref".to_owned()),
        "{pointers:?}"
    );
    assert!(
        pointers.contains(&"#/paths/~1a~1{id}/get".to_owned()),
        "the undeclared path parameter: {pointers:?}"
    );
}

#[test]
fn a_cycle_through_all_of_is_an_error() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      allOf:\n        - $ref: '#/components/schemas/B'\n    B:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - type: object\n          properties:\n            x:\n              type: string\n"
    );
    let errors = errors_of(&spec);
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("cycle through `allOf`")),
        "{errors:#?}"
    );
}

/// A spec whose component `Deep` is `depth` arrays of arrays nested in one another.
fn deep_spec(depth: usize) -> String {
    let nested = format!(
        "{}{{type: string}}{}",
        "{type: array, items: ".repeat(depth),
        "}".repeat(depth)
    );
    format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Deep: {nested}\n")
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 10_000;
    let spec = deep_spec(depth);
    let error = only_error(&spec);
    assert!(
        error.message.contains("recursion limit") || error.message.contains("nests deeper"),
        "{error}"
    );
    assert!(
        error.location.is_some()
            || error
                .pointer
                .to_string()
                .starts_with("#/components/schemas/Deep"),
        "{error}"
    );
}

#[test]
fn nesting_just_below_the_limit_is_accepted_without_exhausting_a_test_thread_stack() {
    // Each schema level is two YAML levels (`items:` and its mapping); the path to a component
    // schema adds three.
    let depth = (lotinfo_codegen::spec::MAX_DEPTH - 4) / 2;
    let spec = deep_spec(depth);
    generate(&spec, &Options::default()).expect("a deep but bounded schema generates");
}

#[test]
fn nesting_just_above_the_limit_is_an_error_at_its_pointer() {
    // Deeper than the generator's limit, not as deep as the parser's: the tree is walked again
    // to name the place.
    let depth = lotinfo_codegen::spec::MAX_DEPTH;
    let spec = deep_spec(depth);
    let error = only_error(&spec);
    assert!(error.message.contains("nests deeper"), "{error}");
    let pointer = error.pointer.to_string();
    assert!(
        pointer.starts_with("#/components/schemas/Deep/items/items/"),
        "{error}"
    );
    assert!(pointer.len() > 3 * depth, "{pointer}");
}

#[test]
fn no_prefix_of_the_real_spec_makes_the_generator_panic() {
    let spec = lotinfo_tests::lotinfo_spec();
    let boundaries: Vec<usize> = (0..spec.len())
        .step_by(89)
        .filter(|i| spec.is_char_boundary(*i))
        .collect();
    for end in boundaries {
        let prefix = &spec[..end];
        let outcome =
            std::panic::catch_unwind(|| generate(prefix, &Options::default()).map(|_| ()));
        assert!(
            outcome.is_ok(),
            "the generator panicked on the first {end} bytes of the spec"
        );
    }
}

#[test]
fn a_reference_cycle_that_no_schema_ends_is_an_error() {
    // Found by the spec_mutated fuzzer (fuzz/regressions/spec_mutated/): each was an alias of
    // itself (`pub type A = crate::models::A;`), and the third, with an example to check,
    // overflowed the stack.
    let cycles = [
        "    A:\n      $ref: '#/components/schemas/A'\n",
        "    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n",
        "    A:\n      $ref: '#/components/schemas/N/properties/x'\n    N:\n      type: object\n      properties:\n        x:\n          $ref: '#/components/schemas/A'\n      example:\n        x: 1\n",
    ];
    for schemas in cycles {
        let spec = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n{schemas}");
        let error = only_error(&spec);
        assert_eq!(
            error.pointer.to_string(),
            "#/components/schemas/A/$ref",
            "{error}"
        );
        assert!(error.message.contains("leads back to itself"), "{error}");
    }
}

#[test]
fn a_reference_cycle_through_a_schema_is_fine() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      type: array\n      items:\n        $ref: '#/components/schemas/A'\n"
    );
    generate(&spec, &Options::default()).expect("a list of lists of itself generates");
}
