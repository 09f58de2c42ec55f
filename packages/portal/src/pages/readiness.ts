/** The readiness page: one framework's readiness for the chosen period, as `evidentia readiness` computes it. */
import type { Readiness } from '@evidentia/audit';
import type { FrameworkId } from '@evidentia/catalog';
import { frameworkReadiness, html, type SafeHtml } from '@evidentia/publish';
import { periodField, select } from '../layout.js';

export interface ReadinessView {
  readiness: Readiness;
  frameworks: readonly FrameworkId[];
  offered: readonly string[];
  period: string;
  typedPeriods: boolean;
}

export function readinessPage(view: ReadinessView): SafeHtml {
  const frameworks = view.frameworks.map((id) => ({ value: id, text: id }));
  return html`<form class="filters" method="get" action="/readiness">${select('framework', 'framework', frameworks, view.readiness.framework)}${periodField(view.offered, view.period, view.typedPeriods)}<button type="submit">Show</button></form>
<p>Period ${view.period}, judged as of ${view.readiness.now}.</p>
${frameworkReadiness(view.readiness)}`;
}
