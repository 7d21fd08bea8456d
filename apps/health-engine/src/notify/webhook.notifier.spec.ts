import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { AlarmLogEntry } from '@tributary/protocol';
import { AlarmNotification } from './alarm-notification';
import { alarmNotifyArguments } from './exec.notifier';
import { WebhookNotifier } from './webhook.notifier';

function notification(): AlarmNotification {
  const entry = {
    machineGuid: 'g',
    hostname: 'h',
    uniqueId: 7,
    alarmId: 3,
    alarmEventId: 2,
    name: 'cpu',
    chart: 'system.cpu',
    family: 'cpu',
    when: 1700000000,
    duration: 5,
    nonClearDuration: 0,
    status: 'WARNING',
    oldStatus: 'CLEAR',
    value: 91.5,
    oldValue: NaN,
    units: '%',
    info: 'cpu usage',
    exec: '',
    recipient: 'ops',
  } as AlarmLogEntry;
  return {
    entry,
    registryHostname: 'child1',
    roles: 'ops',
    exec: '',
    source: '3@/etc/health.d/cpu.conf',
    calcExpression: '',
    calcParamValues: '',
    classification: 'Utilization',
    valueString: '91.5 %',
    oldValueString: '-',
    totalWarnings: 1,
    totalCritical: 0,
    warnAlarms: 'cpu=1700000000',
    critAlarms: '',
    repeating: false,
  };
}

describe('notifications', () => {
  let server: Server;
  let url = '';
  let failuresLeft = 0;
  const bodies: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(body) as Record<string, unknown>);
        if (failuresLeft-- > 0) res.writeHead(503).end();
        else res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => server.close());

  it('posts JSON and retries until the receiver accepts it', async () => {
    bodies.length = 0;
    failuresLeft = 2;
    const code = await new WebhookNotifier(url, 4, 10).send(notification());
    expect(code).toBe(200);
    expect(bodies).toHaveLength(3);
    expect(bodies[2]).toMatchObject({ host: 'child1', name: 'cpu', status: 'WARNING', old_status: 'CLEAR', value: 91.5, old_value: null });
  });

  it('gives up after the last attempt with the reason', async () => {
    bodies.length = 0;
    failuresLeft = 10;
    await expect(new WebhookNotifier(url, 3, 10).send(notification())).rejects.toThrow('failed after 3 attempts: HTTP 503');
    expect(bodies).toHaveLength(3);
  });

  it("builds alarm-notify.sh's argument list in Netdata's order", () => {
    const args = alarmNotifyArguments(notification());
    expect(args).toHaveLength(29);
    expect(args.slice(0, 13)).toEqual(['ops', 'child1', '7', '3', '2', '1700000000', 'cpu', 'system.cpu', 'cpu', 'WARNING', 'CLEAR', '91.5', 'nan']);
    expect(args[13]).toBe('3@/etc/health.d/cpu.conf');
    expect(args.slice(22, 27)).toEqual(['1', '0', 'cpu=1700000000', '', 'Utilization']);
    expect(args[27]).toBe(''); // edit command: Tributary has no config editor
    expect(args[28]).toBe('g');
  });
});
