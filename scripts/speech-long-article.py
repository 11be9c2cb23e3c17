#!/usr/bin/env python3
"""Makes a long Vietnamese article (Markdown) from real text, for measuring the talking
book's memory and speed on a long document (issue #30: ~1.46 million characters).

    scripts/speech-long-article.py CHARS OUT.md SOURCE...

Each SOURCE is a CoNLL-U file (its `# text =` sentences, five to a paragraph: the
Vietnamese Treebank's news sentences) or a plain text file (each non-empty line a
paragraph: e.g. the Vietnamese legal codes of undertheseanlp/resources). The sources are
taken in turn, again from the first when all are used, until CHARS characters.
Nothing here is committed but this script; the text stays outside the repository.
"""
import re
import sys


def paragraphs(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".conllu"):
        sents = [
            l[len("# text = "):].strip()
            for l in text.splitlines()
            if l.startswith("# text = ")
        ]
        sents = [s.replace("LBKT", "(").replace("RBKT", ")") for s in sents]
        sents = [s[:1].upper() + s[1:] for s in sents]
        for i in range(0, len(sents), 5):
            yield " ".join(sents[i:i + 5])
    else:
        for line in text.splitlines():
            line = line.strip()
            # Rules of dashes and the like are decoration, not text.
            if not line or re.fullmatch(r"[-_=*. ]+", line):
                continue
            yield line


def main():
    chars, out, sources = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    body = []
    n = 0
    while n < chars:
        for src in sources:
            for p in paragraphs(src):
                # Markdown would read a leading "1." or "-" as a list: keep it text.
                p = re.sub(r"^(\d+)\.", r"\1\\.", p)
                p = re.sub(r"^([-+*>#])", r"\\\1", p)
                body.append(p)
                n += len(p)
                if n >= chars:
                    break
            if n >= chars:
                break
    with open(out, "w", encoding="utf-8") as f:
        f.write("---\ntitle: Tin dài\nlang: vi\ndate: 2022-11-10\nslug: tin-dai\n---\n\n")
        f.write("\n\n".join(body))
        f.write("\n")
    print(f"{out}: {n} characters in {len(body)} paragraphs")


if __name__ == "__main__":
    main()
