// HealthConfigSource over @tributary/config's health.d parser: maps its definitions into what the engine needs and
// turns every parse error, warning or unsupported feature into an issue with file:line. A stanza with an error is
// skipped whole; the others load.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  HealthDefinition as ParsedDefinition,
  HealthLookup,
  parseHealthLookup,
  parseHealthText as parseConfigHealthText,
} from '@tributary/config';
import { HealthConfigIssue, HealthConfigSource, HealthDefinition, LookupMethod, LookupSpec } from './health-definition';

const METHODS: Record<string, LookupMethod> = {
  average: 'average',
  mean: 'average',
  min: 'min',
  max: 'max',
  sum: 'sum',
  'incremental-sum': 'incremental-sum',
  incremental_sum: 'incremental-sum',
  median: 'median',
  stddev: 'stddev',
  cv: 'cv',
  rsd: 'cv',
  ses: 'ses',
  ema: 'ses',
  ewma: 'ses',
  des: 'des',
};

/** Returns the engine's lookup, or why it cannot run it. */
export function toLookupSpec(l: HealthLookup, source: string): LookupSpec | string {
  const method = METHODS[l.method];
  if (!method) return `lookup method '${l.method}' is not supported by health-engine`;
  if (l.options.includes('anomaly-bit')) return `lookup option 'anomaly-bit' is not supported by health-engine`;
  const ids = l.options.includes('match-ids');
  const names = l.options.includes('match-names');
  return {
    method,
    after: l.after > 0 ? -l.after : l.after,
    before: l.before > 0 ? -l.before : l.before,
    unaligned: l.unaligned,
    absolute: l.absolute,
    percentage: l.percentage,
    min2max: l.min2max,
    null2zero: l.options.includes('null2zero'),
    matchIds: ids || !names,
    matchNames: names || !ids,
    // Netdata separates lookup dimensions with commas too; simple patterns split on spaces and pipes
    dimensions: (l.dimensions ?? '').replace(/,/g, ' ').trim(),
    foreach: (l.foreach ?? '').replace(/,/g, ' ').trim(),
    source,
  };
}

/** For tests and the benchmark: a lookup line straight to the engine's form. */
export function lookupSpecOf(text: string): LookupSpec {
  const parsed = parseHealthLookup(text);
  if (typeof parsed === 'string') throw new Error(`lookup '${text}' ${parsed}`);
  const spec = toLookupSpec(parsed, text);
  if (typeof spec === 'string') throw new Error(spec);
  return spec;
}

function convert(p: ParsedDefinition): HealthDefinition | string {
  if (!p.on?.value) return `${p.kind} '${p.name}' has no 'on' line`;
  let lookup: LookupSpec | null = null;
  if (p.lookup) {
    const v = p.lookup.value;
    const text = [v.method, `${v.after}s`, v.before ? `at ${v.before}s` : '', ...v.options, v.dimensions ? `of ${v.dimensions}` : '']
      .filter(Boolean)
      .join(' ');
    const l = toLookupSpec(v, text);
    if (typeof l === 'string') return `${p.kind} '${p.name}': ${l}`;
    lookup = l;
  }
  if (!lookup && !p.calc?.value && !p.warn?.value && !p.crit?.value) return `${p.kind} '${p.name}' has nothing to evaluate`;
  return {
    kind: p.kind,
    name: p.name,
    on: p.on.value,
    os: p.os?.value ?? '',
    hosts: p.hosts?.value ?? '',
    families: p.families?.value ?? '',
    charts: p.charts?.value ?? '',
    plugin: p.plugin?.value ?? '',
    module: p.module?.value ?? '',
    hostLabels: p.hostLabels?.value ?? '',
    chartLabels: p.chartLabels?.value ?? '',
    lookup,
    calc: p.calc?.value ?? '',
    every: p.every?.value ?? p.lookup?.value.every ?? 0,
    units: p.units?.value ?? '',
    warn: p.warn?.value ?? '',
    crit: p.crit?.value ?? '',
    delay: p.delay?.value ?? { up: 0, down: 0, multiplier: 1, max: 0 },
    warnRepeatEvery: p.repeat?.value.warning ?? 0,
    critRepeatEvery: p.repeat?.value.critical ?? 0,
    info: p.info?.value ?? '',
    to: p.to?.value ?? '',
    exec: p.exec?.value ?? '',
    noClearNotification: p.options?.value.includes('no-clear-notification') ?? false,
    classification: p.class?.value ?? 'Unknown',
    component: p.component?.value ?? 'Unknown',
    type: p.type?.value ?? 'Unknown',
    source: `${p.line}@${p.file}`,
  };
}

export function readHealthText(text: string, file: string): { definitions: HealthDefinition[]; issues: HealthConfigIssue[] } {
  const r = parseConfigHealthText(text, file);
  const issues: HealthConfigIssue[] = [];
  // an error belongs to the stanza that starts at or before its line
  const broken = new Set<ParsedDefinition>();
  for (const e of r.errors) {
    const line = e.location?.line ?? 0;
    issues.push({ file: e.location?.file ?? file, line, message: e.message.replace(/^[^:]+:\d+: /, '') });
    let owner: ParsedDefinition | undefined;
    for (const d of r.definitions) if (d.line <= line) owner = d;
    if (owner) broken.add(owner);
  }
  for (const w of r.warnings) issues.push({ file: w.location?.file ?? file, line: w.location?.line ?? 0, message: w.message.replace(/^[^:]+:\d+: /, '') });
  const definitions: HealthDefinition[] = [];
  for (const p of r.definitions) {
    if (broken.has(p)) continue;
    const d = convert(p);
    if (typeof d === 'string') issues.push({ file: p.file, line: p.line, message: d });
    else definitions.push(d);
  }
  return { definitions, issues };
}

export class ConfigLibHealthSource implements HealthConfigSource {
  load(dirs: readonly string[]): { definitions: HealthDefinition[]; issues: HealthConfigIssue[] } {
    const definitions: HealthDefinition[] = [];
    const issues: HealthConfigIssue[] = [];
    const files = new Map<string, string>();
    for (const dir of dirs) {
      let names: string[];
      try {
        names = readdirSync(dir).filter((n) => n.endsWith('.conf'));
      } catch {
        continue;
      }
      for (const name of names) if (statSync(join(dir, name)).isFile()) files.set(name, join(dir, name));
    }
    for (const name of [...files.keys()].sort()) {
      const file = files.get(name) as string;
      const r = readHealthText(readFileSync(file, 'utf8'), file);
      definitions.push(...r.definitions);
      issues.push(...r.issues);
    }
    return { definitions, issues };
  }
}
