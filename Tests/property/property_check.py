#!/usr/bin/env python3
"""Property tests over every definition, with generators Tandem did not write.

For each component type and trait, hypothesis-jsonschema draws properties from the definition's
own JSON Schema (`tandem show TYPE -o json`), wraps them in an Application, and Tandem renders it.
Each generated Application must either

  * render to objects that kubernetes-validate --strict accepts, that PyYAML reads back to the
    values Tandem meant (`-o json`), and that kubectl reads too (`kubectl label --local`); or
  * be refused with at least one located error and nothing on stdout.

Anything else (a crash, an error without a location, output on stdout with an error, output no
reader agrees on) is a failure: the Application is printed, to keep as a fixture. The script also
reports, for refused Applications that the editor's JSON Schema (`tandem schema`) accepts, the
reasons Tandem gave: what a JSON Schema does not say.

Refusing everything would pass the rules above, so the run also fails when fewer than
--min-rendered (default 50%) of all Applications render, or when a definition renders none of
its own: validation stricter than the definition's schema shows there. In CI (`CI` set) a missing
kubectl is a failure too, not a check left out.

usage: property_check.py TANDEM [--examples N] [--seed S] [--only a,b] [--kube-version 1.NN] [--min-rendered F]
"""
import argparse, collections, json, os, re, shutil, subprocess, sys, tempfile

import jsonschema
import yaml
from hypothesis import HealthCheck, given, seed as hypothesis_seed, settings
from hypothesis_jsonschema import from_schema

# A component each trait can sit on, and the least it needs to render.
HOSTS = {
    "webservice": {"image": "app:1", "ports": [{"port": 80}]},
    "worker": {"image": "app:1"},
    "task": {"image": "app:1"},
    "cron-task": {"image": "app:1", "schedule": "@hourly"},
    "daemon": {"image": "app:1"},
    "statefulset": {"image": "app:1"},
    "k8s-objects": {"objects": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"a": "b"}}]},
}
HOST_ORDER = ["worker", "webservice", "statefulset", "daemon", "task", "cron-task", "k8s-objects"]
# Free-form escape hatches: Tandem checks what they make only for the kinds it models, so an
# object Kubernetes would refuse is counted, not failed.
ESCAPE_HATCHES = {"json-patch", "json-merge-patch", "k8s-objects", "raw"}


# kubectl itself, exact versions, as the Swift tests find it (not the Google Cloud CLI's dispatcher).
KUBECTL_VERSIONS = ["/usr/lib/google-cloud-sdk/bin/kubectl.1.32", "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"]


def run(arguments, stdin=None):
    return subprocess.run(arguments, input=stdin, capture_output=True, text=True)


def application(name, kind, definition, properties, host=None):
    if kind == "component":
        component = {"name": "comp", "type": definition, "properties": properties}
    else:
        component = {"name": "comp", "type": host, "properties": HOSTS[host],
                     "traits": [{"type": definition, "properties": properties}]}
    return {"apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
            "metadata": {"name": name}, "spec": {"components": [component]}}


UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def as_yaml_json(value):
    """JSON that YAML reads as the same value: UTF-8 rather than surrogate-pair escapes (which
    YAML has not), and escapes for what YAML does not allow raw (as a user writes them)."""
    text = json.dumps(value, ensure_ascii=False)
    return UNPRINTABLE.sub(lambda match: "\\u%04x" % ord(match.group()), text)


