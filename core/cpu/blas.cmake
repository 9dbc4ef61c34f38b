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

# Random weights must be the same on every platform: no fused multiply-add contraction in the
# normal generator (it would round differently where FMA exists). Its loops vectorise with the
# same two flags as the CPU backends' (below).
set_source_files_properties(${PROJECT_SOURCE_DIR}/core/model/NormalFill.cpp
  PROPERTIES COMPILE_OPTIONS "-ffp-contract=off;-fno-trapping-math;-fno-math-errno")

# The CPU backends' element-wise loops (exp, erf-GELU, softmax) vectorise only when float
# compares and divisions may be evaluated speculatively and sqrt need not set errno:
# -fno-trapping-math -fno-math-errno allow that and change no result (IEEE rounding is
# untouched; only FP exception flags and errno lose their meaning, and nothing reads them).
file(GLOB _cpu_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/cpu/*.cpp)
set_source_files_properties(${_cpu_sources} PROPERTIES COMPILE_OPTIONS "-fno-trapping-math;-fno-math-errno")
