#!/usr/bin/env python3
"""Native readiness without GraalVM.

Reads what `./mvnw package -DskipTests -Dnative -Dquarkus.native.sources-only=true` generated
(target/native-sources) and checks that the native image would contain what the service needs at
run time: every route file, the kamelet, the Flyway migrations, and every class of the service's
own packages registered for reflection (routes reach beans, bodies and exceptions by reflection).
Exits non-zero with the list of what is missing.
"""
import json
import pathlib
import re
import sys
import zipfile

root = pathlib.Path(__file__).resolve().parents[3]
sources = root / "target" / "native-sources"
runners = list(sources.glob("*-runner.jar"))
if not runners:
    sys.exit(f"no runner jar in {sources}: run the sources-only native build first")
with zipfile.ZipFile(runners[0]) as jar:
    resources = json.loads(jar.read("META-INF/native-image/resource-config.json"))
    reflection = json.loads(jar.read("META-INF/native-image/reflect-config.json"))

patterns = [entry["pattern"] for entry in resources["resources"]["includes"]]
registered = {entry["name"] for entry in reflection}


def python_regex(java_regex):
    """GraalVM's patterns are Java regexes; turn their \\Q…\\E literal quoting into Python's."""
    return re.sub(r"\\Q(.*?)\\E", lambda m: re.escape(m.group(1)), java_regex)


compiled = [re.compile(python_regex(p)) for p in patterns]


def included(path):
    return any(pattern.fullmatch(path) for pattern in compiled)


wanted_resources = [f"routes/{p.name}" for p in sorted((root / "routes").glob("*.camel.yaml"))]
wanted_resources += [f"kamelets/{p.name}" for p in sorted((root / "kamelets").glob("*.kamelet.yaml"))]
migrations = root / "src" / "main" / "resources"
wanted_resources += [str(p.relative_to(migrations)) for p in sorted((migrations / "db" / "migration").rglob("*.sql"))]

java = root / "src" / "main" / "java"
wanted_classes = sorted(
    str(p.relative_to(java).with_suffix("")).replace("/", ".")
    for p in java.rglob("*.java")
    if "/config/" not in str(p))

missing = [f"resource {r}" for r in wanted_resources if not included(r)]
missing += [f"reflection {c}" for c in wanted_classes if c not in registered]
print(f"native sources: {len(wanted_resources)} resources and {len(wanted_classes)} classes checked "
      f"against {len(patterns)} resource patterns and {len(registered)} reflection entries")
if not any(r.startswith("kamelets/") for r in wanted_resources):
    missing.append("the kamelets/ folder has no *.kamelet.yaml")
if missing:
    print("missing from the native image configuration:\n  " + "\n  ".join(missing))
    sys.exit(1)
print("native sources: every route file, kamelet, migration and service class is in the native configuration")
