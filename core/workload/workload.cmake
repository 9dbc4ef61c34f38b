# core/workload's libraries: ICU (Unicode categories, NFD, lower-casing) for the tokenizers and,
# where found, SentencePiece (libsentencepiece-dev) for SentencePiece models.
# The device preset (static OpenBLAS: a CLI that travels to a bare GPU machine) builds without
# tokenizers by default: ICU's data library alone would double the binary. Its `workload` command
# still reads lengths files; counts come from a build here (`workload FILE --counts`).
if(BERTBENCH_STATIC_BLAS)
  set(_tokenizers_default OFF)
else()
  set(_tokenizers_default ON)
endif()
option(BERTBENCH_TOKENIZERS "Build the WordPiece / byte-level BPE / SentencePiece tokenizers (needs ICU)"
       ${_tokenizers_default})

# Files that need ICU's library (Utf8.cpp uses only ICU's header macros and is always built).
set(_tokenizer_sources AddedTokens BertBasicTokenizer ByteLevelBpeTokenizer GptPreTokenizer
    SentencePieceTokenizer TokenizerJson WordPieceTokenizer)

set(BERTBENCH_HAVE_TOKENIZERS OFF)
if(BERTBENCH_TOKENIZERS)
  find_package(ICU COMPONENTS uc data)
  if(ICU_FOUND)
    set(BERTBENCH_HAVE_TOKENIZERS ON)
    target_link_libraries(bertbench_core PRIVATE ICU::uc ICU::data)
    target_compile_definitions(bertbench_core PUBLIC BERTBENCH_HAVE_TOKENIZERS=1)
    find_path(SENTENCEPIECE_INCLUDE_DIR sentencepiece_processor.h)
    find_library(SENTENCEPIECE_LIBRARY sentencepiece)
    if(SENTENCEPIECE_INCLUDE_DIR AND SENTENCEPIECE_LIBRARY)
      message(STATUS "BertBench: SentencePiece ${SENTENCEPIECE_LIBRARY}")
      target_include_directories(bertbench_core PRIVATE ${SENTENCEPIECE_INCLUDE_DIR})
      target_link_libraries(bertbench_core PRIVATE ${SENTENCEPIECE_LIBRARY})
      target_compile_definitions(bertbench_core PUBLIC BERTBENCH_HAVE_SENTENCEPIECE=1)
    else()
      message(WARNING "BertBench: SentencePiece not found (apt-get install libsentencepiece-dev); "
                      "SentencePiece checkpoints need --lengths")
    endif()
  else()
    message(WARNING "BertBench: ICU not found (apt-get install libicu-dev); built without tokenizers")
  endif()
endif()
if(NOT BERTBENCH_HAVE_TOKENIZERS)
  foreach(name IN LISTS _tokenizer_sources)
    set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/workload/${name}.cpp PROPERTIES HEADER_FILE_ONLY ON)
  endforeach()
endif()
