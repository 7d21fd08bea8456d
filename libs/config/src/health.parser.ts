import { readFileSync } from 'node:fs';
import { ConfigError, ConfigIssues, ConfigLocation } from './config-error';
import { parseHealthLookup } from './health-lookup.parser';
import { HealthDefinition, HealthDelay, HealthLine, HealthRepeat } from './health.types';
import { parseNetdataDuration } from './netdata-values';

export interface HealthParseResult {
  readonly definitions: HealthDefinition[];
  readonly errors: ConfigError[];
  readonly warnings: ConfigIssues['warnings'];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// Keys whose value is kept as written; the property they fill.
const TEXT_KEYS: Record<string, keyof HealthDefinition> = {
  on: 'on',
  os: 'os',
  hosts: 'hosts',
  families: 'families',
  plugin: 'plugin',
  module: 'module',
  charts: 'charts',
  'host labels': 'hostLabels',
  'chart labels': 'chartLabels',
  calc: 'calc',
  green: 'green',
  red: 'red',
  warn: 'warn',
  crit: 'crit',
  units: 'units',
  info: 'info',
  to: 'to',
  exec: 'exec',
  class: 'class',
  type: 'type',
  component: 'component',
};
const TEMPLATE_ONLY = ['families', 'charts'];
const KNOWN_OPTIONS = ['no-clear-notification'];

/** Parses one health.d file from disk. Throws a ConfigError (every error, FILE:LINE each) on syntax errors. */
export function parseHealthFile(path: string): HealthDefinition[] {
  const r = parseHealthText(readFileSync(path, 'utf8'), path);
  if (r.errors.length > 0) throw ConfigError.aggregate(r.errors);
  return r.definitions;
}

/**
 * Netdata 1.37's health_readfile(): a trailing `\` joins the next line (with a space); lines are trimmed; `#` lines are
 * comments; every other line is `key: value` split at the first `:`, keys case-insensitive; `alarm:`/`template:` opens
 * a new definition. Errors and warnings carry the FILE:LINE where the (first physical) line starts.
 */
export function parseHealthText(text: string, file = '<health>'): HealthParseResult {
  const issues = new ConfigIssues();
  const definitions: HealthDefinition[] = [];
  let current: Mutable<HealthDefinition> | undefined;

  const physical = text.split('\n');
  for (let i = 0; i < physical.length; i++) {
    const startLine = i + 1;
    let line = physical[i].trim();
    while (line.endsWith('\\') && i + 1 < physical.length) {
      line = `${line.slice(0, -1)} ${physical[++i].trim()}`.trim();
    }
    if (line === '' || line.startsWith('#')) continue;
    const at: ConfigLocation = { file, line: startLine };

    const colon = line.indexOf(':');
    if (colon < 0) {
      issues.error(at, `health line '${line}' does not contain a ':'`);
      continue;
    }
    // Netdata runs both through trim_all(): runs of whitespace inside become one space.
    const key = line.slice(0, colon).trim().toLowerCase().replace(/\s+/g, ' ');
    const value = line.slice(colon + 1).trim().replace(/\s+/g, ' ');

    if (key === 'alarm' || key === 'template') {
      if (value === '') {
        issues.error(at, `health ${key} without a name`);
        current = undefined;
        continue;
      }
      current = { kind: key, name: value, file, line: startLine };
      definitions.push(current);
      continue;
    }
    if (!current) {
      issues.warn(at, `health line '${key}' is outside an alarm or template, ignored`);
      continue;
    }
    parseKey(current, key, value, at, issues);
  }
  return { definitions, errors: issues.errors, warnings: issues.warnings };
}

function parseKey(def: Mutable<HealthDefinition>, key: string, value: string, at: ConfigLocation, issues: ConfigIssues): void {
  const set = <K extends keyof HealthDefinition>(prop: K, v: HealthDefinition[K]): void => {
    const previous = def[prop] as HealthLine<unknown> | undefined;
    if (previous !== undefined) {
      issues.warn(at, `${def.kind} '${def.name}' has key '${key}' twice (first at line ${previous.line}), using the last one`);
    }
    def[prop] = v;
  };
  const bad = (what: string): void => issues.error(at, `${def.kind} '${def.name}': '${key}: ${value}' ${what}`);

  const textProp = TEXT_KEYS[key];
  if (textProp !== undefined) {
    if (def.kind === 'alarm' && TEMPLATE_ONLY.includes(key)) {
      issues.warn(at, `alarm '${def.name}' has key '${key}', which only templates use, ignored`);
      return;
    }
    set(textProp, { value, ...at } as HealthDefinition[typeof textProp]);
    return;
  }
  switch (key) {
    case 'lookup': {
      const lookup = parseHealthLookup(value);
      if (typeof lookup === 'string') bad(lookup);
      else {
        set('lookup', { value: lookup, ...at });
        // Like Netdata, a lookup sets the evaluation interval (its `every`, else |after|), so line order matters.
        def.updateEvery = lookup.every ?? Math.abs(lookup.after);
      }
      return;
    }
    case 'every': {
      const d = parseNetdataDuration(value);
      if (d === undefined || d <= 0) bad('is not a positive duration');
      else {
        set('every', { value: d, ...at });
        def.updateEvery = d;
      }
      return;
    }
    case 'delay': {
      const delay = parseDelay(value);
      if (typeof delay === 'string') bad(delay);
      else set('delay', { value: delay, ...at });
      return;
    }
    case 'repeat': {
      const repeat = parseRepeat(value);
      if (typeof repeat === 'string') bad(repeat);
      else set('repeat', { value: repeat, ...at });
      return;
    }
    case 'options': {
      const list = value.split(/\s+/).filter((o) => o !== '');
      for (const o of list) if (!KNOWN_OPTIONS.includes(o)) issues.warn(at, `${def.kind} '${def.name}' has unknown option '${o}'`);
      set('options', { value: list, ...at });
      return;
    }
    default:
      issues.warn(at, `${def.kind} '${def.name}' has unknown key '${key}', ignored`);
  }
}

/** `delay: [up D] [down D] [multiplier F] [max D]`; max defaults to the larger of up and down. */
function parseDelay(text: string): HealthDelay | string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  let up = 0;
  let down = 0;
  let multiplier = 1;
  let max: number | undefined;
  for (let i = 0; i < words.length; i++) {
    const key = words[i].toLowerCase();
    const value = words[++i];
    if (value === undefined) return `has no value after '${words[i - 1]}'`;
    if (key === 'multiplier') {
      const m = Number(value);
      if (!Number.isFinite(m) || m <= 0 || value.trim() === '') return `has an invalid multiplier '${value}'`;
      multiplier = m;
      continue;
    }
    const d = parseNetdataDuration(value);
    if (d === undefined || d < 0) return `has an invalid duration '${value}' for '${words[i - 1]}'`;
    if (key === 'up') up = d;
    else if (key === 'down') down = d;
    else if (key === 'max') max = d;
    else return `has an unknown keyword '${words[i - 1]}' (not up, down, multiplier, max)`;
  }
  return { up, down, multiplier, max: max ?? Math.max(up, down) };
}

/** `repeat: off` or `repeat: [warning D] [critical D]`; 0 = never. */
function parseRepeat(text: string): HealthRepeat | string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  let warning = 0;
  let critical = 0;
  for (let i = 0; i < words.length; i++) {
    const key = words[i].toLowerCase();
    if (key === 'off') return { warning: 0, critical: 0 };
    const value = words[++i];
    if (value === undefined) return `has no value after '${words[i - 1]}'`;
    const d = parseNetdataDuration(value);
    if (d === undefined || d < 0) return `has an invalid duration '${value}' for '${words[i - 1]}'`;
    if (key === 'warning') warning = d;
    else if (key === 'critical') critical = d;
    else return `has an unknown keyword '${words[i - 1]}' (not off, warning, critical)`;
  }
  return { warning, critical };
}
