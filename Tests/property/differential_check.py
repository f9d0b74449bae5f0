#!/usr/bin/env python3
"""Differential property test: Tandem's built-in definitions against KubeVela's own CUE ones.

For each component type and trait that is both built into Tandem and defined in KubeVela's
`internal` CUE definitions (TANDEM_KUBEVELA_DEFINITIONS), hypothesis-jsonschema draws properties
from the built-in definition's JSON Schema (`tandem show TYPE -o json`). Each drawn Application is
rendered twice: with the built-ins, and with `--definitions` naming KubeVela's .cue file (which
replaces the built-in of the same name; a trait sits on the built-in host component, so only the
trait differs). The two lists of objects must be the same once the differences Tandem makes on
purpose are normalised away: each is one named rule below, and each rule names the row of
docs/reference/kubevela.md ("Deliberate differences") that documents it.

A draw the CUE side refuses is counted (the built-in schema is wider than KubeVela's CUE in
places); a draw the built-in refuses is counted too. Any other difference fails the run, with a
compact diff of the first few.

Without TANDEM_KUBEVELA_DEFINITIONS the run says it is skipped and passes, except in CI (`CI`
set), where it fails.

usage: differential_check.py TANDEM [--examples N] [--seed S] [--only a,b] [--show N]
"""
import argparse, collections, copy, difflib, json, os, re, subprocess, sys, tempfile

from hypothesis import HealthCheck, given, seed as hypothesis_seed, settings
from hypothesis_jsonschema import from_schema

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from property_check import HOSTS, HOST_ORDER, as_yaml_json  # noqa: E402

QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
# Parameters only Tandem's definition has, inside lists KubeVela's schema does not describe
# field by field: (definition, list, field). They are taken out of each draw, like top-level ones.
TANDEM_ONLY_FIELDS = [("storage", "pvc", "storage")]
# Free-form escape hatches: they pass objects through, nothing to compare a template with.
SKIPPED = {"json-patch", "json-merge-patch", "k8s-objects", "raw"}
DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "reference", "kubevela.md")


def run(arguments):
    return subprocess.run(arguments, capture_output=True, text=True)


def draw(schema, count, seed):
    drawn = []

    @hypothesis_seed(seed)
    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(from_schema(schema, codec="utf-8"))
    def collect(value):
        drawn.append(value)

    collect()
    return drawn[:count]


# ---- The deliberate differences, one named rule each -------------------------------------------
# A rule takes (tandem objects, kubevela objects) and changes them in place so that what the rule
# covers no longer differs. `doc` is a phrase of the row of docs/reference/kubevela.md that
# documents the difference; the run fails when the document no longer has it.

def pod_specs_and_selectors(objects):
    """The label selectors of workloads and Services in a list of objects."""
    for item in objects:
        spec = item.get("spec") or {}
        if isinstance(spec.get("selector"), dict) and "matchLabels" in spec["selector"]:
            yield spec["selector"]["matchLabels"]
        elif item.get("kind") == "Service" and isinstance(spec.get("selector"), dict):
            yield spec["selector"]


def rule_selector_labels(tandem, kubevela, definition, properties):
    # Tandem's selectors match app.oam.dev/name too (KubeVela's: the component only).
    for selector in pod_specs_and_selectors(tandem):
        selector.pop("app.oam.dev/name", None)
    for selector in pod_specs_and_selectors(kubevela):
        selector.pop("app.oam.dev/name", None)


def labels_of(item):
    return (item.get("metadata") or {}).get("labels") or {}


def rule_app_revision_label(tandem, kubevela, definition, properties):
    # KubeVela's controller labels the workload with the Application's revision (app-v1); Tandem's
    # built-in types do not (its revisions are kept by up and the controller, not in labels).
    for item in kubevela:
        labels_of(item).pop("app.oam.dev/appRevision", None)


