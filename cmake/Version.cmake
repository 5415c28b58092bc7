# Part of Yizhuang. Run at build time (cmake -P): writes OUT with the
# project version and the source tree's git revision, touching it only when
# they change, so that --version names the revision the tools were built
# from without rebuilding them on every build.
execute_process(COMMAND git -C "${SRC}" rev-parse --short=12 HEAD
                OUTPUT_VARIABLE rev OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE failed ERROR_QUIET)
if(failed OR rev STREQUAL "")
  set(rev "unknown")
else()
  execute_process(COMMAND git -C "${SRC}" diff --quiet HEAD
                  RESULT_VARIABLE dirty ERROR_QUIET)
  if(dirty)
    set(rev "${rev}-modified")
  endif()
endif()
set(text "#define YZ_VERSION \"${VERSION}\"\n#define YZ_GIT_REVISION \"${rev}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
