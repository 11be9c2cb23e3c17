#!/usr/bin/env python3
"""Lists Rust functions longer than N lines: file, name, lines. Usage: scripts/long-functions.py 80 $(find src -name "*.rs")"""
import re, sys
n = int(sys.argv[1])
pat = re.compile(r'^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+([A-Za-z0-9_]+)')
def strip(line):
    # drop strings, chars and comments well enough for brace counting
    line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(?:\\.|[^'\\])'", "''", line)
    return line.split('//')[0]
for path in sys.argv[2:]:
    lines = open(path).read().split('\n')
    i = 0
    while i < len(lines):
        m = pat.match(lines[i])
        if m:
            depth = 0; started = False; j = i
            while j < len(lines):
                s = strip(lines[j])
                if not started and ';' in s and '{' not in s:
                    break
                for c in s:
                    if c == '{': depth += 1; started = True
                    elif c == '}': depth -= 1
                if started and depth == 0:
                    break
                j += 1
            if started:
                length = j - i + 1
                if length > n:
                    print(f"{length:5d}  {path}:{i+1}  {m.group(1)}")
        i += 1
