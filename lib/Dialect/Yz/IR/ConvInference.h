//===- ConvInference.h - window and convolution inference -------*- C++ -*-===//
//
// Part of Yizhuang. Private to lib/Dialect/Yz/IR: shared by yz.conv2d
// (NNOps.cpp), yz.qconv2d (QuantOps.cpp) and pooling.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_LIB_DIALECT_YZ_IR_CONVINFERENCE_H
#define YZ_LIB_DIALECT_YZ_IR_CONVINFERENCE_H

#include "yz/Dialect/Yz/IR/YzOps.h"

namespace mlir::yz {

/// Checks window attributes; on success fills the output H and W.
LogicalResult inferWindow(std::optional<Location> loc, StringRef op,
                          RankedTensorType input, ArrayRef<int64_t> kernel,
                          ArrayRef<int64_t> strides,
                          ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads,
                          SmallVectorImpl<int64_t> &hw, bool ceil = false);

/// The result type of a convolution (yz.conv2d, yz.qconv2d) whose bias is
/// of `biasElt` and result of `resultElt`.
template <typename Adaptor>
LogicalResult inferConvType(std::optional<Location> loc, StringRef name,
                            Adaptor adaptor, Type biasElt, Type resultElt,
                            SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto filter = cast<RankedTensorType>(adaptor.getFilter().getType());
  if (input.getRank() != 4)
    return emitOptionalError(loc, name, " input must be NCHW (rank 4), got ",
                             input);
  if (filter.getRank() != 4)
    return emitOptionalError(loc, name, " filter must be FCHW (rank 4), got ",
                             filter);
  if (input.getElementType() != filter.getElementType())
    return emitOptionalError(loc, name, " input and filter element types "
                                        "differ: ",
                             input.getElementType(), " vs ",
                             filter.getElementType());
  // Guards for ops built in C++; parsed IR gets ODS's "requires attribute".
  if (!adaptor.getStridesAttr() || !adaptor.getDilationsAttr() ||
      !adaptor.getPadsAttr() || !adaptor.getGroupsAttr())
    return emitOptionalError(loc, name, " needs strides, dilations, pads "
                                        "and groups");
  int64_t groups = adaptor.getGroupsAttr().getInt();
  int64_t c = input.getDimSize(1);
  int64_t f = filter.getDimSize(0);
  if (groups < 1 ||
      (!ShapedType::isDynamic(c) && c != filter.getDimSize(1) * groups) ||
      f % groups != 0)
    return emitOptionalError(loc, name, " with ", groups, " groups needs ",
                             "C = filter C x groups and F divisible by groups; "
                             "got input ",
                             input, " and filter ", filter);
  if (Value bias = adaptor.getBias()) {
    auto b = cast<RankedTensorType>(bias.getType());
    if (b.getRank() != 1 || b.getDimSize(0) != f ||
        b.getElementType() != biasElt)
      return emitOptionalError(loc, name, " bias must be [", f, "] of ",
                               biasElt, ", got ", b);
  }
  SmallVector<int64_t> hw;
  if (failed(inferWindow(loc, name, input, filter.getShape().drop_front(2),
                         adaptor.getStrides(), adaptor.getDilations(),
                         adaptor.getPads(), hw)))
    return failure();
  types.push_back(RankedTensorType::get({input.getDimSize(0), f, hw[0], hw[1]},
                                        resultElt));
  return success();
}

/// The multiply-accumulates of a convolution producing `result`.
uint64_t convMacs(Value filter, Value result);

} // namespace mlir::yz

#endif // YZ_LIB_DIALECT_YZ_IR_CONVINFERENCE_H
