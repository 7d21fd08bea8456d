import { ConfigIssues, ConfigLocation } from './config-error';

export interface IniOption extends ConfigLocation {
  readonly name: string;
  readonly value: string;
}

export interface IniSection extends ConfigLocation {
  readonly name: string;
  /** Option name -> the last definition (Netdata keeps the last one of a file). Names are case-sensitive. */
  readonly options: Map<string, IniOption>;
}

export interface IniDocument {
  readonly file: string;
  /** Sections in file order; a repeated `[name]` continues the same section, as Netdata does. */
  readonly sections: Map<string, IniSection>;
}

/**
 * Netdata's appconfig_load() rules: each line is trimmed; empty lines and lines starting with `#` are skipped;
 * `[name]` opens a section (the name between the brackets is taken as is); otherwise the name is everything before the first `=` and the value everything after it,
 * both trimmed (so `#` inside a value is kept). Lines before any section or without `=` are ignored with a warning.
 */
export function parseIni(text: string, file: string, issues: ConfigIssues): IniDocument {
  const sections = new Map<string, IniSection>();
  let current: IniSection | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const at = { file, line: lineNo };

    if (line.startsWith('[') && line.endsWith(']') && line.length >= 2) {
      // Not trimmed: Netdata looks `[ name ]` up as " name " (checked against a real 1.37 parent).
      const name = line.slice(1, -1);
      current = sections.get(name);
      if (!current) {
        current = { name, file, line: lineNo, options: new Map() };
        sections.set(name, current);
      }
      continue;
    }

    const eq = line.indexOf('=');
    if (eq < 0) {
      issues.warn(at, `ignoring line '${line}': there is no = in it`);
      continue;
    }
    const name = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (name === '') {
      issues.warn(at, `ignoring line '${line}': the option name is empty`);
      continue;
    }
    if (!current) {
      issues.warn(at, `ignoring option '${name}': it is outside all sections`);
      continue;
    }
    current.options.set(name, { name, value, file, line: lineNo });
  }
  return { file, sections };
}