def rule_trait_resource_label(tandem, kubevela, definition, properties):
    # KubeVela labels what a trait adds with the template's output name (service, ingress, hpa);
    # Tandem labels it with the trait's type only.
    for item in kubevela:
        labels_of(item).pop("trait.oam.dev/resource", None)


def without_empty(value):
    if isinstance(value, dict):
        return {k: without_empty(v) for k, v in value.items() if v != {} and v != []}
    if isinstance(value, list):
        return [without_empty(v) for v in value]
    return value


def rule_empty_fields(tandem, kubevela, definition, properties):
    # KubeVela's templates write empty fields (annotations: {}, args: [], env: [],
    # capabilities: {}) where Tandem writes none; Kubernetes reads both the same.
    for objects in (tandem, kubevela):
        objects[:] = [without_empty(item) for item in objects]


def rule_autoscaling_v2(tandem, kubevela, definition, properties):
    # cpuscaler renders autoscaling/v2 with a CPU utilisation metric; KubeVela autoscaling/v1 with
    # targetCPUUtilizationPercentage. Compared as v1.
    if definition != "cpuscaler":
        return
    for item in tandem:
        if item.get("kind") == "HorizontalPodAutoscaler" and item.get("apiVersion") == "autoscaling/v2":
            spec = item["spec"]
            metrics = spec.pop("metrics", [])
            if len(metrics) == 1 and metrics[0].get("resource", {}).get("name") == "cpu":
                spec["targetCPUUtilizationPercentage"] = metrics[0]["resource"]["target"].get("averageUtilization")
            else:
                spec["metrics"] = metrics
            item["apiVersion"] = "autoscaling/v1"


def rule_statefulset_service_name(tandem, kubevela, definition, properties):
    # Tandem's StatefulSet names its governing Service (serviceName: the component's name);
    # KubeVela's writes none.
    for item in tandem:
        if item.get("kind") == "StatefulSet":
            match = next((k for k in kubevela if k.get("kind") == "StatefulSet"
                          and k["metadata"]["name"] == item["metadata"]["name"]), None)
            if match is not None and "serviceName" not in match.get("spec", {}):
                item["spec"].pop("serviceName", None)


def pod_specs(objects):
    for item in objects:
        spec = item.get("spec") or {}
        template = (spec.get("jobTemplate") or {}).get("spec", spec).get("template") or spec.get("template")
        if isinstance(template, dict) and isinstance(template.get("spec"), dict):
            yield template["spec"]


def rule_run_as_root(tandem, kubevela, definition, properties):
    # runAsUser: 0 without runAsNonRoot: Tandem writes runAsNonRoot: false; KubeVela keeps its
    # default true, and the kubelet then never starts the pod.
    if properties.get("runAsUser") != 0 or "runAsNonRoot" in properties:
        return
    for pod in pod_specs(kubevela):
        for context in [pod.get("securityContext")] + [c.get("securityContext") for c in pod.get("containers", [])]:
            if isinstance(context, dict) and context.get("runAsUser") == 0 and context.get("runAsNonRoot") is True:
                context["runAsNonRoot"] = False


def rule_privileged_escalation(tandem, kubevela, definition, properties):
    # privileged: true (or SYS_ADMIN) without allowPrivilegeEscalation: Tandem writes
    # allowPrivilegeEscalation: true; KubeVela keeps its default false, which the API server
    # refuses beside them.
    privileged = properties.get("privileged") is True or "SYS_ADMIN" in (properties.get("addCapabilities") or [])
    if definition != "securitycontext" or not privileged or "allowPrivilegeEscalation" in properties:
        return
    for pod in pod_specs(kubevela):
        for container in pod.get("containers", []):
            context = container.get("securityContext")
            if isinstance(context, dict) and context.get("allowPrivilegeEscalation") is False:
                context["allowPrivilegeEscalation"] = True


