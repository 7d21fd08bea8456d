// Minimal health.d reader, kept only until @tributary/config exports parseHealthFile; then HealthConfigSource is
// re-implemented on top of it and this file goes away. It reads `key: value` lines, `\` continuations and
// `#` comments; a stanza starts at `alarm:` or `template:`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDuration } from './duration.parser';
import { DelaySpec, HealthConfigIssue, HealthConfigSource, HealthDefinition, LookupSpec } from './health-definition';
import { parseLookup } from '../lookup/lookup.parser';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function emptyDefinition(kind: 'alarm' | 'template', name: string, source: string): Mutable<HealthDefinition> {
  return {
    kind,
    name,
    on: '',
    os: '',
    hosts: '',
    families: '',
    charts: '',
    plugin: '',
    module: '',
    hostLabels: '',
    chartLabels: '',
    lookup: null,
    calc: '',
    every: 0,
    units: '',
    warn: '',
    crit: '',
    delay: { up: 0, down: 0, multiplier: 1, max: 0 },
    warnRepeatEvery: 0,
    critRepeatEvery: 0,
    info: '',
    to: '',
    exec: '',
    noClearNotification: false,
    classification: 'Unknown',
    component: 'Unknown',
    type: 'Unknown',
    source,
  };
}

function parseDelay(text: string): DelaySpec {
  const w = text.trim().split(/\s+/);
  let up = 0;
  let down = 0;
  let multiplier = 1;
  let max = 0;
  for (let i = 0; i < w.length; i += 2) {
    const v = w[i + 1] ?? '';
    if (w[i] === 'multiplier') {
      multiplier = Number(v);
      if (!(multiplier > 0)) throw new Error(`bad delay multiplier '${v}'`);
      continue;
    }
    const d = parseDuration(v);
    if (Number.isNaN(d)) throw new Error(`bad delay duration '${v}'`);
    if (w[i] === 'up') up = d;
    else if (w[i] === 'down') down = d;
    else if (w[i] === 'max') max = d;
    else throw new Error(`unknown delay keyword '${w[i]}'`);
  }
  return { up, down, multiplier, max: Math.max(max, up, down) };
}

function parseRepeat(text: string): { warn: number; crit: number } {
  const w = text.trim().split(/\s+/);
  if (w.length === 1 && w[0] === 'off') return { warn: 0, crit: 0 };
  let warn = 0;
  let crit = 0;
  for (let i = 0; i < w.length; i += 2) {
    const d = w[i + 1] === 'off' ? 0 : parseDuration(w[i + 1] ?? '');
    if (Number.isNaN(d)) throw new Error(`bad repeat duration '${w[i + 1] ?? ''}'`);
    if (w[i] === 'warning') warn = d;
    else if (w[i] === 'critical') crit = d;
    else throw new Error(`unknown repeat keyword '${w[i]}'`);
  }
  return { warn, crit };
}

function apply(def: Mutable<HealthDefinition>, key: string, value: string): void {
  switch (key) {
    case 'on':
      def.on = value;
      return;
    case 'os':
      def.os = value;
      return;
    case 'hosts':
      def.hosts = value;
      return;
    case 'families':
      def.families = value;
      return;
    case 'charts':
      def.charts = value;
      return;
    case 'plugin':
      def.plugin = value;
      return;
    case 'module':
      def.module = value;
      return;
    case 'host labels':
      def.hostLabels = value;
      return;
    case 'chart labels':
      def.chartLabels = value;
      return;
    case 'lookup':
      def.lookup = parseLookup(value) satisfies LookupSpec;
      return;
    case 'calc':
      def.calc = value;
      return;
    case 'every': {
      const d = parseDuration(value);
      if (!(d > 0)) throw new Error(`bad every '${value}'`);
      def.every = d;
      return;
    }
    case 'units':
      def.units = value;
      return;
    case 'warn':
      def.warn = value;
      return;
    case 'crit':
      def.crit = value;
      return;
    case 'delay':
      def.delay = parseDelay(value);
      return;
    case 'repeat': {
      const r = parseRepeat(value);
      def.warnRepeatEvery = r.warn;
      def.critRepeatEvery = r.crit;
      return;
    }
    case 'info':
      def.info = value;
      return;
    case 'to':
      def.to = value;
      return;
    case 'exec':
      def.exec = value;
      return;
    case 'options':
      def.noClearNotification = value.split(/\s+/).includes('no-clear-notification');
      return;
    case 'class':
      def.classification = value;
      return;
    case 'component':
      def.component = value;
      return;
    case 'type':
      def.type = value;
      return;
    case 'green':
    case 'red':
    case 'summary':
      return;
    default:
      throw new Error(`unknown key '${key}'`);
  }
}

export function parseHealthText(text: string, file: string): { definitions: HealthDefinition[]; issues: HealthConfigIssue[] } {
  const definitions: HealthDefinition[] = [];
  const issues: HealthConfigIssue[] = [];
  let current: Mutable<HealthDefinition> | null = null;
  let skipping = false;
  const close = () => {
    if (current && !skipping) {
      if (!current.on) issues.push({ file, line: Number(current.source.split('@')[0]), message: `${current.name}: no 'on' line` });
      else if (!current.lookup && !current.calc && !current.warn && !current.crit)
        issues.push({ file, line: Number(current.source.split('@')[0]), message: `${current.name}: nothing to evaluate` });
      else definitions.push(current);
    }
    current = null;
    skipping = false;
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i];
    while (line.trimEnd().endsWith('\\') && i + 1 < lines.length) line = line.trimEnd().slice(0, -1).trimEnd() + ' ' + lines[++i].trim();
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const colon = trimmed.indexOf(':');
    if (colon < 0) {
      issues.push({ file, line: lineNo, message: `no ':' in '${trimmed}'` });
      continue;
    }
    const key = trimmed.slice(0, colon).trim().toLowerCase();
    const value = trimmed.slice(colon + 1).trim();
    if (key === 'alarm' || key === 'template') {
      close();
      current = emptyDefinition(key, value, `${lineNo}@${file}`);
      if (!/^[A-Za-z0-9_.-]+$/.test(value)) {
        issues.push({ file, line: lineNo, message: `bad ${key} name '${value}'` });
        skipping = true;
      }
      continue;
    }
    if (!current) {
      issues.push({ file, line: lineNo, message: `'${key}' outside an alarm or template` });
      continue;
    }
    if (skipping) continue;
    try {
      apply(current, key, value);
    } catch (e) {
      issues.push({ file, line: lineNo, message: `${current.name}: ${(e as Error).message}` });
      skipping = true;
    }
  }
  close();
  return { definitions, issues };
}

export class LocalHealthConfigSource implements HealthConfigSource {
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
      const r = parseHealthText(readFileSync(file, 'utf8'), file);
      definitions.push(...r.definitions);
      issues.push(...r.issues);
    }
    return { definitions, issues };
  }
}
