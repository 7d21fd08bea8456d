import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { WebApiModule } from './app.module';
import { parentGuidFile, WebApiConfig } from './config/web-api.config';
import { dashboardAssetsDir, uplotDistDir } from './dashboard/dashboard.assets';
import { PeerClients } from './grpc/peer.clients';
import { HostDirectory } from './hosts/host.directory';
import { hostRouting } from './hosts/host.routing';
import { loadParentIdentity } from './hosts/parent.identity';
import { ApiErrorFilter } from './http/api-error.filter';

/** The version this parent reports for itself, as Netdata's "version" of localhost. */
export const TRIBUTARY_VERSION = 'v1.37.1';

export interface WebApi {
  app: NestExpressApplication;
  peers: PeerClients;
  directory: HostDirectory;
}

/** Builds the whole HTTP app (used by main and by tests, so both run the same routing). */
export async function createWebApi(config: WebApiConfig, logger: false | Logger = new Logger('WebApi')): Promise<WebApi> {
  const parent = loadParentIdentity(config.configDir, parentGuidFile(config), TRIBUTARY_VERSION);
  const peers = new PeerClients(config);
  const directory = new HostDirectory(peers, parent);
  const app = await NestFactory.create<NestExpressApplication>(WebApiModule.create(peers, directory), {
    logger: logger === false ? false : ['log', 'warn', 'error'],
  });
  app.disable('x-powered-by');
  app.use((_req: express.Request, res: express.Response, next: express.NextFunction) => {
    // As Netdata: the API is meant to be read by dashboards served from elsewhere.
    res.setHeader('Access-Control-Allow-Origin', '*');
    next();
  });
  app.use(hostRouting(directory));
  app.use('/assets/uplot', express.static(uplotDistDir(), { maxAge: '1h' }));
  app.use('/assets', express.static(dashboardAssetsDir(), { maxAge: 0 }));
  app.useGlobalFilters(new ApiErrorFilter());
  return { app, peers, directory };
}
