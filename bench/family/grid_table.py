"""What the grid steps' tables share (family_table.py beside it, bench/modernbert/modernbert_table.py):
reading bertbench-cli's results.csv, its numbers and cell names, and the command line (results.csv
paths, or --self-test). Not run on its own; standard library only.
"""
import csv
import os
import sys


def num(text):
    """A results.csv number; an empty or missing field is NaN, so it drops out of every comparison."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return float("nan")


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def cell_text(k):
    """(batch, seq, pad) as the tables name a cell: 128x512 p0."""
    return f"{k[0]}x{k[1]} p{k[2]:g}"


def main(name, title, table, self_test):
    """Prints `title` and table(paths) of the results.csv files named on the command line (those that
    exist), or runs `self_test` for --self-test. The exit status: 1 where no file was found."""
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return 0
    paths = [p for p in sys.argv[1:] if os.path.exists(p)]
    if not paths:
        print(f"{name}: no results.csv given or found")
        return 1
    print(f"{title}\n")
    print(table(paths))
    return 0
