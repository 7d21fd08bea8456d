import { existsSync, readFileSync } from 'node:fs';

/** Netdata's INI files as sections of options (last one wins). A missing file is an empty config, as in Netdata. */
export type IniFile = Map<string, Map<string, string>>;

export function readNetdataIni(path: string): IniFile {
  const out: IniFile = new Map();
  if (!existsSync(path)) return out;
  let section: Map<string, string> | undefined;
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      const name = line.slice(1, -1).trim();
      section = out.get(name) ?? new Map();
      out.set(name, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || !section) continue;
    section.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

/** Netdata's config booleans: yes|true|on|auto|on demand are true, anything else false. */
export function iniBoolean(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  return /^(yes|true|on|auto|on demand)$/i.test(v.trim());
}

export function iniNumber(v: string | undefined, dflt: number): number {
  if (v === undefined || v.trim() === '') return dflt;
  const n = Number(v);
  return Number.isFinite(n) ? n : dflt;
}
