/*
 * src/report/annotations.ts - violations as GitHub Actions workflow commands (`--github`): one
 * `::error` line per violation, so a CI run shows them on its summary page without a parser.
 */
import { type ResultJson, violationText } from './results.ts';

/** the workflow-command escapes: data gets %, CR, LF; properties also , and : */
const data = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string): string => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function toGithubAnnotations(results: readonly ResultJson[]): string {
  const lines = results.flatMap((r) =>
    r.violations.map((v) => {
      const title = property(`irqcheck ${v.invariant} [${v.category}] in ${r.design} (${r.kernel}, ${r.config})`);
      return `::error title=${title}::${data(`${v.message}\n${violationText(v)}`)}`;
    }),
  );
  return lines.length ? `${lines.join('\n')}\n` : '';
}
