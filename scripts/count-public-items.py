#!/usr/bin/env python3
"""Counts anpham's public items, the measure of issue #27's facade.

Run from the repository root (needs a nightly toolchain):

    cargo +nightly rustdoc --lib -- -Z unstable-options --output-format json --document-hidden-items
    python3 scripts/count-public-items.py [target/doc/anpham.json] [--list]

The count: every item of this crate (crate_id 0) in rustdoc's JSON whose kind is function,
struct, enum, trait, constant, static, type alias or module and whose visibility is
`public`. Functions include the `pub fn` methods of inherent impls (rustdoc gives them
`public` visibility; methods of trait impls have `default` visibility and are not
counted). Struct fields, enum variants, trait items, impls and re-exports (`use`) are not
counted. An item re-exported under a second name is counted once (it is one item of the
index). `--list` prints each counted item with its path.
"""

import json
import sys

KINDS = {"function", "struct", "enum", "trait", "constant", "static", "type_alias", "module"}


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0] if args else "target/doc/anpham.json"
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    paths = doc.get("paths", {})
    # Methods are named by the type of their impl.
    owner = {}
    for item in doc["index"].values():
        inner = item.get("inner")
        if isinstance(inner, dict) and "impl" in inner:
            target = inner["impl"].get("for", {})
            name = target.get("resolved_path", {}).get("path") if isinstance(target, dict) else None
            for member in inner["impl"].get("items", []):
                owner[str(member)] = name or "?"
    counted = []
    for item_id, item in doc["index"].items():
        if item.get("crate_id") != 0 or item.get("visibility") != "public":
            continue
        inner = item.get("inner")
        kind = next(iter(inner)) if isinstance(inner, dict) else inner
        if kind not in KINDS:
            continue
        where = paths.get(item_id, {}).get("path")
        if where:
            name = "::".join(where)
        else:
            name = f"{owner.get(item_id, '?')}::{item.get('name')} (method)"
        counted.append((kind, name))
    if "--list" in sys.argv:
        for kind, name in sorted(counted, key=lambda c: (c[1], c[0])):
            print(f"{kind:10} {name}")
    by_kind = {}
    for kind, _ in counted:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    print(" ".join(f"{k}={by_kind[k]}" for k in sorted(by_kind)))
    print(f"public items: {len(counted)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
