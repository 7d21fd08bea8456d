// Turns a HealthDefinition into its compiled form once at boot: expressions parsed, patterns compiled, and a
// matcher telling which charts of which hosts the alarm/template applies to.
import { SimplePattern } from '@tributary/simple-patterns';
import type { ChartRuntime, HostRuntime } from '../host/host.model';
import { compileExpression, CompiledExpression } from '../expression/expression.compiler';
import { CompiledDefinition } from '../alarm/alarm.instance';
import { HealthDefinition } from './health-definition';

export interface BindableDefinition extends CompiledDefinition {
  appliesTo(host: HostRuntime, chart: ChartRuntime): boolean;
  /** `foreach` pattern, null when the alarm is not per dimension. */
  readonly foreach: SimplePattern | null;
}

/** Netdata's rrdvar_fix_name: anything but alnum, '.', '_' becomes '_'. */
function fixName(s: string): string {
  return s.replace(/[^A-Za-z0-9._]/g, '_');
}

/**
 * The alarm of one dimension of a `foreach` definition: named ALARM_DIMENSION, its lookup restricted to that
 * dimension (by id), expressions shared.
 */
export function expandForeach(parent: BindableDefinition, dimId: string, dimName: string): CompiledDefinition {
  const lookup = parent.def.lookup;
  if (!lookup) throw new Error(`${parent.def.name}: foreach without a lookup`);
  return {
    def: { ...parent.def, name: `${parent.def.name}_${fixName(dimName)}`, lookup: { ...lookup, dimensions: dimId, foreach: '', matchIds: true, matchNames: false } },
    calc: parent.calc,
    warn: parent.warn,
    crit: parent.crit,
    dimensionPattern: { matches: (s: string) => s === dimId },
    parent,
  };
}

function pattern(text: string): SimplePattern | null {
  const t = text.trim();
  return t ? SimplePattern.compile(t) : null;
}

function labelsMatch(p: SimplePattern | null, labels: Record<string, string>): boolean {
  if (!p || p.source.trim() === '*') return true;
  let found = false;
  for (const [k, v] of Object.entries(labels)) {
    const r = p.test(`${k}=${v}`);
    if (r === 'negative') return false;
    if (r === 'positive') found = true;
  }
  return found;
}

function expr(text: string, what: string): CompiledExpression | null {
  if (!text.trim()) return null;
  try {
    return compileExpression(text);
  } catch (e) {
    throw new Error(`${what} '${text}': ${(e as Error).message}`);
  }
}

/** Throws with the definition's source (line@file) when an expression does not parse. */
export function compileDefinition(def: HealthDefinition): BindableDefinition {
  let calc: CompiledExpression | null;
  let warn: CompiledExpression | null;
  let crit: CompiledExpression | null;
  try {
    calc = expr(def.calc, 'calc');
    warn = expr(def.warn, 'warn');
    crit = expr(def.crit, 'crit');
  } catch (e) {
    throw new Error(`${def.source}: ${def.name}: ${(e as Error).message}`);
  }
  const os = pattern(def.os);
  const hosts = pattern(def.hosts);
  const families = pattern(def.families);
  const charts = pattern(def.charts);
  const plugin = pattern(def.plugin);
  const module = pattern(def.module);
  const hostLabels = pattern(def.hostLabels);
  const chartLabels = pattern(def.chartLabels);
  const dims = def.lookup?.dimensions.trim();
  return {
    def,
    calc,
    warn,
    crit,
    dimensionPattern: dims && dims !== '*' ? SimplePattern.compile(dims) : null,
    foreach: def.lookup?.foreach ? SimplePattern.compile(def.lookup.foreach) : null,
    appliesTo(host, chart) {
      const c = chart.def;
      if (def.kind === 'alarm') {
        if (c.id !== def.on && c.name !== def.on) return false;
      } else if (c.context !== def.on) return false;
      if (os && !os.matches(host.info.os)) return false;
      if (hosts && !hosts.matches(host.hostname)) return false;
      if (families && !families.matches(c.family)) return false;
      if (charts && !charts.matches(c.id) && !charts.matches(c.name)) return false;
      if (plugin && !plugin.matches(c.plugin)) return false;
      if (module && !module.matches(c.module)) return false;
      if (!labelsMatch(hostLabels, host.info.labels)) return false;
      return labelsMatch(chartLabels, c.labels);
    },
  };
}
