#!/usr/bin/env python3
"""A narrowed, acyclic copy of an OpenAPI document, for Prism to mock when it cannot load the
document itself; the client is still generated from the original.

Prism dereferences the document before it listens. Its $ref parser walks every path through a
cyclic schema graph, and the parsed document is then copied as a tree, each shared schema once per
path to it: on Stripe's document (whose expandable fields, `anyOf: [{type: string}, {$ref}]`, tie
most of its schemas into cycles) neither ends. Each cut below only narrows a schema (the copy
accepts a subset of what the original accepts), so every answer Prism makes from the copy is valid
under the original, and its check of a request is as strict or stricter; the one exception is
`open-property`. Cuts, as the report counts them:

  extension          `x-expansionResources` (documentation, no meaning for validation) is dropped
  expandable-member  unless --keep-expansions: an `anyOf` with a member that is not a `$ref` keeps
                     only those members (an expandable field answers with its id, as Stripe does
                     unless asked to expand it); this keeps the tree Prism builds small
  then a depth-first walk over the component schemas follows each `$ref`; one to a component still
  on the walk's stack closes a cycle, and is cut where a narrowing cut exists:
  anyOf-member       it is one of several `anyOf` members: the member is dropped
  null-only          the schema holding it is `nullable`: it becomes `null` only
  empty-array        it is (all of) an array's `items`, with no `minItems`: `maxItems: 0`
  no-additional      it is `additionalProperties`: no additional properties
  closed-property    it is an optional property of an object with `additionalProperties: false`:
                     the property is dropped, so it must be absent
  open-property      it is an optional property of an object open to other properties: dropped.
                     Answers stay sound (Prism invents no property of a declared name), but a
                     request could then send any value there: the one loosening
  uncut              no narrowing cut exists (a required, non-nullable property up to the root of
                     the component, or a `oneOf` member: dropping one can widen what the rest
                     match); the cycle stays
The report also lists the cuts made in schemas a request reaches (where Prism's check changes).

Usage: scripts/prism_copy.py [--keep-expansions] IN OUT   (prints the cuts made, by kind)
"""

import collections
import copy
import graphlib
import json
import sys

PREFIX = "#/components/schemas/"
CUT = {"x-prism-copy": "cut"}  # marks a dropped union member until the walk ends


def component_refs(node):
    """Every reference to a component schema under `node`: its path of keys and the name."""
    for path, ref in refs_in(node):
        if ref["$ref"].startswith(PREFIX):
            yield path, ref["$ref"][len(PREFIX):]


def refs_in(node, path=()):
    """Every `$ref` object under `node`, with its path of keys."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield path, node
            return
        for key, value in node.items():
            yield from refs_in(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from refs_in(value, path + (index,))


def at(root, path):
    for key in path:
        try:
            root = root[key]
        except (KeyError, IndexError, TypeError):
            return None
    return root


def cut(schema, path):
    """Narrows `schema` (a component) so that the reference at `path` is gone; the cut's kind."""
    while path:
        parent, key = at(schema, path[:-1]), path[-1]
        if isinstance(parent, list):
            union_path, union_key = path[:-2], path[-2]
            union = at(schema, union_path)
            live = [m for m in parent if m is not CUT]
            if union_key == "anyOf" and len(live) > 1:
                parent[key] = CUT
                return "anyOf-member"
            if union_key == "allOf" or (union_key in ("anyOf", "oneOf") and len(live) == 1):
                path = union_path  # the whole union must go
                continue
            return "uncut"
        node = parent[key]
        if isinstance(node, dict) and node.get("nullable") is True:
            parent[key] = {"type": "object", "nullable": True, "enum": [None]}
            if "description" in node:
                parent[key]["description"] = node["description"]
            return "null-only"
        if key == "items" and isinstance(parent, dict) and not parent.get("minItems"):
            parent["items"] = {}
            parent["maxItems"] = 0
            return "empty-array"
        if key == "additionalProperties" and isinstance(parent, dict) and not parent.get("minProperties"):
            parent["additionalProperties"] = False
            return "no-additional"
        if len(path) >= 2 and path[-2] == "properties":
            owner = at(schema, path[:-2])
            if key not in owner.get("required", []):
                del parent[key]
                return "closed-property" if owner.get("additionalProperties") is False else "open-property"
            path = path[:-2]  # a required property: the object holding it must go
            continue
        if key == "not":
            return "uncut"
        path = path[:-1]  # a keyword's value: whatever holds it must go
    return "uncut"  # a component is not cut at its root: that would change every use of it


