#!/usr/bin/python3
"""Keeps data/briefing.schema.json and `briefing check` in agreement.

    /usr/bin/python3 tests/schema.py [--briefing build/briefing]

Valid set: data/ceasefire-2025-03-18.yaml and tests/fixtures/*.yaml must
pass the JSON Schema and `briefing check` must exit 0 (warnings allowed).

Invalid set: every tests/diag/NAME.yaml with a sidecar NAME.schema (a case
whose input breaks the schema itself: shape, type, enumeration, pattern,
required or unknown key) must fail the JSON Schema, and `briefing check
NAME.yaml [NAME.args]`, run in tests/diag, must exit 1 (errors in the
input).  A file PyYAML cannot read (syntax, invalid UTF-8, duplicate keys)
fails the schema.  Cases without a sidecar are not checked here.

Also compares the key tables of src/load/load.c and the enumerations of
src/model.c with the schema, so that a key added to the C code is not
forgotten in the schema.

Prints "ok   schema: WHAT" or "FAIL schema: WHAT: reason" per item, then
"N passed, N failed"; exits 1 on any failure.  Needs Debian's PyYAML and
jsonschema (python3-yaml, python3-jsonschema), hence /usr/bin/python3.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys

SCHEMA = "data/briefing.schema.json"
SAMPLE = "data/ceasefire-2025-03-18.yaml"

passed = 0
failed = 0


def ok(what):
    global passed
    passed += 1
    print("ok   schema: %s" % what, flush=True)


def fail(what, reason):
    global failed
    failed += 1
    reason = " ".join(str(reason).split())  # one line
    print("FAIL schema: %s: %s" % (what, reason), flush=True)


def finish():
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


try:
    import jsonschema
    import yaml
except ImportError as e:
    fail("setup", "%s; run with /usr/bin/python3 (python3-yaml, "
         "python3-jsonschema)" % e)
    finish()


class Loader(yaml.SafeLoader):
    """YAML as `briefing` reads it, typed as an editor sees it.

    The C loader keeps every scalar's text.  Here only null (the same
    spellings as ynode_is_null: empty, ~, null, Null, NULL), the booleans
    true/false and plain decimal integers are typed; everything else stays
    a string.  So 2025-03-18 and 2025-03-19T18:00:00Z stay strings (no
    timestamp resolver), edition: 2 is the integer 2, while 02, +2, 0x2,
    1_000, 2.0 and 14:00 (YAML 1.1 sexagesimal) keep their text, as they do
    for the C loader.  No merge keys ("<<" is an ordinary, unknown key), and
    duplicate keys are an error, as in YAML itself and in `briefing`.
    """

    yaml_implicit_resolvers = {}


Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"),
    ["~", "n", "N", ""])
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^-?(?:0|[1-9][0-9]*)$"),
    list("-0123456789"))


def _construct_mapping(self, node, deep=False):
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value  # the C loader compares the text
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark,
                        "found duplicate key %r" % key_node.value,
                        key_node.start_mark)
                seen[key] = True
    return yaml.SafeLoader.construct_mapping(self, node, deep)


Loader.construct_mapping = _construct_mapping


def load_yaml(path):
    """Returns (data, None) or (None, reason) when PyYAML cannot read it."""
    try:
        with open(path, "rb") as f:
            return yaml.load(f, Loader=Loader), None
    except yaml.YAMLError as e:
        return None, "YAML: %s" % e
    except UnicodeDecodeError as e:
        return None, "not UTF-8: %s" % e


def ecma_pattern(validator, patrn, instance, schema):
    """"pattern" as editors (ECMAScript) read it: "$" is the end of the
    string, where Python's "$" also matches before a final newline."""
    if not validator.is_type(instance, "string"):
        return
    py = patrn
    if py.endswith("$") and not py.endswith("\\$"):
        py = py[:-1] + r"\Z"
    if not re.search(py, instance):
        yield jsonschema.ValidationError(
            "%r does not match %r" % (instance, patrn))


def make_validator(schema):
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    cls = jsonschema.validators.extend(cls, {"pattern": ecma_pattern})
    return cls(schema)


def where(err):
    path = "/".join(str(p) for p in err.absolute_path)
    return "/" + path


