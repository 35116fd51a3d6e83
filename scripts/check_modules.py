#!/usr/bin/env python3
"""Checks that the module graph is the one docs/architecture.md documents, and that every import is declared.

    python3 scripts/check_modules.py              # run the checks (scripts/test.sh does)
    python3 scripts/check_modules.py --write      # rewrite the diagram block of docs/architecture.md

The graph is read from `swift package dump-package` (the manifest as SwiftPM evaluates it, with
GOLDENGRAIN_BENCHMARKS=1 so that the benchmark targets are included for the import check).
Three kinds of check, each counted as one test:

1. table: the "depends on" column of the module table in docs/architecture.md ("## Modules and
   dependencies") lists exactly each target's direct dependencies in Package.swift: our targets
   and the products of other packages, by name; a remark in parentheses or after " — " is ignored. Every non-test
   target of the default manifest has a row and every row is a target.
2. diagram: the Mermaid block between `<!-- module-graph:begin -->` and `<!-- module-graph:end -->`
   equals the one generated from Package.swift (the transitive reduction of the dependencies among
   our non-test targets: an arrow A --> B means A imports B, and is drawn only when B cannot be
   reached through another dependency of A). `--write` regenerates it.
3. imports, one test per target: every `import M` in the target's Swift files names the target's
   own declared dependency (a target, or a product of another package), or a module of the
   toolchain. SwiftPM's `--explicit-target-dependency-import-check error`, which scripts/test.sh
   also passes, accepts any module reachable through the dependencies (RPC importing NIOCore through
   NIOPosix); this check accepts only what is declared.

Prints one line per failure and ends with "module checks: N passed, M failed, 0 skipped"; exit
status 1 if anything failed.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "architecture.md")
BEGIN, END = "<!-- module-graph:begin -->", "<!-- module-graph:end -->"

# Modules every Swift toolchain provides; importing them needs no declaration.
TOOLCHAIN_MODULES = {
    "Swift", "_Concurrency", "_StringProcessing", "RegexBuilder", "Synchronization", "Observation", "Distributed",
    "Foundation", "FoundationEssentials", "FoundationInternationalization", "FoundationNetworking", "FoundationXML",
    "Dispatch", "Glibc", "Musl", "Darwin", "Android", "WinSDK", "ucrt", "CRT", "os", "Testing", "XCTest",
}

IMPORT = re.compile(r"^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?"
                    r"import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)")


def manifest(benchmarks):
    """The targets of `swift package dump-package`, in manifest order."""
    environment = dict(os.environ)
    if benchmarks:
        environment["GOLDENGRAIN_BENCHMARKS"] = "1"
    else:
        environment.pop("GOLDENGRAIN_BENCHMARKS", None)
    output = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, env=environment, check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output)["targets"]


def dependencies(target):
    """(our targets, products of other packages) that `target` declares, in manifest order."""
    targets, products = [], []
    for dependency in target["dependencies"]:
        if "byName" in dependency:
            targets.append(dependency["byName"][0])
        elif "target" in dependency:
            targets.append(dependency["target"][0])
        elif "product" in dependency:
            products.append(dependency["product"][0])
    return targets, products


def source_folder(target):
    if target.get("path"):
        return os.path.join(ROOT, target["path"])
    return os.path.join(ROOT, "Tests" if target["type"] == "test" else "Sources", target["name"])


def imports(folder):
    """Yields (file, line number, module) for every import statement of the Swift files under folder,
    skipping block comments and multi-line string literals."""
    for directory, _, names in sorted(os.walk(folder)):
        for name in sorted(names):
            if not name.endswith(".swift"):
                continue
            path = os.path.join(directory, name)
            in_string = in_comment = False
            with open(path, encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if in_comment:
                        in_comment = "*/" not in line
                        continue
                    if line.count('"""') % 2 == 1:
                        in_string = not in_string
                        continue
                    if in_string:
                        continue
                    if line.lstrip().startswith("/*") and "*/" not in line:
                        in_comment = True
                        continue
                    match = IMPORT.match(line)
                    if match:
                        yield os.path.relpath(path, ROOT), number, match.group(1)


