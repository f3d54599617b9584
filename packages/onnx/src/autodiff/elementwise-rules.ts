import { broadcast, exact, inputAt, type RuleContext, type VjpRule } from './rule-types.js';

function scalar(context: RuleContext, value: number) {
  return context.builder.scalar(value, context.output.type);
}

/** Builds a rule for a unary operator from the cotangent of its single input. */
function unary(rule: (context: RuleContext) => ReturnType<RuleContext['builder']['neg']>): VjpRule {
  return (context) => [exact(rule(context))];
}

export const ELEMENTWISE_RULES: Readonly<Record<string, VjpRule>> = {
  Add: ({ gradient }) => [broadcast(gradient), broadcast(gradient)],
  Sub: (context) => [
    broadcast(context.gradient),
    context.needs(1) ? broadcast(context.builder.neg(context.gradient)) : null,
  ],
  Mul: (context) => {
    const { builder, gradient } = context;
    return [
      context.needs(0) ? broadcast(builder.mul(gradient, inputAt(context, 1))) : null,
      context.needs(1) ? broadcast(builder.mul(gradient, inputAt(context, 0))) : null,
    ];
  },
  Div: (context) => {
    const { builder, gradient, output } = context;
    const divisor = inputAt(context, 1);
    const quotientGradient = context.needs(1)
      ? broadcast(builder.neg(builder.div(builder.mul(gradient, output), divisor)))
      : null;
    return [context.needs(0) ? broadcast(builder.div(gradient, divisor)) : null, quotientGradient];
  },
  Neg: unary(({ builder, gradient }) => builder.neg(gradient)),
  Identity: unary(({ gradient }) => gradient),
  Relu: unary((context) => {
    const { builder, gradient } = context;
    const positive = builder.greater(inputAt(context, 0), scalar(context, 0));
    return builder.where(positive, gradient, scalar(context, 0));
  }),
  Tanh: unary((context) => {
    const { builder, gradient, output } = context;
    const slope = builder.sub(scalar(context, 1), builder.mul(output, output));
    return builder.mul(gradient, slope);
  }),
  Sigmoid: unary((context) => {
    const { builder, gradient, output } = context;
    const slope = builder.mul(output, builder.sub(scalar(context, 1), output));
    return builder.mul(gradient, slope);
  }),
  Exp: unary(({ builder, gradient, output }) => builder.mul(gradient, output)),
  Log: unary((context) => context.builder.div(context.gradient, inputAt(context, 0))),
  Sqrt: unary((context) => {
    const { builder, gradient, output } = context;
    return builder.div(gradient, builder.mul(output, scalar(context, 2)));
  }),
  Where: (context) => {
    const { builder, gradient } = context;
    const condition = inputAt(context, 0);
    const zero = scalar(context, 0);
    return [
      null,
      context.needs(1) ? broadcast(builder.where(condition, gradient, zero)) : null,
      context.needs(2) ? broadcast(builder.where(condition, zero, gradient)) : null,
    ];
  },
  Expand: (context) => [broadcast(context.gradient), null],
  Cast: (context) => [exact(context.builder.cast(context.gradient, inputAt(context, 0).type))],
};