def draw(schema, count, seed):
    drawn = []

    @hypothesis_seed(seed)
    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(from_schema(schema, codec="utf-8"))
    def collect(value):
        drawn.append(value)

    collect()
    return drawn[:count]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tandem")
    parser.add_argument("--examples", type=int, default=12, help="Applications per definition")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--only", default="", help="comma-separated definitions")
    parser.add_argument("--kube-version", default="1.37")
    parser.add_argument("--min-rendered", type=float, default=0.5,
                        help="the least fraction of all Applications that must render")
    arguments = parser.parse_args()
    tandem = arguments.tandem
    kubectl = next((path for path in KUBECTL_VERSIONS if os.access(path, os.X_OK)), None)
    validate = os.path.join(os.path.dirname(sys.executable), "kubernetes-validate")
    editor_schema = json.loads(run([tandem, "schema"]).stdout)
    definitions = json.loads(run([tandem, "definitions", "-o", "json"]).stdout)
    only = set(filter(None, arguments.only.split(",")))
    work = tempfile.mkdtemp(prefix="tandem-properties-")
    counts = collections.Counter()
    failures = []
    unexpressed = collections.Counter()
    rendered = []  # (application file, output file, json)
    rendered_by_definition = collections.Counter()
    drawn_by_definition = collections.Counter()
    if not kubectl and os.environ.get("CI"):
        failures.append(("", "kubectl is not installed (%s)" % " or ".join(KUBECTL_VERSIONS), ""))

    for entry in definitions:
        name, kind = entry["name"], entry["kind"]
        if only and name not in only:
            continue
        schema = json.loads(run([tandem, "show", name, "-o", "json"]).stdout)["schema"]
        host = None if kind == "component" else next(h for h in HOST_ORDER if h in entry["appliesTo"])
        drawn_by_definition[name] += 0  # a definition that draws nothing renders nothing
        for index, properties in enumerate(draw(schema, arguments.examples, arguments.seed)):
            drawn_by_definition[name] += 1
            app = application(f"p-{name}-{index}", kind, name, properties, host)
            path = os.path.join(work, f"{name}-{index}.json")
            with open(path, "w", encoding="utf-8") as file:
                file.write(as_yaml_json(app))
            result = run([tandem, "render", "--kube-version", arguments.kube_version, "--diagnostics", "json", path])
            if result.returncode == 0:
                counts["rendered"] += 1
                rendered_by_definition[name] += 1
                out = path.replace(".json", ".out.yaml")
                with open(out, "w") as file:
                    file.write(result.stdout)
                as_json = run([tandem, "render", "--kube-version", arguments.kube_version, "-o", "json", path])
                rendered.append((path, out, json.loads(as_json.stdout)["items"]))
            elif result.returncode == 1:
                try:
                    diagnostics = json.loads(result.stderr)
                except ValueError:
                    diagnostics = []
                errors = [d for d in diagnostics if d["severity"] == "error"]
                if result.stdout or not errors or any(d["line"] is None for d in errors):
                    failures.append((path, "refused without located errors, or with output", result.stderr[-2000:]))
                    continue
                counts["refused"] += 1
                try:
                    jsonschema.validate(app, editor_schema)
                    for code in sorted({d["code"] for d in errors}):
                        unexpressed[(name, code, errors[0]["message"][:90])] += 1
                except jsonschema.ValidationError:
                    counts["refused, as the JSON Schema says"] += 1
            else:
                failures.append((path, f"exit {result.returncode}", result.stderr[-2000:]))

    # The rendered objects, judged by readers Tandem did not write.
    if rendered:
        outputs = [out for _, out, _ in rendered]
        check = run([validate, "--strict", "--quiet", "-k", arguments.kube_version + ".0"] + outputs)
        if check.returncode != 0:
            for path, out, _ in rendered:
                if out in check.stdout or out in check.stderr:
                    if os.path.basename(path).rsplit("-", 1)[0] in ESCAPE_HATCHES:
                        counts["rendered by an escape hatch, refused by Kubernetes' schema"] += 1
                        continue
                    failures.append((path, "kubernetes-validate --strict refused the output",
                                     "\n".join(l for l in (check.stdout + check.stderr).splitlines() if out in l)))
        for path, out, meant in rendered:
            with open(out) as file:
                text = file.read()
            try:
                read = [doc for doc in yaml.safe_load_all(text) if doc is not None]
            except yaml.YAMLError as error:
                failures.append((path, "PyYAML cannot read the output", str(error)))
                continue
            if read != meant:
                failures.append((path, "PyYAML reads other values than Tandem meant", ""))
            if kubectl:
                local = run([kubectl, "label", "--local", "-f", out, "tandem-check=1", "--dry-run=client", "-o", "json"])
                if local.returncode != 0:
                    failures.append((path, "kubectl cannot read the output", local.stderr[-500:]))
    # Refusing is not enough: most drawn Applications must render, and each definition some.
    total = sum(drawn_by_definition.values())
    if total and counts["rendered"] < arguments.min_rendered * total:
        failures.append(("", f"only {counts['rendered']} of {total} Applications rendered; at least "
                             f"{arguments.min_rendered:.0%} must", ""))
    for name, drawn in sorted(drawn_by_definition.items()):
        if rendered_by_definition[name] == 0:
            failures.append(("", f"{name}: none of its {drawn} Applications rendered", ""))
    counts["failed"] = len(failures)

    print(f"property tests: {total} Applications ({arguments.examples} per definition, seed {arguments.seed}); "
          f"{counts['rendered'] / max(total, 1):.0%} rendered (at least {arguments.min_rendered:.0%} must, and some of each definition's)")
    for key in ["rendered", "rendered by an escape hatch, refused by Kubernetes' schema", "refused",
                "refused, as the JSON Schema says", "failed"]:
        print(f"  {key}: {counts[key]}")
    if unexpressed:
        print("refused by tandem although the JSON Schema accepts them (definition, code, first message):")
        for (name, code, message), count in sorted(unexpressed.items()):
            print(f"  {count:3d}  {name}  {code}  {message}")
    for path, reason, detail in failures:
        print(f"\nFAILED: {reason}" + (f"\n  {detail}" if detail else ""))
        if path:
            print(f"  the Application ({path}):")
            with open(path) as file:
                print("  " + file.read())
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