def rule_resource_as_written(tandem, kubevela, definition, properties):
    # resource sets what is written. KubeVela's template writes nothing unless cpu and memory
    # are both given, and fills the half of requests or limits left out with 1 CPU or 2048Mi;
    # where the properties are such, the containers' resources are not compared.
    if definition != "resource":
        return
    both = "cpu" in properties and "memory" in properties
    pairs = [properties[k] for k in ("requests", "limits") if k in properties]
    halves_complete = all("cpu" in pair and "memory" in pair for pair in pairs)
    top_alone = ("cpu" in properties or "memory" in properties) and not pairs
    if (top_alone and both) or (not top_alone and not ("cpu" in properties or "memory" in properties) and halves_complete):
        return
    for objects in (tandem, kubevela):
        for pod in pod_specs(objects):
            for container in pod.get("containers", []):
                container.pop("resources", None)


def affinity_terms(value):
    """Every pod affinity term in an affinity object (required, and preferred's podAffinityTerm)."""
    if isinstance(value, dict):
        if "topologyKey" in value:
            yield value
        for item in value.values():
            yield from affinity_terms(item)
    elif isinstance(value, list):
        for item in value:
            yield from affinity_terms(item)


def rule_affinity_namespace(tandem, kubevela, definition, properties):
    # affinity's namespace (one string) becomes namespaces: [..., namespace] in Tandem; KubeVela
    # writes `namespace`, a field Kubernetes does not have.
    if definition != "affinity":
        return
    for pod in pod_specs(kubevela):
        for term in affinity_terms(pod.get("affinity")):
            if "namespace" in term:
                namespace = term.pop("namespace")
                namespaces = term.setdefault("namespaces", [])
                if namespace not in namespaces:
                    namespaces.append(namespace)


def rule_service_ports_once(tandem, kubevela, definition, properties):
    # gateway: two paths to one port make one Service port in Tandem; KubeVela's template writes
    # the port twice, which the API server refuses.
    for item in kubevela:
        if item.get("kind") == "Service" and isinstance(item.get("spec", {}).get("ports"), list):
            seen, ports = [], []
            for port in item["spec"]["ports"]:
                if port not in seen:
                    seen.append(port)
                    ports.append(port)
            item["spec"]["ports"] = ports


def rule_sidecar_shared_volume(tandem, kubevela, definition, properties):
    # sidecar: a volume the pod does not declare becomes an emptyDir that the main container
    # mounts at the same path; KubeVela mounts a volume the pod lacks, which the API server refuses.
    if definition != "sidecar":
        return
    names = {volume["name"] for volume in properties.get("volumes") or []}
    for left, right in zip(pod_specs(tandem), pod_specs(kubevela)):
        theirs = {volume.get("name") for volume in right.get("volumes") or []}
        added = {v.get("name") for v in left.get("volumes") or []} & names - theirs
        if not added:
            continue
        left["volumes"] = [v for v in left["volumes"] if v.get("name") not in added]
        for container in left.get("containers", []):
            if container.get("name") != properties.get("name") and "volumeMounts" in container:
                container["volumeMounts"] = [m for m in container["volumeMounts"] if m.get("name") not in added]


RULES = [
    ("selector-labels", "Workload selectors (and the Services of", rule_selector_labels),
    ("app-revision-label", "`app.oam.dev/appRevision`", rule_app_revision_label),
    ("trait-resource-label", "`trait.oam.dev/resource`", rule_trait_resource_label),
    ("autoscaling-v2", "`cpuscaler` renders an `autoscaling/v2`", rule_autoscaling_v2),
    ("statefulset-service-name", "`serviceName`", rule_statefulset_service_name),
    ("run-as-root", "`runAsUser: 0`", rule_run_as_root),
    ("privileged-escalation", "`privileged: true`", rule_privileged_escalation),
    ("affinity-namespace", "`affinity` takes `namespace`", rule_affinity_namespace),
    ("service-ports-once", "one Service port per port", rule_service_ports_once),
    ("sidecar-shared-volume", "A `sidecar` volume the pod does not declare", rule_sidecar_shared_volume),
    ("resource-as-written", "`resource` sets what is written", rule_resource_as_written),
    # Last: the rules above may leave empty lists behind.
    ("empty-fields", "empty fields", rule_empty_fields),
]


