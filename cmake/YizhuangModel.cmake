# Part of Yizhuang. yz_add_model: compile a model with yzc as a step of the
# consumer's build.
#
#   yz_add_model(TARGET name MODEL model.onnx|model.mlir [FLAGS flag...]
#                [QUANTIZE int8 CALIBRATION dir])
#
# Runs yzc at build time for the consumer's target (Yizhuang_TARGET: host
# or riscv64), with --model-name=<name>, and makes <name> a static library
# of the object. Linking it gives the generated header <name>.h (entry
# points yz_model_<name> and yz_invoke_<name>; docs/runtime.md), the
# runtime and the NPU simulator.
function(yz_add_model)
  cmake_parse_arguments(ARG "" "TARGET;MODEL;QUANTIZE;CALIBRATION" "FLAGS"
                        ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_MODEL)
    message(FATAL_ERROR "yz_add_model: TARGET and MODEL are required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "yz_add_model: unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_TARGET MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "yz_add_model: TARGET '${ARG_TARGET}' must be a C "
                        "identifier (it names the model's entry points)")
  endif()
  get_filename_component(model "${ARG_MODEL}" ABSOLUTE)
  set(flags --target=${Yizhuang_TARGET} --model-name=${ARG_TARGET})
  if(ARG_QUANTIZE)
    if(NOT ARG_QUANTIZE STREQUAL "int8" OR NOT ARG_CALIBRATION)
      message(FATAL_ERROR "yz_add_model: QUANTIZE takes int8, with CALIBRATION dir")
    endif()
    get_filename_component(cal "${ARG_CALIBRATION}" ABSOLUTE)
    list(APPEND flags --quantize=int8 --calibration=${cal})
  elseif(ARG_CALIBRATION)
    message(FATAL_ERROR "yz_add_model: CALIBRATION needs QUANTIZE int8")
  endif()
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${ARG_TARGET}.yz")
  set(obj "${dir}/${ARG_TARGET}.o")
  add_custom_command(OUTPUT "${obj}" "${dir}/${ARG_TARGET}.h"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}"
    COMMAND "${Yizhuang_YZC}" "${model}" ${flags} ${ARG_FLAGS} -o "${obj}"
    DEPENDS "${model}" "${Yizhuang_YZC}"
    COMMENT "yzc: compiling ${ARG_MODEL} for ${Yizhuang_TARGET}"
    VERBATIM)
  set_source_files_properties("${obj}" PROPERTIES EXTERNAL_OBJECT TRUE
                                                  GENERATED TRUE)
  add_library(${ARG_TARGET} STATIC "${obj}")
  set_target_properties(${ARG_TARGET} PROPERTIES LINKER_LANGUAGE C)
  target_include_directories(${ARG_TARGET} INTERFACE "${dir}")
  target_link_libraries(${ARG_TARGET} INTERFACE Yizhuang::runtime
                                                Yizhuang::npu_sim)
endfunction()
