// What health-engine needs from one health.d `alarm:`/`template:` stanza. This is the adapter boundary: the local
// parser fills it today; once @tributary/config's parseHealthFile lands, its output is mapped into this shape.

export type LookupMethod =
  | 'average'
  | 'min'
  | 'max'
  | 'sum'
  | 'incremental-sum'
  | 'median'
  | 'stddev'
  | 'cv'
  | 'ses'
  | 'des';

export interface LookupSpec {
  readonly method: LookupMethod;
  /** Seconds, negative: relative to `before`. */
  readonly after: number;
  /** Seconds, <= 0: relative to now. */
  readonly before: number;
  readonly unaligned: boolean;
  readonly absolute: boolean;
  readonly percentage: boolean;
  readonly min2max: boolean;
  readonly null2zero: boolean;
  readonly matchIds: boolean;
  readonly matchNames: boolean;
  /** Simple pattern of dimension ids/names (`of ...`), empty = all dimensions. */
  readonly dimensions: string;
  /** `foreach DIMS`: one alarm per matching dimension (named ALARM_DIMENSION), '' = none. */
  readonly foreach: string;
  readonly source: string;
}

export interface DelaySpec {
  readonly up: number;
  readonly down: number;
  readonly multiplier: number;
  readonly max: number;
}

export interface HealthDefinition {
  readonly kind: 'alarm' | 'template';
  readonly name: string;
  /** Chart id/name for an alarm, context for a template. */
  readonly on: string;
  readonly os: string;
  readonly hosts: string;
  readonly families: string;
  readonly charts: string;
  readonly plugin: string;
  readonly module: string;
  readonly hostLabels: string;
  readonly chartLabels: string;
  readonly lookup: LookupSpec | null;
  readonly calc: string;
  /** Seconds; 0 = the chart's update_every. */
  readonly every: number;
  readonly units: string;
  readonly warn: string;
  readonly crit: string;
  readonly delay: DelaySpec;
  /** Seconds; 0 = never repeat. */
  readonly warnRepeatEvery: number;
  readonly critRepeatEvery: number;
  readonly info: string;
  readonly to: string;
  readonly exec: string;
  readonly noClearNotification: boolean;
  readonly classification: string;
  readonly component: string;
  readonly type: string;
  /** `line@file`, as Netdata's alarm `source`. */
  readonly source: string;
}

/** A config problem with its place, so boot logs can say file:line. */
export interface HealthConfigIssue {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface HealthConfigSource {
  /** Reads `*.conf` of every dir in order; a file name in a later dir replaces the same name in an earlier one. */
  load(dirs: readonly string[]): { definitions: HealthDefinition[]; issues: HealthConfigIssue[] };
}