def documented_table():
    """{module: set of dependencies} from the module table of docs/architecture.md."""
    rows, in_table = {}, False
    with open(DOC, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("| module | holds | depends on |"):
                in_table = True
                continue
            if in_table:
                if not line.startswith("|"):
                    break
                cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
                if set(cells[0]) <= set("-: "):
                    continue
                depends = re.sub(r"\([^)]*\)", "", cells[-1]).replace("`", "")
                depends = re.sub(r"\s—\s.*$", "", depends)  # "A, B — never C": the remark is not a dependency
                names = {name.strip() for name in depends.split(",") if name.strip() and name.strip() != "—"}
                for module in cells[0].replace("`", "").split(","):
                    rows[module.strip()] = names
    return rows


def diagram(targets):
    """The Mermaid block for our non-test targets: the transitive reduction of their dependencies."""
    graph = {t["name"]: [d for d in dependencies(t)[0]] for t in targets if t["type"] != "test"}
    reachable = {}

    def reach(name):
        if name not in reachable:
            found = set()
            for dependency in graph.get(name, []):
                found.add(dependency)
                found |= reach(dependency)
            reachable[name] = found
        return reachable[name]

    lines = ["```mermaid", "flowchart TD"]
    for name, direct in graph.items():
        for dependency in direct:
            if not any(dependency in reach(other) for other in direct if other != dependency):
                lines.append(f"    {name} --> {dependency}")
    linked = {d for direct in graph.values() for d in direct} | {name for name, direct in graph.items() if direct}
    lines += [f"    {name}" for name in graph if name not in linked]  # modules with no edge at all
    lines.append("```")
    return "\n".join(lines)


def documented_diagram():
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    if BEGIN not in text or END not in text:
        return None, text
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip(), text


def main():
    targets = manifest(benchmarks=False)
    if "--write" in sys.argv[1:]:
        current, text = documented_diagram()
        if current is None:
            sys.exit(f"{DOC} has no {BEGIN} … {END} block to rewrite")
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        with open(DOC, "w", encoding="utf-8") as handle:
            handle.write(before + BEGIN + "\n" + diagram(targets) + "\n" + END + after)
        print(f"rewrote the module diagram in {os.path.relpath(DOC, ROOT)}")
        return

    passed, failures = 0, []

    # 1. The table.
    table = documented_table()
    problems = []
    modules = [t for t in targets if t["type"] != "test"]
    for target in modules:
        own, products = dependencies(target)
        declared = set(own) | set(products)
        documented = table.get(target["name"])
        if documented is None:
            problems.append(f"{target['name']} has no row (Package.swift: {', '.join(own + products) or '—'})")
        elif documented != declared:
            missing, extra = sorted(declared - documented), sorted(documented - declared)
            problems.append(f"{target['name']}: Package.swift declares {', '.join(own + products) or '—'}; "
                            f"the table {'lacks ' + ', '.join(missing) if missing else ''}"
                            f"{' and ' if missing and extra else ''}{'adds ' + ', '.join(extra) if extra else ''}")
    for name in sorted(set(table) - {t["name"] for t in modules}):
        problems.append(f"the table has a row for {name}, which is no non-test target of Package.swift")
    if problems:
        failures.append("module table in docs/architecture.md differs from Package.swift:\n  " + "\n  ".join(problems))
    else:
        passed += 1

    # 2. The diagram.
    current, _ = documented_diagram()
    expected = diagram(targets)
    if current != expected:
        failures.append("module diagram in docs/architecture.md differs from the one generated from Package.swift "
                        "(run `python3 scripts/check_modules.py --write`):\n"
                        + "\n".join(f"  documented: {line}" for line in sorted(set((current or "").splitlines()) - set(expected.splitlines())))
                        + ("\n" if current else "")
                        + "\n".join(f"  generated:  {line}" for line in sorted(set(expected.splitlines()) - set((current or "").splitlines()))))
    else:
        passed += 1

    # 3. Imports, one test per target (benchmark targets included).
    for target in manifest(benchmarks=True):
        if target["type"] == "system":
            continue
        own, products = dependencies(target)
        allowed = set(own) | set(products) | TOOLCHAIN_MODULES | {target["name"]}
        undeclared = [(path, number, module) for path, number, module in imports(source_folder(target))
                      if module not in allowed]
        if undeclared:
            failures.append(f"{target['name']} imports modules it does not declare in Package.swift "
                            f"(declared: {', '.join(own + products) or '—'}):\n"
                            + "\n".join(f"  {path}:{number}: import {module}" for path, number, module in undeclared))
        else:
            passed += 1

    for failure in failures:
        print("FAIL " + failure)
    print(f"module checks: {passed} passed, {len(failures)} failed, 0 skipped")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
