# Finds OpenBLAS for the CPU backends' GEMMs and sets BERTBENCH_HAVE_OPENBLAS.
# Debian 12 installs the pthread flavour under openblas-pthread/ (libopenblas-dev).
find_path(OPENBLAS_INCLUDE_DIR cblas.h
  PATHS /usr/include/x86_64-linux-gnu/openblas-pthread /usr/include/openblas /usr/include
  NO_DEFAULT_PATH)
if(BERTBENCH_STATIC_BLAS)
  set(_openblas_names libopenblas.a)
else()
  set(_openblas_names openblas)
endif()
find_library(OPENBLAS_LIBRARY NAMES ${_openblas_names}
  PATHS /usr/lib/x86_64-linux-gnu/openblas-pthread /usr/lib/x86_64-linux-gnu /usr/lib
  NO_DEFAULT_PATH)
if(OPENBLAS_INCLUDE_DIR AND OPENBLAS_LIBRARY)
  message(STATUS "BertBench: OpenBLAS ${OPENBLAS_LIBRARY}")
  target_include_directories(bertbench_core PRIVATE ${OPENBLAS_INCLUDE_DIR})
  target_link_libraries(bertbench_core PRIVATE ${OPENBLAS_LIBRARY})
  target_compile_definitions(bertbench_core PRIVATE BERTBENCH_HAVE_OPENBLAS=1)
else()
  message(WARNING "BertBench: OpenBLAS not found (apt-get install libopenblas-dev); "
                  "the CPU backends use a slower built-in GEMM")
endif()
