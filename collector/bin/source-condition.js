// Module resolution hook: resolve packages through their "source" export
// condition, so workspace packages load from TypeScript sources.
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('source') ? context.conditions : [...context.conditions, 'source'];
  return nextResolve(specifier, { ...context, conditions });
}
