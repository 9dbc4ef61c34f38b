# Install rules: what `cmake --install` puts where (GNUInstallDirs, so /usr/bin, /usr/share/... in
# the Debian package). Both binaries carry their resources compiled in (the torch worker script as
# strings in bertbench_core, the GUI's presets and icon as Qt resources), so an installed binary
# never reads the source tree. The presets are installed too, as spec files for `run --spec`.
include(GNUInstallDirs)

# A CUDA build links the toolkit's shared libraries (libcudart, cuBLAS) from outside the system's
# library path (/usr/local/cuda/lib64): the installed binaries keep that path as their RPATH, as
# the build tree's do. A CPU build links system libraries only and gets no RPATH.
if(BERTBENCH_HAVE_CUDA)
  set_target_properties(bertbench-cli PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)
  if(BERTBENCH_GUI)
    set_target_properties(bertbench PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)
  endif()
endif()
install(TARGETS bertbench-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/presets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/bertbench/presets
        FILES_MATCHING PATTERN "*.json")
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/bertbench)
if(EXISTS ${PROJECT_SOURCE_DIR}/LICENSE)
  install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/bertbench RENAME copyright)
endif()

if(BERTBENCH_GUI)
  install(TARGETS bertbench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${PROJECT_SOURCE_DIR}/resources/bertbench.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/bertbench.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
  # PNG sizes of the hicolor theme, rendered from the SVG at build time.
  set(_icon_sizes 16 24 32 48 64 128 256)
  add_executable(render-icon-pngs ${PROJECT_SOURCE_DIR}/resources/icons/RenderIconPngs.cpp)
  target_link_libraries(render-icon-pngs PRIVATE Qt6::Gui Qt6::Svg)
  set(_icon_dir ${CMAKE_BINARY_DIR}/icons)
  set(_icon_pngs)
  foreach(size IN LISTS _icon_sizes)
    list(APPEND _icon_pngs ${_icon_dir}/${size}.png)
    install(FILES ${_icon_dir}/${size}.png DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
            RENAME bertbench.png)
  endforeach()
  add_custom_command(OUTPUT ${_icon_pngs}
                     COMMAND render-icon-pngs ${PROJECT_SOURCE_DIR}/resources/icons/bertbench.svg ${_icon_dir} ${_icon_sizes}
                     DEPENDS render-icon-pngs ${PROJECT_SOURCE_DIR}/resources/icons/bertbench.svg
                     COMMENT "Rendering the hicolor icon PNGs"
                     VERBATIM)
  add_custom_target(bertbench_icon_pngs ALL DEPENDS ${_icon_pngs})
endif()

# Man pages from each binary's --help, with help2man when the build machine has it
# (scripts/install-deps.sh installs it); without it the package simply has none.
# Not in sanitizer builds: their binaries' leak reports would end up in the page.
find_program(BERTBENCH_HELP2MAN help2man)
if(BERTBENCH_HELP2MAN AND NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize")
  set(_man_targets bertbench-cli)
  set(_man_bertbench-cli "the headless BERT attention benchmark: sweeps, summaries, conversions")
  if(BERTBENCH_GUI)
    list(APPEND _man_targets bertbench)
    set(_man_bertbench "the BERT attention benchmark workbench, a Qt desktop application")
  endif()
  set(_man_pages)
  foreach(target IN LISTS _man_targets)
    set(_page ${CMAKE_BINARY_DIR}/man/${target}.1)
    # QT_QPA_PLATFORM=offscreen: the GUI binary prints its --help without a display.
    add_custom_command(OUTPUT ${_page}
                       COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
                       COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
                               ${BERTBENCH_HELP2MAN} --no-info "--name=${_man_${target}}" "--version-string=${target} ${PROJECT_VERSION}"
                               --output=${_page} $<TARGET_FILE:${target}>
                       DEPENDS ${target}
                       COMMENT "Generating the ${target}(1) man page with help2man"
                       VERBATIM)
    list(APPEND _man_pages ${_page})
    install(FILES ${_page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endforeach()
  add_custom_target(bertbench_man_pages ALL DEPENDS ${_man_pages})
elseif(NOT BERTBENCH_HELP2MAN)
  message(STATUS "BertBench: help2man not found, no man pages (apt-get install help2man)")
endif()
