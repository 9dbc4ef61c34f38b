# The Debian package: `cpack -G DEB` in a build folder (after building) writes
# bertbench_<version>_<arch>.deb. Depends are computed from the binaries' shared libraries with
# dpkg-shlibdeps (dpkg-dev), so a CPU build depends on Qt, OpenBLAS and libstdc++ only. A CUDA
# build links the CUDA runtime statically and loads libnvidia-ml with dlopen; the CUDA libraries it
# still links (cuBLAS) are not Debian packages, so they are left out of Depends: the machine's
# CUDA installation provides them.
set(CPACK_PACKAGE_NAME bertbench)
set(CPACK_PACKAGE_VENDOR "BertBench")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "BERT attention implementation benchmark (GUI and CLI)")
set(CPACK_PACKAGE_DESCRIPTION
    "BertBench measures how BERT inference speed and memory change with the attention implementation, "
    "the batch size, the sequence length and the share of padding: the bertbench workbench (Qt) and "
    "the bertbench-cli command line tool.")
set(CPACK_PACKAGE_CONTACT "BertBench maintainers <maintainers@users.noreply.r-seed-089fb774.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${CPACK_PACKAGE_CONTACT})
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/DELTA-DoubleWise/HPML_Bert_Benchmarking")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Libraries no Debian package provides (the CUDA toolkit's) are not turned into Depends.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib)
# python3 (with torch and transformers) runs the torch:* backends; a font for the figures' text.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "qt6-wayland")
set(CPACK_GENERATOR DEB)
include(CPack)
