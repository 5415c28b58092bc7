//===- YzElementwiseOps.td - the elementwise family --------*- tablegen -*-===//
//
// Part of Yizhuang. Every op here implements ElementwiseOpInterface: its
// one definition of arithmetic is `scalar`, the body of buildScalar (b, loc,
// args in scope; helpers in ElementwiseBuilders.h), from which the CPU
// lowering and constant folding both work. Operands broadcast as in numpy.
//
//===----------------------------------------------------------------------===//

#ifndef YZ_DIALECT_YZ_IR_YZELEMENTWISEOPS_TD
#define YZ_DIALECT_YZ_IR_YZELEMENTWISEOPS_TD

include "yz/Dialect/Yz/IR/YzBase.td"

class Yz_BinaryOp<string mnemonic, string desc,
                  Type elt = Yz_Element>
    : Yz_BroadcastOp<mnemonic> {
  let summary = desc # " with numpy broadcasting";
  let description = [{
    Both operands have the same element type; their shapes broadcast as in
    numpy (aligned at the right, a dimension of size 1 stretches).
  }];
  let arguments = (ins RankedTensorOf<[elt]>:$lhs, RankedTensorOf<[elt]>:$rhs);
  let results = (outs RankedTensorOf<[elt]>:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

/// One operand, the result of its type (inferred by the trait).
class Yz_UnaryOp<string mnemonic, string desc,
                 Type elt = AnyFloat>
    : Yz_ElementwiseOp<mnemonic, [SameOperandsAndResultType]> {
  let summary = desc;
  let arguments = (ins RankedTensorOf<[elt]>:$input);
  let results = (outs RankedTensorOf<[elt]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

/// Float math that is one math dialect op.
class Yz_MathOp<string mnemonic, string desc, string mathOp>
    : Yz_UnaryOp<mnemonic, desc> {
  let scalar = "return math::" # mathOp # "::create(b, loc, args[0]);";
}

/// Bitwise and logical ops on integers (i1 is boolean).
class Yz_BitwiseOp<string mnemonic, string desc, string arithOp>
    : Yz_BinaryOp<mnemonic, desc, AnyInteger> {
  let scalar = "return arith::" # arithOp # "::create(b, loc, args[0], args[1]);";
}

/// Floats compare ordered (NaN is never equal); integers by their signedness.
class Yz_CompareOp<string mnemonic, string desc>
    : Yz_BroadcastOp<mnemonic, 0, 1> {
  let summary = "lhs " # desc # " rhs as i1, with numpy broadcasting";
  let arguments = (ins Yz_Tensor:$lhs, Yz_Tensor:$rhs);
  let results = (outs Yz_BoolTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

//===----------------------------------------------------------------------===//
// Arithmetic
//===----------------------------------------------------------------------===//

def Yz_AddOp : Yz_BinaryOp<"add", "Elementwise addition"> {
  let scalar = "return floatOrInt<arith::AddFOp, arith::AddIOp>(b, loc, args);";
}
def Yz_SubOp : Yz_BinaryOp<"sub", "Elementwise subtraction"> {
  let scalar = "return floatOrInt<arith::SubFOp, arith::SubIOp>(b, loc, args);";
}
def Yz_MulOp : Yz_BinaryOp<"mul", "Elementwise multiplication"> {
  let scalar = "return floatOrInt<arith::MulFOp, arith::MulIOp>(b, loc, args);";
}
def Yz_DivOp : Yz_BinaryOp<"div", "Elementwise division (integers round toward zero)"> {
  let scalar = [{
    return bySign<arith::DivFOp, arith::DivSIOp, arith::DivUIOp>(
        b, loc, getLhs(), args);
  }];
}
def Yz_PowOp : Yz_BinaryOp<"pow", "Elementwise power"> {
  let scalar = [{
    return floatOrInt<math::PowFOp, math::IPowIOp>(b, loc, args);
  }];
}
def Yz_MaxOp : Yz_BinaryOp<"max", "Elementwise maximum (NaN propagates)"> {
  let scalar = [{
    return bySign<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>(
        b, loc, getLhs(), args);
  }];
}
def Yz_MinOp : Yz_BinaryOp<"min", "Elementwise minimum (NaN propagates)"> {
  let scalar = [{
    return bySign<arith::MinimumFOp, arith::MinSIOp, arith::MinUIOp>(
        b, loc, getLhs(), args);
  }];
}

def Yz_NegOp : Yz_UnaryOp<"neg", "-x", Yz_Element> {
  let scalar = [{
    if (isa<FloatType>(args[0].getType()))
      return arith::NegFOp::create(b, loc, args[0]);
    return arith::SubIOp::create(b, loc, zeroLike(b, loc, args[0]), args[0]);
  }];
}
def Yz_AbsOp : Yz_UnaryOp<"abs", "|x|", Yz_Element> {
  let scalar = [{
    if (isa<FloatType>(args[0].getType()))
      return math::AbsFOp::create(b, loc, args[0]);
    if (isUnsigned(getInput()))
      return args[0];
    return math::AbsIOp::create(b, loc, args[0]);
  }];
}
def Yz_ReluOp : Yz_UnaryOp<"relu", "Rectified linear unit, max(x, 0)", Yz_Element> {
  let scalar = [{
    Value zero = zeroLike(b, loc, args[0]);
    return bySign<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>(
        b, loc, getInput(), {args[0], zero});
  }];
}

//===----------------------------------------------------------------------===//
// Float math
//===----------------------------------------------------------------------===//

// As 0.5 + 0.5 * tanh(x / 2): the same function, and where math.tanh is
// approximated (yz-approximate-math) one rational polynomial, cheaper than
// exp's range reduction, polynomial and scaling plus a division (the swish
// epilogues of EfficientNet-B0). Absolute error within 1e-7 of 1/(1 +
// exp(-x)); for x below about -16 it is 0 rather than exp(x).
def Yz_SigmoidOp : Yz_UnaryOp<"sigmoid", "1 / (1 + exp(-x))"> {
  let scalar = [{
    Value half = floatLike(b, loc, args[0], 0.5);
    Value t = math::TanhOp::create(b, loc,
                                   arith::MulFOp::create(b, loc, args[0], half));
    return math::FmaOp::create(b, loc, t, half, half);
  }];
}
def Yz_TanhOp : Yz_UnaryOp<"tanh", "Hyperbolic tangent"> {
  let scalar = "return math::TanhOp::create(b, loc, args[0]);";
}
def Yz_ErfOp : Yz_UnaryOp<"erf", "Error function"> {
  let scalar = "return math::ErfOp::create(b, loc, args[0]);";
}
def Yz_ExpOp : Yz_UnaryOp<"exp", "Exponential"> {
  let scalar = "return math::ExpOp::create(b, loc, args[0]);";
}
def Yz_LogOp : Yz_UnaryOp<"log", "Natural logarithm"> {
  let scalar = "return math::LogOp::create(b, loc, args[0]);";
}
def Yz_SqrtOp : Yz_UnaryOp<"sqrt", "Square root"> {
  let scalar = "return math::SqrtOp::create(b, loc, args[0]);";
}
def Yz_FloorOp : Yz_UnaryOp<"floor", "Largest integer not above x"> {
  let scalar = "return math::FloorOp::create(b, loc, args[0]);";
}
def Yz_CeilOp : Yz_MathOp<"ceil", "Smallest integer not below x", "CeilOp">;
def Yz_RoundOp : Yz_MathOp<"round", "Nearest integer, ties to even",
                           "RoundEvenOp">;
def Yz_SinOp : Yz_MathOp<"sin", "Sine", "SinOp">;
def Yz_CosOp : Yz_MathOp<"cos", "Cosine", "CosOp">;
def Yz_TanOp : Yz_MathOp<"tan", "Tangent", "TanOp">;
def Yz_AsinOp : Yz_MathOp<"asin", "Arcsine", "AsinOp">;
def Yz_AcosOp : Yz_MathOp<"acos", "Arccosine", "AcosOp">;
def Yz_AtanOp : Yz_MathOp<"atan", "Arctangent", "AtanOp">;
def Yz_SinhOp : Yz_MathOp<"sinh", "Hyperbolic sine", "SinhOp">;
def Yz_CoshOp : Yz_MathOp<"cosh", "Hyperbolic cosine", "CoshOp">;
def Yz_AsinhOp : Yz_MathOp<"asinh", "Inverse hyperbolic sine", "AsinhOp">;
def Yz_AcoshOp : Yz_MathOp<"acosh", "Inverse hyperbolic cosine", "AcoshOp">;
def Yz_AtanhOp : Yz_MathOp<"atanh", "Inverse hyperbolic tangent", "AtanhOp">;

def Yz_SignOp : Yz_UnaryOp<"sign", "-1, 0 or 1 by the sign of x (NaN stays)",
                           Yz_Element> {
  let scalar = [{
    Value x = args[0], zero = zeroLike(b, loc, x);
    Value one = isa<FloatType>(x.getType()) ? floatLike(b, loc, x, 1.0)
        : Value(arith::ConstantOp::create(b, loc, b.getIntegerAttr(x.getType(), 1)));
    Value pos = compare(b, loc, getInput(), {x, zero}, arith::CmpFPredicate::OGT,
                        arith::CmpIPredicate::sgt, arith::CmpIPredicate::ugt);
    Value neg = compare(b, loc, getInput(), {x, zero}, arith::CmpFPredicate::OLT,
                        arith::CmpIPredicate::slt, arith::CmpIPredicate::ult);
    Value minusOne = isa<FloatType>(x.getType())
        ? Value(arith::NegFOp::create(b, loc, one))
        : Value(arith::SubIOp::create(b, loc, zero, one));
    // Zero (and NaN, which is neither) keeps its value.
    return arith::SelectOp::create(b, loc, pos, one,
        arith::SelectOp::create(b, loc, neg, minusOne, x));
  }];
}

def Yz_IsNaNOp : Yz_BroadcastOp<"is_nan", 0, 1> {
  let summary = "Whether each element is NaN";
  let arguments = (ins Yz_FloatTensor:$input);
  let results = (outs Yz_BoolTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let scalar = [{
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, args[0],
                                 args[0]);
  }];
}

def Yz_IsInfOp : Yz_BroadcastOp<"is_inf", 0, 1> {
  let summary = "Whether each element is an infinity of the chosen signs";
  let arguments = (ins Yz_FloatTensor:$input, BoolAttr:$detect_negative,
                       BoolAttr:$detect_positive);
  let results = (outs Yz_BoolTensor:$result);
  let assemblyFormat = "$input prop-dict attr-dict `:` type($input)";
  let scalar = [{
    Type t = args[0].getType();
    auto inf = [&](bool negative) {
      return arith::ConstantOp::create(b, loc, b.getFloatAttr(t,
          APFloat::getInf(cast<FloatType>(t).getFloatSemantics(), negative)));
    };
    Value r = arith::ConstantOp::create(b, loc, b.getBoolAttr(false));
    if (getDetectPositive())
      r = arith::OrIOp::create(b, loc, r, arith::CmpFOp::create(b, loc,
          arith::CmpFPredicate::OEQ, args[0], inf(false)));
    if (getDetectNegative())
      r = arith::OrIOp::create(b, loc, r, arith::CmpFOp::create(b, loc,
          arith::CmpFPredicate::OEQ, args[0], inf(true)));
    return r;
  }];
}
def Yz_ReciprocalOp : Yz_UnaryOp<"reciprocal", "1 / x"> {
  let scalar = [{
    return arith::DivFOp::create(b, loc, floatLike(b, loc, args[0], 1.0),
                                 args[0]);
  }];
}

//===----------------------------------------------------------------------===//
// Integer bit operations, modulo
//===----------------------------------------------------------------------===//

def Yz_AndOp : Yz_BitwiseOp<"and", "Bitwise (i1: logical) and", "AndIOp">;
def Yz_OrOp : Yz_BitwiseOp<"or", "Bitwise (i1: logical) or", "OrIOp">;
def Yz_XorOp : Yz_BitwiseOp<"xor", "Bitwise (i1: logical) exclusive or", "XOrIOp">;

def Yz_NotOp : Yz_UnaryOp<"not", "Bitwise (i1: logical) negation", AnyInteger> {
  let scalar = [{
    Value ones = arith::ConstantOp::create(b, loc,
        b.getIntegerAttr(args[0].getType(), -1));
    return arith::XOrIOp::create(b, loc, args[0], ones);
  }];
}

def Yz_ShiftLeftOp : Yz_BinaryOp<"shift_left", "lhs << rhs (0 past the width)",
                                 AnyInteger> {
  let scalar = "return shift(b, loc, args, /*left=*/true, isUnsigned(getLhs()));";
}
def Yz_ShiftRightOp : Yz_BinaryOp<"shift_right",
    "lhs >> rhs, logical for unsigned and arithmetic for signed integers",
    AnyInteger> {
  let scalar = "return shift(b, loc, args, /*left=*/false, isUnsigned(getLhs()));";
}

def Yz_ModOp : Yz_BroadcastOp<"mod"> {
  let summary = "Remainder: with `fmod`, of truncated division (C fmod); "
                "else of floored division (Python %, integers only)";
  let arguments = (ins Yz_Tensor:$lhs, Yz_Tensor:$rhs, BoolAttr:$fmod);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs prop-dict attr-dict `:` type($lhs) `,` type($rhs)";
  let hasVerifier = 1;
  let scalar = [{
    return remainder(b, loc, args, getFmod(), isUnsigned(getLhs()));
  }];
}

//===----------------------------------------------------------------------===//
// Comparison and selection
//===----------------------------------------------------------------------===//

def Yz_EqualOp : Yz_CompareOp<"equal", "=="> {
  let scalar = [{
    return compare(b, loc, getLhs(), args, arith::CmpFPredicate::OEQ,
                   arith::CmpIPredicate::eq, arith::CmpIPredicate::eq);
  }];
}
def Yz_LessOp : Yz_CompareOp<"less", "<"> {
  let scalar = [{
    return compare(b, loc, getLhs(), args, arith::CmpFPredicate::OLT,
                   arith::CmpIPredicate::slt, arith::CmpIPredicate::ult);
  }];
}
def Yz_LessEqualOp : Yz_CompareOp<"less_equal", "<="> {
  let scalar = [{
    return compare(b, loc, getLhs(), args, arith::CmpFPredicate::OLE,
                   arith::CmpIPredicate::sle, arith::CmpIPredicate::ule);
  }];
}
def Yz_GreaterOp : Yz_CompareOp<"greater", ">"> {
  let scalar = [{
    return compare(b, loc, getLhs(), args, arith::CmpFPredicate::OGT,
                   arith::CmpIPredicate::sgt, arith::CmpIPredicate::ugt);
  }];
}
def Yz_GreaterEqualOp : Yz_CompareOp<"greater_equal", ">="> {
  let scalar = [{
    return compare(b, loc, getLhs(), args, arith::CmpFPredicate::OGE,
                   arith::CmpIPredicate::sge, arith::CmpIPredicate::uge);
  }];
}

def Yz_SelectOp : Yz_BroadcastOp<"select", 1> {
  let summary = "condition ? lhs : rhs, elementwise with numpy broadcasting";
  let arguments = (ins Yz_BoolTensor:$condition, Yz_Tensor:$lhs,
                       Yz_Tensor:$rhs);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $lhs `,` $rhs attr-dict `:` type($condition) `,`
    type($lhs) `,` type($rhs)
  }];
  let scalar = "return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);";
}

//===----------------------------------------------------------------------===//
// Element type and shape conversions
//===----------------------------------------------------------------------===//

def Yz_CastOp : Yz_ElementwiseOp<"cast"> {
  let summary = "Converts each element to the result's element type";
  let description = [{
    Float to integer rounds toward zero; integers keep their value
    (truncated to a narrower type, extended by their signedness); `i1` is
    boolean (non-zero is true). The shape does not change.
  }];
  let arguments = (ins Yz_Tensor:$input);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let scalar = [{
    return convertScalar(b, loc, args[0], getInput().getType(), getType());
  }];
}

def Yz_BroadcastToOp : Yz_ElementwiseOp<"broadcast_to"> {
  let summary = "Stretches size-1 dimensions to the result shape (numpy)";
  let description = [{
    The input broadcasts to the result type's shape as in numpy: aligned at
    the right, a dimension of size 1 stretches, missing ones are added.
  }];
  let arguments = (ins Yz_Tensor:$input);
  let results = (outs Yz_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let scalar = "return args[0];";
}

#endif // YZ_DIALECT_YZ_IR_YZELEMENTWISEOPS_TD
