import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { dirname, join } from 'node:path';

/** Who "localhost" is in this parent's API: the first entry of mirrored_hosts. */
export interface ParentIdentity {
  hostname: string;
  machineGuid: string;
  version: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `[global] hostname` of netdata.conf, or null. Only that one key is needed here, so this reads the file leniently
 * (netdata ignores what it does not understand, and a bad line must not keep the API from starting).
 */
export function netdataConfHostname(text: string): string | null {
  let section = '';
  let found: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      section = s[1].trim().toLowerCase();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || section !== 'global') continue;
    if (line.slice(0, eq).trim().toLowerCase() === 'hostname') found = line.slice(eq + 1).trim() || null;
  }
  return found;
}

/** The parent's machine GUID: kept in DATA_DIR/parent.guid so it survives restarts, created on first boot. */
export function loadOrCreateGuid(file: string): string {
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (GUID.test(existing)) return existing.toLowerCase();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const guid = randomUUID();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, guid + '\n', { mode: 0o644 });
  return guid;
}

export function loadParentIdentity(configDir: string, guidFile: string, version: string): ParentIdentity {
  let confHostname: string | null = null;
  try {
    confHostname = netdataConfHostname(readFileSync(join(configDir, 'netdata.conf'), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { hostname: confHostname ?? osHostname(), machineGuid: loadOrCreateGuid(guidFile), version };
}

export const PARENT_IDENTITY = Symbol('PARENT_IDENTITY');