def schema_errors(validator, data):
    """All schema errors as short strings, the most relevant first."""
    errs = list(validator.iter_errors(data))
    if not errs:
        return []
    best = jsonschema.exceptions.best_match(errs)
    rest = [e for e in errs if e is not best]
    return ["%s: %s" % (where(e), message(e)) for e in [best] + rest]


def message(err):
    """The schema's own wording where it has one (the errorMessage and
    patternErrorMessage that editors show), else jsonschema's."""
    s = err.schema if isinstance(err.schema, dict) else {}
    if err.validator == "pattern" and "patternErrorMessage" in s:
        return "%s (%r)" % (s["patternErrorMessage"], err.instance)
    if err.validator in ("type", "required") and "errorMessage" in s:
        return s["errorMessage"]
    if err.validator in ("anyOf", "oneOf"):
        said = set(b.get("errorMessage") if isinstance(b, dict) else None
                   for b in err.validator_value)
        if len(said) == 1 and None not in said:
            return said.pop()
    return shorten(err.message)


def shorten(msg, n=160):
    """Messages about oneOf/anyOf/not print the whole value; cut them."""
    msg = " ".join(msg.split())
    return msg if len(msg) <= n else msg[:n - 3] + "..."


def run_check(briefing, cwd, name, args):
    cmd = [briefing, "check", name] + args
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    out = (p.stderr + p.stdout).decode("utf-8", "replace").strip()
    return p.returncode, out


def first_lines(text, n=3):
    lines = [l for l in text.splitlines() if l.strip()]
    s = " | ".join(lines[:n])
    if len(lines) > n:
        s += " | ..."
    return s


def check_valid(validator, briefing, path):
    data, err = load_yaml(path)
    if err is not None:
        fail(path, "the schema rejects it: %s" % err)
        return
    errs = schema_errors(validator, data)
    if errs:
        fail(path, "the schema rejects it: %s" % "; ".join(errs[:3]))
        return
    st, out = run_check(briefing, ".", path, [])
    if st != 0:
        fail(path, "briefing check exited %s (want 0): %s"
             % (st, first_lines(out)))
        return
    ok(path)


def check_invalid(validator, briefing, path):
    d = os.path.dirname(path)
    name = os.path.basename(path)
    base = name[:-len(".yaml")]
    data, err = load_yaml(path)
    if err is None and not schema_errors(validator, data):
        fail(path, "the schema accepts it (its sidecar %s.schema says the "
             "input breaks the schema)" % base)
        return
    args = []
    argsfile = os.path.join(d, base + ".args")
    if os.path.exists(argsfile):
        with open(argsfile) as f:
            args = f.read().split()
    st, out = run_check(briefing, d, name, args)
    if st != 1:
        fail(path, "briefing check exited %s (want 1, errors in the "
             "input): %s" % (st, first_lines(out)))
        return
    ok(path)


def missing_descriptions(schema, where="#"):
    """JSON pointers of the definitions and the properties of object
    schemas that have no description (constraint-only subschemas, such as
    those of "if" and "then", need none)."""
    if not isinstance(schema, dict):
        return
    if where == "#" and "description" not in schema:
        yield where
    for kw in ("properties", "definitions"):
        if kw == "properties" and schema.get("type") != "object":
            continue
        for name, sub in schema.get(kw, {}).items():
            here = "%s/%s/%s" % (where, kw, name)
            if isinstance(sub, dict) and "description" not in sub:
                yield here
            yield from missing_descriptions(sub, here)
    for kw in ("items", "additionalProperties"):
        yield from missing_descriptions(schema.get(kw), where + "/" + kw)
    for kw in ("anyOf", "oneOf", "allOf"):
        for i, sub in enumerate(schema.get(kw, [])):
            yield from missing_descriptions(sub, "%s/%s/%d" % (where, kw, i))


def c_string_tables(path):
    """{name: [strings]} for each `static const char *const NAME[] = {...};`
    (and the non-static name tables of model.c)."""
    with open(path, encoding="utf-8") as f:
        src = f.read()
    tables = {}
    for m in re.finditer(r"const char \*const (\w+)\[\w*\] = \{(.*?)\};",
                         src, re.S):
        tables[m.group(1)] = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))
    return tables


