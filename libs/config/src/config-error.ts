/** Where a config line came from; every message Tributary prints about config starts with `FILE:LINE: `. */
export interface ConfigLocation {
  readonly file: string;
  readonly line: number;
}

export function formatLocation(at: ConfigLocation): string {
  return `${at.file}:${at.line}`;
}

/**
 * A config problem that stops the boot. `issues` holds every individual error when several were collected, so the
 * operator sees them all at once instead of fixing one per restart.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigError[];

  constructor(
    message: string,
    readonly location?: ConfigLocation,
    issues: readonly ConfigError[] = [],
  ) {
    super(message);
    this.name = 'ConfigError';
    this.issues = issues;
  }

  static at(location: ConfigLocation, text: string): ConfigError {
    return new ConfigError(`${formatLocation(location)}: ${text}`, location);
  }

  static aggregate(errors: readonly ConfigError[]): ConfigError {
    if (errors.length === 1) return errors[0];
    const flat = errors.flatMap((e) => (e.issues.length > 0 ? e.issues : [e]));
    return new ConfigError(`${flat.length} configuration errors:\n${flat.map((e) => e.message).join('\n')}`, undefined, flat);
  }
}

/** A problem that does not stop the boot (unknown option, ignored line); logged once at start-up. */
export interface ConfigWarning {
  readonly message: string;
  readonly location?: ConfigLocation;
}

/** Collects errors and warnings while a file is read, so one load reports everything. */
export class ConfigIssues {
  readonly errors: ConfigError[] = [];
  readonly warnings: ConfigWarning[] = [];

  // Fallback chains (exporting instance -> global) read one line several times: report it once.
  error(location: ConfigLocation, text: string): void {
    const e = ConfigError.at(location, text);
    if (!this.errors.some((x) => x.message === e.message)) this.errors.push(e);
  }

  warn(location: ConfigLocation | undefined, text: string): void {
    const message = location ? `${formatLocation(location)}: ${text}` : text;
    if (!this.warnings.some((w) => w.message === message)) this.warnings.push({ message, location });
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw ConfigError.aggregate(this.errors);
  }
}
