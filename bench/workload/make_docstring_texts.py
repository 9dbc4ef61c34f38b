#!/usr/bin/env python3
"""Writes the texts of bench/workload's lengths file: every docstring of Debian 12's Python 3.11
standard library (libpython3.11-stdlib 3.11.2-6+deb12u6, /usr/lib/python3.11), one example each,
as JSON Lines {"text": ...}, in a fixed order (files sorted by path; in each file the module's
docstring, then its classes' and functions' in source order, nested ones included).

Why this text: a real English corpus that every Debian 12 machine has, with no network; its
lengths are skewed with a long tail (one-line docstrings, then a few pages long), the shape of an
embedding service indexing documentation. Test suites (test/, tests/, idle_test/) and the
installed packages (site-/dist-packages) are left out. Sources are parsed (ast), never imported.

    python3 bench/workload/make_docstring_texts.py > /tmp/docstrings.jsonl
    bertbench-cli workload /tmp/docstrings.jsonl --tokenizer tests/fixtures/tokenizers/bert-base-uncased \\
        --counts > bench/workload/python_docstrings_bert_lengths.txt

(bench/workload/README.md: the counts are bert-base-uncased's WordPiece, [CLS] and [SEP] included,
as HF's BertTokenizerFast counts them.)
"""
import ast
import json
import os
import sys

ROOT = "/usr/lib/python3.11"
SKIP_DIRS = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"}


def docstrings(tree):
    """The module's docstring, then every class's and function's, in source order."""
    out = []
    doc = ast.get_docstring(tree, clean=True)
    if doc:
        out.append(doc)

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                d = ast.get_docstring(child, clean=True)
                if d:
                    out.append(d)
            visit(child)

    visit(tree)
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else ROOT
    paths = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        paths += [os.path.join(dirpath, f) for f in filenames if f.endswith(".py")]
    for path in sorted(paths):
        try:
            with open(path, encoding="utf-8") as f:
                tree = ast.parse(f.read(), filename=path)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue   # lib2to3's fixtures and the like: not Python 3 sources
        for doc in docstrings(tree):
            sys.stdout.write(json.dumps({"text": doc}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
