"""`pip freeze` on stdin against requirements.lock: what differs (for .ci/try-latest)."""

import re
import sys


def pins(lines) -> dict[str, str]:
    found = (re.match(r"([A-Za-z0-9._-]+)==(\S+)", line) for line in lines)
    return {re.sub(r"[-_.]+", "-", m[1]).lower(): m[2] for m in found if m}


with open("requirements.lock", encoding="utf-8") as lock:
    locked = pins(lock)
newer = {name: version for name, version in pins(sys.stdin).items() if locked.get(name) != version}
for name, version in sorted(newer.items()):
    print(f"  {name} {locked.get(name, '(not locked)')} -> {version}")
if not newer:
    print("  (none)")
