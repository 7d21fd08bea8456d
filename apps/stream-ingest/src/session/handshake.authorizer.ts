import { isGuid, REPLY_ALREADY_STREAMING, REPLY_DENIED, REPLY_LOCALHOST_BACK, REPLY_NOT_ALLOWED, REPLY_TOO_BUSY, StreamRequest } from '@tributary/protocol';
import { StreamSettings } from '@tributary/config';
import { IngestSettings } from '../settings/ingest.settings';
import { StreamRateLimiter } from './rate.limiter';

export type AuthDecision =
  | { ok: true; access: StreamSettings; replacesDead: boolean }
  | { ok: false; reply: string; accessLog: string; error: string };

export interface LiveStreams {
  /** seconds since the last message of the connection currently streaming this GUID, undefined if none */
  lastMessageAge(machineGuid: string): number | undefined;
}

/** Netdata 1.37's checks in their order, with its replies, access-log reasons and 'Forbidding access.' lines. */
export class HandshakeAuthorizer {
  private readonly rate: StreamRateLimiter;

  constructor(private readonly settings: IngestSettings, private readonly live: LiveStreams) {
    this.rate = new StreamRateLimiter(settings.acceptStreamEverySeconds);
  }

  authorize(r: StreamRequest, ip: string, port: number, nowS: number): AuthDecision {
    const from = `STREAM [receive from [${ip}]:${port}]`;
    const deny = (accessLog: string, error: string, reply = REPLY_DENIED): AuthDecision => ({ ok: false, reply, accessLog, error });

    if (!this.settings.allowStreamingFrom.matches(ip))
      return deny('ACCESS DENIED - NOT ALLOWED TO STREAM FROM THIS IP', `${from}: streaming is not allowed from this IP ([web] allow streaming from). Forbidding access.`, REPLY_NOT_ALLOWED);
    if (!r.key) return deny('ACCESS DENIED - NO KEY', `${from}: request without an API key. Forbidding access.`);
    if (!r.hostname) return deny('ACCESS DENIED - NO HOSTNAME', `${from}: request without a hostname. Forbidding access.`);
    if (!r.machineGuid) return deny('ACCESS DENIED - NO MACHINE GUID', `${from}: request without a machine GUID. Forbidding access.`);
    if (!isGuid(r.key))
      return deny('ACCESS DENIED - INVALID KEY', `${from}: API key '${r.key}' is not valid GUID (use the command uuidgen to generate one). Forbidding access.`);
    if (!isGuid(r.machineGuid))
      return deny('ACCESS DENIED - INVALID MACHINE GUID', `${from}: machine GUID '${r.machineGuid}' is not GUID. Forbidding access.`);
    const a = this.settings.resolve(r.key, r.machineGuid);
    if (a.key.type !== 'api')
      return deny('ACCESS DENIED - API KEY GIVEN IS NOT API KEY', `${from}: API key '${r.key}' is a ${a.key.type} GUID. Forbidding access.`);
    if (!a.key.enabled) return deny('ACCESS DENIED - KEY NOT ENABLED', `${from}: API key '${r.key}' is not allowed. Forbidding access.`);
    if (!a.key.allowFrom.matches(ip))
      return deny('ACCESS DENIED - KEY NOT ALLOWED FROM THIS IP', `${from}: API key '${r.key}' is not permitted from this IP. Forbidding access.`);
    if (a.machine.type !== 'machine')
      return deny('ACCESS DENIED - MACHINE GUID GIVEN IS NOT A MACHINE GUID', `${from}: machine GUID '${r.machineGuid}' is a ${a.machine.type} GUID. Forbidding access.`);
    if (!a.machine.enabled)
      return deny('ACCESS DENIED - MACHINE GUID NOT ENABLED', `${from}: machine GUID '${r.machineGuid}' is not allowed. Forbidding access.`);
    if (!a.machine.allowFrom.matches(ip))
      return deny('ACCESS DENIED - MACHINE GUID NOT ALLOWED FROM THIS IP', `${from}: Machine GUID '${r.machineGuid}' is not permitted from this IP. Forbidding access.`);
    const wait = this.rate.tryAccept(nowS);
    if (wait > 0)
      return deny(`rate limit, will accept new connection in ${wait} secs`, `${from}: too busy to accept new streaming request. Will be allowed in ${wait} secs.`, REPLY_TOO_BUSY);
    const age = this.live.lastMessageAge(r.machineGuid);
    if (age !== undefined && age < 30)
      return deny(
        'REJECTED - ALREADY CONNECTED',
        `STREAM ${r.hostname} [receive from [${ip}]:${port}]: multiple connections for same host detected - existing connection is active (within last ${age} sec), rejecting new connection.`,
        REPLY_ALREADY_STREAMING,
      );
    if (r.machineGuid.toLowerCase() === this.settings.parentGuid.toLowerCase())
      return deny(
        'DENIED - ATTEMPT TO RECEIVE METRICS FROM MACHINE_GUID IDENTICAL TO PARENT',
        `STREAM ${r.hostname} [receive from ${ip}:${port}]: denied to receive metrics, machine GUID [${r.machineGuid}] is my own. Did you copy the parent/proxy machine GUID to a child, or is this an inter-agent loop?`,
        REPLY_LOCALHOST_BACK,
      );
    return { ok: true, access: a, replacesDead: age !== undefined };
  }
}
