#!/usr/bin/env python3
"""Counts public items reachable from src/lib.rs: `pub` fn/struct/enum/const/static/type/
trait/mod/use declarations and `pub` fields, in modules declared `pub mod` all the way
down (a `pub(crate)`/private module and everything in it is not counted).
Usage: scripts/public-items.py src [--list]"""
import os, re, sys
src = sys.argv[1]
listing = '--list' in sys.argv
item = re.compile(r'^\s*pub\s+(?:const\s+fn|async\s+fn|unsafe\s+fn|fn|struct|enum|const|static|type|trait|mod|use)\b')
field = re.compile(r'^\s+pub\s+[a-z_][a-z0-9_]*\s*:')
modecl = re.compile(r'^\s*pub\s+mod\s+([a-z_0-9]+)\s*;')
variant_fields = 0
total = 0
per = {}
def module_file(dirpath, name):
    for cand in (os.path.join(dirpath, name + '.rs'), os.path.join(dirpath, name, 'mod.rs')):
        if os.path.exists(cand):
            return cand
    return None
def walk(path, modpath):
    global total
    text = open(path).read()
    # drop #[cfg(test)] mod tests { ... } roughly: stop at '#[cfg(test)]\nmod tests'
    cut = re.search(r'^#\[cfg\(test\)\]\s*\n\s*(pub(\([^)]*\))?\s+)?mod tests\s*\{', text, re.M)
    if cut:
        text = text[:cut.start()]
    n = 0
    for line in text.split('\n'):
        if item.match(line) or field.match(line):
            n += 1
            if listing:
                print(f"{modpath}: {line.strip()[:100]}")
    per[modpath] = n
    total += n
    d = os.path.dirname(path)
    base = os.path.basename(path)
    subdir = d if base in ('mod.rs', 'lib.rs') else os.path.join(d, base[:-3])
    for line in text.split('\n'):
        m = modecl.match(line)
        if m:
            f = module_file(subdir, m.group(1))
            if f:
                walk(f, modpath + '::' + m.group(1))
walk(os.path.join(src, 'lib.rs'), 'anpham')
for k in sorted(per, key=lambda k: -per[k]):
    if not listing:
        print(f"{per[k]:5d}  {k}")
print(f"total {total}")
