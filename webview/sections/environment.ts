// The machine and runtimes a report was measured on, and the captured output of the profiled functions.
import type { Report } from '../../protocol/report';
import { h } from '../dom';
import { runLabel } from '../runLabel';

export function environmentList(report: Report): HTMLElement {
  const env = report.environment;
  const rows: [string, string | undefined][] = [
    ['CPU', env.cpuModel],
    [
      'cores',
      `${env.logicalCores} logical, ${env.usableCores} usable, ${env.physicalCores ?? 'unknown'} physical`,
    ],
    ['runtime', env.runtime],
    ['platform', env.platform],
    ['host', env.hostname],
    ['Node.js', env.nodeVersion],
    ...(env.runtimes ?? []).map((r): [string, string] => [
      r.runtime,
      [
        r.executable,
        r.gil === null || r.gil === undefined ? undefined : r.gil ? 'GIL enabled' : 'free-threaded',
      ]
        .filter(Boolean)
        .join(' · '),
    ]),
    ['created', report.createdAt],
    ['tool', report.tool ? `${report.tool.name} ${report.tool.version}` : undefined],
    ['command', report.command?.join(' ')],
  ];
  return h(
    'dl',
    { class: 'environment' },
    ...rows
      .filter(([, value]) => value)
      .flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value ?? '')]),
  );
}

export function capturedOutput(report: Report): HTMLElement | null {
  const blocks = report.runs.flatMap((run) => {
    const output = run.capturedOutput;
    if (!output || output.stdoutBytes + output.stderrBytes === 0) return [];
    return [
      h(
        'details',
        {},
        h(
          'summary',
          {},
          `${runLabel(run)}: ${output.stdoutBytes} bytes on stdout, ${output.stderrBytes} on stderr`,
        ),
        output.stdout ? h('pre', { 'aria-label': 'stdout' }, output.stdout) : null,
        output.stderr ? h('pre', { 'aria-label': 'stderr' }, output.stderr) : null,
      ),
    ];
  });
  return blocks.length === 0 ? null : h('div', {}, ...blocks);
}
