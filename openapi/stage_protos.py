#!/usr/bin/env python3
"""Copies the .proto tree to a staging folder for protoc-gen-swagger.

Debian 12's protoc-gen-swagger (grpc-gateway 1.6.4) refuses proto3 `optional` fields, so the copy
drops the `optional` keyword. The JSON shape is the same either way (an unset optional scalar and
an unset plain scalar are both simply absent from the JSON), so the OpenAPI document stays true.
Only the staged copy changes; the C++ code is generated from the real protos.

Usage: stage_protos.py SOURCE_ROOT STAGING_ROOT
"""

import pathlib
import re
import shutil
import sys

# A field line: indentation, the keyword, then the type. Comments never start this way.
OPTIONAL_FIELD = re.compile(r"^(\s*)optional\s+", re.MULTILINE)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source = pathlib.Path(sys.argv[1])
    staging = pathlib.Path(sys.argv[2])
    if staging.exists():
        shutil.rmtree(staging)
    for proto in sorted(source.rglob("*.proto")):
        target = staging / proto.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(OPTIONAL_FIELD.sub(r"\1", proto.read_text(encoding="utf-8")),
                          encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
