import { DynamicModule, Module } from '@nestjs/common';
import { AlarmsController } from './alarms/alarms.controller';
import { AllmetricsController } from './allmetrics/allmetrics.controller';
import { ChartsController } from './charts/charts.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { DataController } from './data/data.controller';
import { PeerClients } from './grpc/peer.clients';
import { HealthController } from './health/health.controller';
import { HostDirectory } from './hosts/host.directory';
import { InfoController } from './info/info.controller';
import { StreamsController } from './streams/streams.controller';

@Module({})
export class WebApiModule {
  static create(peers: PeerClients, directory: HostDirectory): DynamicModule {
    return {
      module: WebApiModule,
      controllers: [
        HealthController,
        InfoController,
        ChartsController,
        DataController,
        AllmetricsController,
        AlarmsController,
        StreamsController,
        DashboardController,
      ],
      providers: [
        { provide: PeerClients, useValue: peers },
        { provide: HostDirectory, useValue: directory },
      ],
    };
  }
}
