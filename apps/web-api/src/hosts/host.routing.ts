import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../http/api.error';
import { sendApiError } from '../http/send-error';
import { HostDirectory } from './host.directory';
import { KnownHost } from './known-host';

const selected = new WeakMap<Request, KnownHost>();

/** The host a request is about: set by the /host/X/ router, the parent itself otherwise. */
export function hostOf(req: Request, directory: HostDirectory): KnownHost {
  return selected.get(req) ?? directory.parentHost();
}

/**
 * Netdata's /host/NAME-OR-GUID/ switch, done before Nest's routing so every API path and the dashboard work under it
 * unchanged: the prefix is stripped from req.url and the resolved host remembered for the request.
 */
export function hostRouting(directory: HostDirectory) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const url = req.url;
    if (!url.startsWith('/host/')) return next();
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q);
    const slash = path.indexOf('/', 6);
    const rawName = slash < 0 ? path.slice(6) : path.slice(6, slash);
    let name: string;
    try {
      name = decodeURIComponent(rawName);
    } catch {
      return sendApiError(res, new ApiError(400, `Bad host name in URL: ${rawName}`));
    }
    if (!name) return sendApiError(res, new ApiError(400, 'No host name given after /host/.'));
    if (slash < 0) {
      // Netdata redirects /host/X to /host/X/ so that the dashboard's relative URLs resolve under the host.
      res.status(308).setHeader('Location', `${path}/${query}`);
      res.type('text/plain').send('Permanent redirect');
      return;
    }
    const rest = path.slice(slash);
    if (rest.startsWith('/host/')) return sendApiError(res, new ApiError(400, 'Nesting of hosts is not allowed.'));
    directory.find(name).then(
      (host) => {
        if (!host) return sendApiError(res, new ApiError(404, `This netdata does not maintain a database for host: ${name}`));
        selected.set(req, host);
        req.url = rest + query;
        next();
      },
      (error: unknown) => sendApiError(res, error),
    );
  };
}
