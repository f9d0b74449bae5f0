"""Checks Application files against Tandem's JSON Schema with the jsonschema package.

usage: json_schema_check.py SCHEMA VALID_FILE... -- INVALID_FILE...
Every document of a valid file must pass; every invalid file must have a document that fails.
Prints one line per file that breaks the rule, and exits 1 if any does.
"""
import sys

import jsonschema
import yaml

schema_path, rest = sys.argv[1], sys.argv[2:]
split = rest.index("--")
valid, invalid = rest[:split], rest[split + 1:]
schema = __import__("json").load(open(schema_path))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)


def errors(path):
    with open(path, encoding="utf-8-sig") as stream:
        documents = [d for d in yaml.safe_load_all(stream) if d is not None]
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for d in documents for e in validator.iter_errors(d)]


failures = 0
for path in valid:
    found = errors(path)
    if found:
        failures += 1
        print(f"REJECTED valid {path}: {found[0]}")
for path in invalid:
    if not errors(path):
        failures += 1
        print(f"ACCEPTED invalid {path}")
print(f"{len(valid)} valid and {len(invalid)} invalid files checked, {failures} wrong")
sys.exit(1 if failures else 0)
