// The HealthEngine gRPC service (raw grpc-js): alarms, alarm log and status, shaped for web-api's
// /api/v1/alarms and /api/v1/alarm_log.
import { Server, ServerCredentials, status as GrpcStatus } from '@grpc/grpc-js';
import { HealthEngineServer, HealthEngineService } from '@tributary/protocol';
import { HealthEngine } from '../alarm/health.engine';

export class HealthEngineGrpcServer {
  private server: Server | null = null;
  port = 0;

  constructor(
    private readonly engine: HealthEngine,
    private readonly listen: string,
  ) {}

  private implementation(): HealthEngineServer {
    const engine = this.engine;
    return {
      listAlarms: (call, cb) => {
        try {
          cb(null, { alarms: engine.listAlarms(call.request.host, call.request.all) });
        } catch (e) {
          cb({ code: GrpcStatus.INTERNAL, details: (e as Error).message });
        }
      },
      alarmLog: (call, cb) => {
        try {
          cb(null, { entries: engine.alarmLog(call.request.host, call.request.after) });
        } catch (e) {
          cb({ code: GrpcStatus.INTERNAL, details: (e as Error).message });
        }
      },
      getHealthStatus: (_call, cb) => {
        cb(null, {
          hosts: engine.hosts.size,
          alarms: engine.alarmCount,
          evaluationsPerSecond: engine.evaluationsPerSecond,
          notificationsSent: engine.notificationsSent,
          notificationsFailed: engine.notificationsFailed,
        });
      },
    };
  }

  start(): Promise<number> {
    const server = new Server();
    server.addService(HealthEngineService, this.implementation());
    this.server = server;
    return new Promise((resolve, reject) => {
      server.bindAsync(this.listen, ServerCredentials.createInsecure(), (err, port) => {
        if (err) return reject(new Error(`gRPC listen on ${this.listen}: ${err.message}`));
        this.port = port;
        resolve(port);
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 3000);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }
}
