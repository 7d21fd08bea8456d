import { Logger } from '@nestjs/common';
import { StreamRequest } from '@tributary/protocol';

export interface PeerRef {
  ip: string;
  port: number;
}

/** Netdata-style STREAM lines (error.log and access.log), one line per event. */
export class StreamLog {
  constructor(private readonly logger: Logger = new Logger('STREAM')) {}

  info(msg: string): void {
    this.logger.log(msg);
  }

  error(msg: string): void {
    this.logger.error(msg);
  }

  access(peer: PeerRef, r: Pick<StreamRequest, 'hostname' | 'key' | 'machineGuid'>, reason: string): void {
    this.logger.log(
      `STREAM: '[${peer.ip}]:${peer.port}' '${reason}' host '${r.hostname || '-'}' api key '${r.key || '-'}' machine guid '${r.machineGuid || '-'}'`,
    );
  }
}
