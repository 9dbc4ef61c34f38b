// The tokenizer files of a checkpoint folder: tokenizer.json, vocab.txt, vocab.json, merges.txt.
#include "tests/fuzz/FuzzReaders.h"
#include "tests/fuzz/FuzzTarget.h"

BERTBENCH_FUZZ_TARGET(bertbench::fuzz::readTokenizerFileInput(input))
