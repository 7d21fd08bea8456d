import type { ConfigLocation } from './config-error';

/** A health.d value as written, with where it was written. */
export interface HealthLine<T = string> extends ConfigLocation {
  readonly value: T;
}

export type HealthLookupOption =
  | 'unaligned'
  | 'absolute'
  | 'min2max'
  | 'null2zero'
  | 'percentage'
  | 'anomaly-bit'
  | 'match-ids'
  | 'match-names';

/** `lookup: METHOD AFTER [at BEFORE] [every DURATION] [OPTIONS] [of DIMENSIONS] [foreach DIMENSIONS]`. */
export interface HealthLookup {
  /** Grouping method under Netdata's canonical name (`average`, `incremental_sum`, `cv`, `ses`, `percentile95` ...). */
  readonly method: string;
  /** Seconds, negative = in the past (`-10m` -> -600). */
  readonly after: number;
  /** Seconds (`at -1m` -> -60); 0 = now. */
  readonly before: number;
  /** `every` inside the lookup line, seconds, if given. */
  readonly every: number | undefined;
  readonly options: readonly HealthLookupOption[];
  readonly unaligned: boolean;
  readonly percentage: boolean;
  readonly absolute: boolean;
  readonly min2max: boolean;
  /** `of DIMS` as written (a simple pattern, Netdata's comma/space/pipe separated list), undefined = all. */
  readonly dimensions: string | undefined;
  /** `foreach DIMS` as written, undefined when absent. */
  readonly foreach: string | undefined;
}

export interface HealthDelay {
  readonly up: number;
  readonly down: number;
  readonly multiplier: number;
  readonly max: number;
}

export interface HealthRepeat {
  /** Seconds; 0 = never (`off`). */
  readonly warning: number;
  readonly critical: number;
}

/** One `alarm:` or `template:` block, every line kind of Netdata 1.37 health.d. Expressions stay text. */
export interface HealthDefinition extends ConfigLocation {
  readonly kind: 'alarm' | 'template';
  readonly name: string;
  /** Chart id for alarms, context for templates. */
  readonly on?: HealthLine;
  readonly os?: HealthLine;
  readonly hosts?: HealthLine;
  readonly families?: HealthLine;
  readonly plugin?: HealthLine;
  readonly module?: HealthLine;
  readonly charts?: HealthLine;
  readonly hostLabels?: HealthLine;
  readonly chartLabels?: HealthLine;
  readonly lookup?: HealthLine<HealthLookup>;
  readonly calc?: HealthLine;
  /** The `every:` line as written (seconds). */
  readonly every?: HealthLine<number>;
  /**
   * Seconds between evaluations as Netdata derives them: the last of the `every:` line and the `lookup:` line (which
   * sets its own `every`, else |after|) in file order; undefined when neither is present.
   */
  readonly updateEvery?: number;
  readonly green?: HealthLine;
  readonly red?: HealthLine;
  readonly warn?: HealthLine;
  readonly crit?: HealthLine;
  readonly units?: HealthLine;
  readonly info?: HealthLine;
  readonly to?: HealthLine;
  readonly exec?: HealthLine;
  readonly class?: HealthLine;
  readonly type?: HealthLine;
  readonly component?: HealthLine;
  readonly options?: HealthLine<readonly string[]>;
  readonly delay?: HealthLine<HealthDelay>;
  readonly repeat?: HealthLine<HealthRepeat>;
}
