import { SimplePattern } from '@tributary/simple-patterns';
import { ConfigIssues, ConfigLocation } from './config-error';
import { IniDocument, IniOption, IniSection } from './ini.parser';
import { NETDATA_FALSE_WORDS, NETDATA_TRUE_WORDS, parseNetdataBoolean } from './netdata-values';

/** A pattern option keeps its text (for logs and for re-serialising) next to the compiled matcher. */
export interface PatternOption {
  readonly text: string;
  readonly pattern: SimplePattern;
}

/**
 * Reads typed options from one section, falling back to further sections (exporting.conf instance -> global), and
 * remembers which names it was asked for so the rest can be reported as unknown. A bad value is recorded as a
 * FILE:LINE error and the default is returned, so one pass collects every error.
 */
export class OptionReader {
  private readonly asked = new Set<string>();

  constructor(
    private readonly doc: IniDocument,
    private readonly chain: readonly string[],
    private readonly issues: ConfigIssues,
  ) {}

  get section(): IniSection | undefined {
    return this.doc.sections.get(this.chain[0]);
  }

  /** The option as written, from the first section of the chain that has it. */
  find(name: string): IniOption | undefined {
    this.asked.add(name);
    for (const s of this.chain) {
      const o = this.doc.sections.get(s)?.options.get(name);
      if (o) return o;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  string(name: string, fallback: string): string {
    return this.find(name)?.value ?? fallback;
  }

  optionalString(name: string): string | undefined {
    return this.find(name)?.value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.optionalBoolean(name);
    return v === undefined ? fallback : v;
  }

  optionalBoolean(name: string): boolean | undefined {
    const o = this.find(name);
    if (!o) return undefined;
    const b = parseNetdataBoolean(o.value);
    if (b === undefined) this.notOneOf(o, [...NETDATA_TRUE_WORDS, ...NETDATA_FALSE_WORDS]);
    return b;
  }

  integer(name: string, fallback: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.optionalInteger(name, min, max);
    return v === undefined ? fallback : v;
  }

  optionalInteger(name: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const o = this.find(name);
    if (!o) return undefined;
    if (!/^[+-]?\d+$/.test(o.value)) {
      this.issues.error(o, `option '${o.name}' = '${o.value}' is not a number`);
      return undefined;
    }
    const n = Number(o.value);
    if (n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
      this.issues.error(o, `option '${o.name}' = '${o.value}' is not a number ${range}`);
      return undefined;
    }
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T, aliases: Record<string, T> = {}): T {
    return this.optionalOneOf(name, values, aliases) ?? fallback;
  }

  optionalOneOf<T extends string>(name: string, values: readonly T[], aliases: Record<string, T> = {}): T | undefined {
    const o = this.find(name);
    if (!o) return undefined;
    const hit = values.find((v) => v === o.value) ?? aliases[o.value];
    if (hit === undefined) this.notOneOf(o, [...values, ...Object.keys(aliases)]);
    return hit;
  }

  /** A value checked by a custom parser; `expected` completes "is not ...". */
  parsed<T>(name: string, parse: (value: string) => T | undefined, expected: string): { value: T; at: IniOption } | undefined {
    const o = this.find(name);
    if (!o) return undefined;
    const v = parse(o.value);
    if (v === undefined) {
      this.issues.error(o, `option '${o.name}' = '${o.value}' is not ${expected}`);
      return undefined;
    }
    return { value: v, at: o };
  }

  pattern(name: string, fallback: string, emptyMatchesAll = false): PatternOption {
    const text = this.string(name, fallback);
    return { text, pattern: SimplePattern.compile(text, { emptyMatchesAll }) };
  }

  optionalPattern(name: string, emptyMatchesAll = false): PatternOption | undefined {
    const text = this.optionalString(name);
    return text === undefined ? undefined : { text, pattern: SimplePattern.compile(text, { emptyMatchesAll }) };
  }

  /** Warns about every option of the first section that no schema asked for. */
  warnUnknown(except: (name: string) => boolean = () => false): void {
    const s = this.section;
    if (!s) return;
    for (const o of s.options.values()) {
      if (!this.asked.has(o.name) && !except(o.name)) {
        this.issues.warn(o, `unknown option '${o.name}' in section [${s.name}], ignored`);
      }
    }
  }

  error(at: ConfigLocation, text: string): void {
    this.issues.error(at, text);
  }

  private notOneOf(o: IniOption, values: readonly string[]): void {
    this.issues.error(o, `option '${o.name}' = '${o.value}' is not one of ${values.join(', ')}`);
  }
}