def check_tables(schema):
    """The key tables of load.c and enumerations of model.c against the
    schema's properties and enums."""
    defs = schema["definitions"]
    cite = [b for b in defs["citation"]["anyOf"] if b.get("type") == "object"]
    where_keys = {
        "top_keys": schema,
        "briefing_keys": defs["briefing"],
        "commentary_names": defs["briefing"]["properties"]["commentary"],
        "party_keys": defs["party"],
        "source_keys": defs["source"],
        "stmt_keys": defs["point"],
        "event_keys": defs["event"],
        "call_keys": defs["call"],
        "readout_keys": defs["readout"],
        "divergence_keys": defs["divergence"],
        "position_keys": defs["position"],
        "precondition_keys": defs["precondition"],
        "breach_keys": defs["breach"],
        "figure_keys": defs["figure"],
        "response_keys": defs["response"],
        "cite_keys": cite[0] if cite else {"properties": {}},
    }
    what = "src/load/load.c key tables"
    try:
        tables = c_string_tables("src/load/load.c")
    except OSError as e:
        fail(what, e)
        return
    problems = []
    for name, keys in sorted(tables.items()):
        if name == "commentary_keys":  # indexed by section; commentary_names
            continue
        if name not in where_keys:
            problems.append("table %s is not mapped to the schema "
                            "(update tests/schema.py and the schema)" % name)
            continue
        props = set(where_keys[name].get("properties", {}))
        if set(keys) != props:
            c_only = sorted(set(keys) - props)
            s_only = sorted(props - set(keys))
            problems.append("%s: only in C %s, only in the schema %s"
                            % (name, c_only, s_only))
    for name in sorted(set(where_keys) - set(tables)):
        problems.append("table %s not found in load.c" % name)
    if problems:
        fail(what, "; ".join(problems))
    else:
        ok(what)

    what = "src/model.c enumerations"
    try:
        tables = c_string_tables("src/model.c")
    except OSError as e:
        fail(what, e)
        return
    enums = {
        "model_precondition_status_names":
            defs["precondition"]["properties"]["status"]["enum"],
        "model_breach_status_names": defs["breach"]["properties"]["status"]["enum"],
        "model_attribution_names": defs["attribution"]["enum"],
    }
    problems = []
    for name, enum in enums.items():
        if name not in tables:
            problems.append("table %s not found in model.c" % name)
            continue
        want = set(s for s in tables[name] if s)  # "" is ATTR_NONE
        have = set(v for v in enum if v is not None)
        if want != have:
            problems.append("%s: only in C %s, only in the schema %s"
                            % (name, sorted(want - have), sorted(have - want)))
    if problems:
        fail(what, "; ".join(problems))
    else:
        ok(what)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--briefing", default="build/briefing",
                    help="the binary to run (default build/briefing)")
    opts = ap.parse_args()
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    briefing = os.path.abspath(opts.briefing)  # relative to the caller
    os.chdir(top)

    try:
        with open(SCHEMA, encoding="utf-8") as f:
            schema = json.load(f)
        validator = make_validator(schema)
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
        fail(SCHEMA, "not a valid JSON Schema: %s" % e)
        finish()
    undescribed = sorted(missing_descriptions(schema))
    if undescribed:
        fail(SCHEMA, "no description (editors show it on hover) for %s"
             % ", ".join(undescribed))
    else:
        ok(SCHEMA)
    if not os.access(briefing, os.X_OK):
        fail("setup", "%s is not an executable (run make, or pass "
             "--briefing)" % briefing)
        finish()

    try:
        check_tables(schema)
    except (KeyError, IndexError, TypeError, AttributeError) as e:
        fail("src/load/load.c key tables", "the schema lacks a definition "
             "the comparison needs: %r" % e)
    # Fact files only: recipient lists for --copies are another format.
    facts = [p for p in sorted(glob.glob("tests/fixtures/*.yaml"))
             if not os.path.basename(p).startswith("recipients")]
    for path in [SAMPLE] + facts:
        check_valid(validator, briefing, path)
    for side in sorted(glob.glob("tests/diag/*.schema")):
        path = side[:-len(".schema")] + ".yaml"
        if not os.path.exists(path):
            fail(path, "sidecar %s has no .yaml beside it" % side)
            continue
        check_invalid(validator, briefing, path)
    finish()


if __name__ == "__main__":
    main()
