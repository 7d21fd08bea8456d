import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError, loadTributaryConfig, TributaryConfig } from '../src/index';

const made: string[] = [];

/** A fresh config directory holding `files` (relative path -> content). */
export function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-config-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export function load(files: Record<string, string>): TributaryConfig {
  return loadTributaryConfig(configDir(files));
}

/** The messages of the ConfigError `files` produce, with the temp dir replaced by `DIR`. */
export function loadErrors(files: Record<string, string>): string[] {
  const dir = configDir(files);
  try {
    loadTributaryConfig(dir);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const all = e.issues.length > 0 ? e.issues : [e];
    return all.map((x) => x.message.split(dir).join('DIR'));
  }
  throw new Error('expected a ConfigError');
}

export function warningsOf(config: TributaryConfig): string[] {
  return config.warnings.map((w) => w.message.split(config.dir).join('DIR'));
}

export function removeConfigDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}
