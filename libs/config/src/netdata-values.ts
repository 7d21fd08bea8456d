// Netdata's value vocabularies, shared by every schema.

/** appconfig_test_boolean_value(): these (case-insensitive) are true. */
export const NETDATA_TRUE_WORDS = ['yes', 'true', 'on', 'auto', 'on demand'] as const;
/** Netdata reads every other word as false; Tributary accepts only these and reports the rest. */
export const NETDATA_FALSE_WORDS = ['no', 'false', 'off'] as const;

export const MEMORY_MODES = ['dbengine', 'ram', 'save', 'map', 'alloc', 'none'] as const;
export type MemoryMode = (typeof MEMORY_MODES)[number];

export const HEALTH_ENABLED_VALUES = ['yes', 'no', 'auto'] as const;
/** `health enabled` of stream.conf: yes, no, or auto (= only while the child is connected). */
export type HealthEnabled = (typeof HEALTH_ENABLED_VALUES)[number];

export function parseNetdataBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if ((NETDATA_TRUE_WORDS as readonly string[]).includes(v)) return true;
  if ((NETDATA_FALSE_WORDS as readonly string[]).includes(v)) return false;
  return undefined;
}

/** appconfig_get_boolean_ondemand(): `auto`/`on demand` -> auto, then the plain boolean words. */
export function parseHealthEnabled(value: string): HealthEnabled | undefined {
  const v = value.toLowerCase();
  if (v === 'auto' || v === 'on demand') return 'auto';
  const b = parseNetdataBoolean(v);
  return b === undefined ? undefined : b ? 'yes' : 'no';
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };

/** config_parse_duration(): `[-]N[s|m|h|d|w|M|y]`, plain numbers are seconds; returns seconds or undefined. */
export function parseNetdataDuration(text: string): number | undefined {
  const m = /^([+-]?)(\d+(?:\.\d+)?)([smhdwMy]?)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[2]) * (m[3] === '' ? 1 : DURATION_UNITS[m[3]]);
  return m[1] === '-' ? -n : n;
}

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** What uuid_parse() accepts: the 36-char dashed form, any case. */
export function isGuid(text: string): boolean {
  return GUID_RE.test(text);
}
