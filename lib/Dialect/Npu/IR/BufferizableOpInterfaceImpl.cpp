//===- BufferizableOpInterfaceImpl.cpp - npu.conv2d bufferization ---------===//
//
// Part of Yizhuang. npu.conv2d bufferizes like a linalg op: its result is
// its init's buffer, its other operands are read.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "yz/Dialect/Npu/IR/NpuOps.h"

using namespace mlir;
using namespace mlir::bufferization;

namespace {

struct Conv2DOpInterface
    : DstBufferizableOpInterfaceExternalModel<Conv2DOpInterface,
                                              npu::Conv2DOp> {
  // The init is only written.
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const AnalysisState &) const {
    return !cast<DestinationStyleOpInterface>(op).isDpsInit(&operand);
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto conv = cast<npu::Conv2DOp>(op);
    SmallVector<Value> buffers;
    for (Value v : {conv.getInput(), conv.getWeights(), conv.getEpilogue(),
                    conv.getInit()}) {
      FailureOr<Value> buffer = getBuffer(rewriter, v, options, state);
      if (failed(buffer))
        return failure();
      buffers.push_back(*buffer);
    }
    rewriter.setInsertionPoint(op);
    auto memrefConv = npu::Conv2DOp::create(
        rewriter, op->getLoc(), TypeRange{}, buffers[0], buffers[1],
        buffers[2], buffers[3], conv.getKernelAttr(), conv.getStridesAttr(),
        conv.getDilationsAttr(), conv.getZeroPointAttr(),
        conv.getClampMinAttr(), conv.getClampMaxAttr(),
        conv.getActivationAttr());
    memrefConv->setDiscardableAttrs(op->getDiscardableAttrDictionary());
    replaceOpWithBufferizedValues(rewriter, op, buffers[3]);
    return success();
  }
};

} // namespace

void mlir::npu::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, NpuDialect *) {
    Conv2DOp::attachInterface<Conv2DOpInterface>(*ctx);
  });
}