def strip(node, counts, ids_only, in_request=False):
    """Drops `x-expansionResources`, and with `ids_only` the `$ref` members of an `anyOf` that
    has other members."""
    if isinstance(node, dict):
        if "x-expansionResources" in node:
            del node["x-expansionResources"]
            counts["extension"] += 1
        members = node.get("anyOf")
        if ids_only and isinstance(members, list) and any("$ref" not in m for m in members):
            kept = [m for m in members if "$ref" not in m]
            counts["expandable-member"] += len(members) - len(kept)
            if in_request and len(kept) < len(members):
                counts["in-request-schemas"] += 1
            node["anyOf"] = kept
        for key, value in node.items():
            strip(value, counts, ids_only, in_request or key in ("requestBody", "parameters"))
    elif isinstance(node, list):
        for value in node:
            strip(value, counts, ids_only, in_request)


def cycle_left(schemas):
    """One cycle of references that is still among the component schemas, or an empty list."""
    graph = {name: {target for _, target in component_refs(schema) if target in schemas}
             for name, schema in schemas.items()}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return error.args[1]
    return []


def request_components(document):
    """The component schemas a request body or parameter reaches (where a cut changes what Prism
    accepts rather than what it answers)."""
    schemas = document.get("components", {}).get("schemas", {})
    todo = []
    for item in document.get("paths", {}).values():
        for operation in item.values() if isinstance(item, dict) else ():
            if isinstance(operation, dict):
                for part in (operation.get("requestBody"), operation.get("parameters")):
                    todo += [name for _, name in component_refs(part)]
        todo += [name for _, name in component_refs(item.get("parameters"))]
    seen = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo += [target for _, target in component_refs(schemas[name])]
    return seen


def acyclic_copy(document: dict, ids_only: bool = True):
    """The narrowed copy and a report: cuts by kind, the components still on cycles, and where
    each cut was made."""
    copied = copy.deepcopy(document)
    counts = collections.Counter()
    in_requests = request_components(copied)
    schemas = copied.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        strip(schema, counts, ids_only, name in in_requests)
    strip(copied.get("paths", {}), counts, ids_only)
    places = collections.defaultdict(list)
    state = {}  # name -> "open" (on the stack) or "done"
    for start in schemas:
        if start in state:
            continue
        state[start] = "open"
        work = [(start, iter(list(refs_in(schemas[start]))))]
        while work:
            name, refs = work[-1]
            for path, ref in refs:
                if at(schemas[name], path) is not ref:
                    continue  # an earlier cut removed it
                target = ref["$ref"][len(PREFIX):] if ref["$ref"].startswith(PREFIX) else None
                if target not in schemas:
                    continue
                if state.get(target) == "open":
                    kind = cut(schemas[name], path)
                    counts[kind] += 1
                    places[kind].append(f"{name}/{'/'.join(map(str, path))} -> {target}")
                    if name in in_requests and kind != "uncut":
                        counts["in-request-schemas"] += 1
                        places["in-request-schemas"].append(f"{name}/{'/'.join(map(str, path))} ({kind})")
                    continue
                if target not in state:
                    state[target] = "open"
                    work.append((target, iter(list(refs_in(schemas[target])))))
                    break
            else:
                state[name] = "done"
                work.pop()
    for schema in schemas.values():
        for node in _walk(schema):
            for key in ("anyOf", "oneOf", "allOf"):
                if isinstance(node.get(key), list):
                    node[key] = [m for m in node[key] if m is not CUT]
    report = {"cuts": dict(sorted(counts.items())), "components": len(schemas),
              "cycle-left": cycle_left(schemas), "places": dict(places)}
    return copied, report


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def main(argv):
    keep = "--keep-expansions" in argv
    argv = [a for a in argv if a != "--keep-expansions"]
    if len(argv) != 3:
        print(__doc__.rsplit("Usage: ", 1)[1].strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as source:
        document = json.load(source)
    copied, report = acyclic_copy(document, ids_only=not keep)
    with open(argv[2], "w", encoding="utf-8") as out:
        json.dump(copied, out, ensure_ascii=False)
    for kind, count in report["cuts"].items():
        print(f"{kind}: {count}")
    print(f"a cycle left among the {report['components']} components: {report['cycle-left'] or 'none'}")
    for place in report["places"].get("uncut", [])[:20]:
        print(f"  uncut: {place}")
    for place in report["places"].get("in-request-schemas", [])[:20]:
        print(f"  in a request schema: {place}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