def canonical(objects):
    """Objects by kind and name, each as sorted JSON: field order is no difference."""
    return sorted(json.dumps(item, sort_keys=True, indent=1, ensure_ascii=False) for item in objects)


def compare(tandem, kubevela, definition, properties):
    """(equal as rendered, rules that made them equal or None when no set of rules does)."""
    if canonical(tandem) == canonical(kubevela):
        return True, []
    tandem, kubevela = copy.deepcopy(tandem), copy.deepcopy(kubevela)
    used = []
    for name, _, rule in RULES:
        before = canonical(tandem), canonical(kubevela)
        rule(tandem, kubevela, definition, properties)
        if (canonical(tandem), canonical(kubevela)) != before:
            used.append(name)
    if canonical(tandem) == canonical(kubevela):
        return False, used
    return False, None


def compact_diff(tandem, kubevela, definition, properties):
    """The lines that differ once every rule has been applied, with a little context."""
    tandem, kubevela = copy.deepcopy(tandem), copy.deepcopy(kubevela)
    for _, _, rule in RULES:
        rule(tandem, kubevela, definition, properties)
    left = "\n".join(canonical(tandem)).splitlines()
    right = "\n".join(canonical(kubevela)).splitlines()
    lines = list(difflib.unified_diff(left, right, "tandem", "kubevela", n=2, lineterm=""))
    return "\n".join(lines[:40]) + ("\n    ..." if len(lines) > 40 else "")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tandem")
    parser.add_argument("--examples", type=int, default=10, help="Applications per definition")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--only", default="", help="comma-separated definitions")
    parser.add_argument("--show", type=int, default=3, help="differences to print per definition")
    arguments = parser.parse_args()
    tandem = arguments.tandem

    root = os.environ.get("TANDEM_KUBEVELA_DEFINITIONS")
    if not root:
        missing = "TANDEM_KUBEVELA_DEFINITIONS is not set (the folder of KubeVela's definitions, with internal/component and internal/trait)"
        if os.environ.get("CI"):
            print(f"FAILED: differential tests cannot run in CI: {missing}")
            return 1
        print(f"differential tests skipped: {missing}")
        return 0
    internal = os.path.join(root, "internal")
    if not os.path.isdir(internal):
        print(f"differential tests: {internal} is not a folder of KubeVela's definitions")
        return 1

    with open(DOC, encoding="utf-8") as file:
        doc = file.read()
    failures = [f"rule {name}: docs/reference/kubevela.md has no row with {phrase!r}"
                for name, phrase, _ in RULES if phrase not in doc]

    only = set(filter(None, arguments.only.split(",")))
    definitions = json.loads(run([tandem, "definitions", "-o", "json"]).stdout)
    work = tempfile.mkdtemp(prefix="tandem-differential-")
    rows = []
    rule_counts = collections.Counter()
    refusals = collections.Counter()
    for entry in definitions:
        name, kind = entry["name"], entry["kind"]
        cue = os.path.join(internal, kind, name + ".cue")
        if name in SKIPPED or (only and name not in only) or not os.path.isfile(cue):
            continue
        schema = json.loads(run([tandem, "show", name, "-o", "json"]).stdout)["schema"]
        # Draw only what both accept: Tandem's extra parameters (KubeVela's CUE would ignore
        # them silently) are taken out of each draw, which is then counted as narrowed.
        theirs = json.loads(run([tandem, "show", name, "--definitions", cue, "-o", "json"]).stdout)["schema"]
        # (None: the schema does not list them, as for a parameter that is one of several shapes.)
        known = set(theirs["properties"]) if "properties" in theirs else None
        host = None if kind == "component" else next(h for h in HOST_ORDER if h in entry["appliesTo"])
        counts = collections.Counter()
        shown = 0
        for index, properties in enumerate(draw(schema, arguments.examples, arguments.seed)):
            counts["drawn"] += 1
            extra = [key for key in properties if known is not None and key not in known]
            for definition, field, inner in TANDEM_ONLY_FIELDS:
                items = properties.get(field) if definition == name else None
                if isinstance(items, list) and any(isinstance(i, dict) and inner in i for i in items):
                    extra.append(f"{field}[].{inner}")
                    properties = dict(properties, **{field: [{k: v for k, v in i.items() if k != inner} if isinstance(i, dict) else i for i in items]})
            if extra:
                counts["narrowed"] += 1
                properties = {k: v for k, v in properties.items() if known is None or k in known}
            if kind == "component":
                component = {"name": "comp", "type": name, "properties": properties}
            else:
                component = {"name": "comp", "type": host, "properties": HOSTS[host],
                             "traits": [{"type": name, "properties": properties}]}
            app = {"apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
                   "metadata": {"name": f"d-{index}"}, "spec": {"components": [component]}}
            path = os.path.join(work, f"{name}-{index}.json")
            with open(path, "w", encoding="utf-8") as file:
                file.write(as_yaml_json(app))
            built_in = run([tandem, "render", "-o", "json", path])
            if built_in.returncode != 0:
                counts["refused by the built-in"] += 1
                continue
            by_cue = run([tandem, "render", "-o", "json", "--definitions", cue, path])
            if by_cue.returncode == 1:
                counts["refused by CUE"] += 1
                # The first error, without the file's name: why KubeVela's schema is narrower
                # (or where the CUE evaluator is wrong).
                error = next((line for line in by_cue.stderr.splitlines() if ": error: " in line), "")
                reason = QUOTED.sub("…", error.split(": error: ", 1)[-1])  # one line per kind of refusal
                refusals[(name, re.sub(r"\[\d+\]", "[]", reason)[:150])] += 1
                continue
            if by_cue.returncode != 0:
                failures.append(f"{name}: exit {by_cue.returncode} with KubeVela's definition ({path})\n{by_cue.stderr[-1500:]}")
                continue
            counts["compared"] += 1
            left, right = json.loads(built_in.stdout)["items"], json.loads(by_cue.stdout)["items"]
            equal, used = compare(left, right, name, properties)
            if equal:
                counts["equal"] += 1
            elif used is not None:
                counts["equal by rules"] += 1
                rule_counts.update(used)
            else:
                counts["different"] += 1
                if shown < arguments.show:
                    shown += 1
                    failures.append(f"{name}: a difference no rule covers; properties {json.dumps(properties)[:600]}\n"
                                    + compact_diff(left, right, name, properties))
        rows.append((name, counts))

    columns = ["drawn", "narrowed", "compared", "equal", "equal by rules", "refused by CUE", "refused by the built-in", "different"]
    print(f"differential tests: built-ins against KubeVela's CUE definitions in {internal} "
          f"({arguments.examples} per definition, seed {arguments.seed})")
    print("  " + "definition".ljust(26) + "".join(c.rjust(len(c) + 2) for c in columns))
    for name, counts in rows:
        print("  " + name.ljust(26) + "".join(str(counts[c]).rjust(len(c) + 2) for c in columns))
    if rule_counts:
        print("deliberate differences normalised (rule: Applications):")
        for rule, count in sorted(rule_counts.items()):
            print(f"  {rule}: {count}")
    if refusals:
        print("refused by KubeVela's CUE definition (definition: count, first error):")
        for (name, error), count in sorted(refusals.items()):
            print(f"  {name}: {count}  {error}")
    if not any(counts["compared"] for _, counts in rows):
        failures.append("no Application was compared")
    for failure in failures:
        print("\nFAILED: " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
