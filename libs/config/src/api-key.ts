import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** API keys are random v4 GUIDs, as `uuidgen` makes them (Netdata rejects keys that are not GUIDs). */
export function generateApiKey(): string {
  return randomUUID();
}

export function defaultStreamConfText(apiKey: string): string {
  return `# stream.conf written by Tributary on first start. Netdata's syntax; see the Netdata streaming docs.
#
# Point a Netdata child at this parent with, in the child's stream.conf:
#   [stream]
#       enabled = yes
#       destination = THIS_HOST:19999
#       api key = ${apiKey}

[stream]
    # This parent does not forward what it receives (set to yes, with destination and api key, to act as a proxy).
    enabled = no

[${apiKey}]
    # Children streaming with this key are accepted.
    enabled = yes
    # Simple patterns of the addresses allowed to use this key (loopback connections are 'localhost').
    allow from = *
    # default history = 3600
    # default memory mode = dbengine
    # health enabled by default = auto
    # default postpone alarms on connect seconds = 60
    # enable compression = yes
    # enable replication = yes
    # seconds to replicate = 86400
    # seconds per replication step = 600

# Per child overrides go in a section named after the child's machine GUID:
# [MACHINE_GUID]
#     enabled = yes
#     allow from = *
#     history = 3600
#     memory mode = dbengine
#     health enabled = auto
#     update every = 1
`;
}

/** Writes a stream.conf enabling `apiKey`; never overwrites an existing file. Returns whether it wrote one. */
export function writeDefaultStreamConf(path: string, apiKey: string): boolean {
  if (existsSync(path)) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, defaultStreamConfText(apiKey), { flag: 'wx' });
  return true;
}
