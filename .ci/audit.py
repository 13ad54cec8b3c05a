"""Known vulnerabilities in the pinned requirements: pip-audit, and an honest account of what it could not check.

pip-audit asks PyPI's per-version JSON API about each pin. Where that API cannot be reached (in this
workplace the registry serves downloads and each project's unversioned JSON, but answers 404 per version,
and osv.dev does not resolve), pip-audit skips every package yet still prints "No known vulnerabilities
found". So this script:

1. runs pip-audit over every pin (the file pins all transitive dependencies: --no-deps);
2. checks each package pip-audit skipped against the project's unversioned JSON, whose "vulnerabilities"
   are those of its latest release: when the pin is that release, they are the pin's own;
3. lists every package still unchecked as NOT AUDITED, with the reason.

Exit status: 1 when a known vulnerability affects a pin. Unchecked packages are a loud warning but pass,
so CI stays usable where the vulnerability data is out of reach; AUDIT_STRICT=1 makes them fail too.
"""

import json
import os
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

PYPI_JSON = "https://pypi.org/pypi/{}/json"


def pins(requirements):
    """{canonical name: pinned version} of a fully pinned requirements file."""
    pinned = {}
    for line in Path(requirements).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):  # requirements-dev.txt includes requirements.txt
            pinned |= pins(Path(requirements).parent / line.removeprefix("-r ").strip())
        elif line:
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            pinned[canonicalize_name(requirement.name)] = specifier.version
    return pinned


def pip_audit(requirements):
    """pip-audit's findings ({name: [vulnerability ids]}) and the packages it skipped ({name: reason})."""
    command = [sys.executable, "-m", "pip_audit", "--requirement", requirements, "--no-deps", "--disable-pip",
               "--format", "json", "--progress-spinner", "off"]
    result = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        reason = (result.stderr.strip().splitlines() or ["pip-audit failed"])[-1]
        return {}, dict.fromkeys(pins(requirements), f"pip-audit failed: {reason}")
    found, skipped = {}, {}
    for dependency in report["dependencies"]:
        name = canonicalize_name(dependency["name"])
        if "skip_reason" in dependency:
            skipped[name] = dependency["skip_reason"]
        elif dependency["vulns"]:
            found[name] = [vuln["id"] for vuln in dependency["vulns"]]
    return found, skipped


def latest_release_check(name, version):
    """The pin's vulnerabilities if it is the latest release (PyPI's unversioned JSON), else a reason why not."""
    try:
        with urllib.request.urlopen(PYPI_JSON.format(name), timeout=20) as response:
            project = json.load(response)
    except (OSError, ValueError) as error:
        return None, f"PyPI's JSON could not be read: {error}"
    latest = project["info"]["version"]
    if latest != version:
        series = newest_of_series(version, project["releases"])
        return None, f"latest is {latest}; no vulnerability data for {version} could be reached ({series})"
    return [vuln["id"] for vuln in project.get("vulnerabilities", [])], None


def newest_of_series(version, releases):
    """Whether the pin is the newest patch release of its major.minor series, such as Django's 5.2 LTS."""
    pinned = Version(version)
    same_series = []
    for release in releases:
        try:
            candidate = Version(release)
        except InvalidVersion:
            continue
        if candidate.release[:2] == pinned.release[:2] and not candidate.is_prerelease:
            same_series.append(candidate)
    newest = max(same_series, default=pinned)
    series = ".".join(map(str, pinned.release[:2]))
    return f"the newest {series}.x" if newest <= pinned else f"{newest} is the newest {series}.x"


def main(requirements="requirements.txt"):
    pinned = pins(requirements)
    found, skipped = pip_audit(requirements)
    unchecked = {}
    with ThreadPoolExecutor(max_workers=8) as pool:
        names = list(skipped)
        checks = dict(zip(names, pool.map(lambda name: latest_release_check(name, pinned[name]), names), strict=True))
    for name, (vulns, why_not) in checks.items():
        if vulns is None:
            unchecked[name] = why_not
        elif vulns:
            found[name] = vulns

    print(f"{len(pinned)} pinned packages: {len(pinned) - len(skipped)} audited by pip-audit, "
          f"{len(skipped) - len(unchecked)} checked as the latest release, {len(unchecked)} NOT AUDITED")
    for name, vulns in sorted(found.items()):
        print(f"VULNERABLE: {name}=={pinned[name]}: {', '.join(vulns)}")
    if unchecked:
        print(f"NOT AUDITED ({len(unchecked)}): vulnerability data could not be reached for these pins, so "
              "nothing is known about them either way:")
        for name, reason in sorted(unchecked.items()):
            print(f"  {name}=={pinned[name]}: {reason}")
    if found:
        return 1
    if unchecked and os.environ.get("AUDIT_STRICT") == "1":
        print("AUDIT_STRICT=1: packages that could not be audited fail the audit.")
        return 1
    print("No known vulnerabilities in the packages audited." + (" Some were NOT AUDITED." if unchecked else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
