import { ModuleHarness } from '@sipr/sdk';
import { RouteType, buildForward, type SipMsg, type SocketInfo } from '@sipr/core';

/** Requests as in the captures from kamailio 5.6 (see the expectations). */
const invite = (ruri: string, extra = '', toTag = '') =>
  `INVITE ${ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:20952;branch=z9hG4bK-lr\r\nFrom: <sip:a@x>;tag=ft1\r\n`
  + `To: <sip:b@y>${toTag}\r\nCall-ID: lr\r\nCSeq: 1 INVITE\r\n${extra}Content-Length: 0\r\n\r\n`;

function wire(msg: unknown): string {
  const m = msg as SipMsg;
  m.applyChanges();
  return m.buf.toString('latin1');
}

const udp = (address: string, port: number): SocketInfo => ({ proto: 'udp', address, port, af: 4, name: `udp:${address}:${port}` });
const tcp = (address: string, port: number): SocketInfo => ({ proto: 'tcp', address, port, af: 4, name: `tcp:${address}:${port}` });

describe('record_route', () => {
  test('one Record-Route on top with the receiving socket, ;lr and ;ftag (append_fromtag)', async () => {
    const h = await ModuleHarness.create({ modules: ['rr'], params: [['rr', 'append_fromtag', 1]], socket: udp('127.0.0.1', 20950) });
    const m = h.message(invite('sip:plain@127.0.0.1:20950'));
    expect(h.call('record_route', [], m).rc).toBe(1);
    expect(wire(m)).toBe('INVITE sip:plain@127.0.0.1:20950 SIP/2.0\r\nRecord-Route: <sip:127.0.0.1:20950;lr;ftag=ft1>\r\n'
      + invite('').split('\r\n').slice(1).join('\r\n'));
  });

  test('default port and no ftag by default; enable_full_lr writes lr=on', async () => {
    const h = await ModuleHarness.create({ modules: ['rr'], params: [['rr', 'enable_full_lr', 1]] });
    const m = h.message(invite('sip:b@10.0.0.1'));
    h.call('record_route', [], m);
    expect(wire(m)).toContain('SIP/2.0\r\nRecord-Route: <sip:127.0.0.1;lr=on>\r\nVia:');
  });

  test('add_rr_param before or after record_route; record_route params with PVs', async () => {
    const h = await ModuleHarness.create({ modules: ['pv', 'rr'], params: [['rr', 'append_fromtag', 1]], socket: udp('127.0.0.1', 20950) });
    const m = h.message(invite('sip:param@127.0.0.1:20950'));
    h.call('add_rr_param', [';p=1'], m);
    h.call('record_route', [], m);
    expect(wire(m)).toContain('Record-Route: <sip:127.0.0.1:20950;lr;ftag=ft1;p=1>\r\n');
    const m2 = h.message(invite('sip:param@127.0.0.1:20950'));
    h.call('record_route', ['c=$ci'], m2);
    h.call('add_rr_param', ['q=2'], m2);
    expect(wire(m2)).toContain('Record-Route: <sip:127.0.0.1:20950;lr;ftag=ft1;c=lr;q=2>\r\nVia:');
    expect((wire(m2).match(/Record-Route/g) ?? []).length).toBe(1);
  });

  test('record_route_preset puts ftag before lr, as kamailio does', async () => {
    const h = await ModuleHarness.create({ modules: ['pv', 'rr'], params: [['rr', 'append_fromtag', 1]] });
    const m = h.message(invite('sip:preset@127.0.0.1:20950'));
    h.call('record_route_preset', ['10.9.9.9:7777;x=1'], m);
    expect(wire(m)).toContain('SIP/2.0\r\nRecord-Route: <sip:10.9.9.9:7777;x=1;ftag=ft1;lr>\r\nVia:');
  });

  test('double Record-Route with r2=on when the transport changes (outbound first)', async () => {
    const h = await ModuleHarness.create({ modules: ['rr'], socket: udp('127.0.0.1', 20950) });
    const out = tcp('127.0.0.1', 20960);
    h.core.sender = { send: () => true, socketFor: (d) => (d.proto === 'tcp' ? out : h.socket) };
    const m = h.message(invite('sip:b@10.0.0.1;transport=tcp'));
    h.call('record_route', [], m);
    expect(wire(m)).toContain('SIP/2.0\r\nRecord-Route: <sip:127.0.0.1:20960;transport=tcp;r2=on;lr>\r\nRecord-Route: <sip:127.0.0.1:20950;r2=on;lr>\r\nVia:');
  });

  test('double Record-Route when force_send_socket picks another interface; none with enable_double_rr=0', async () => {
    const h = await ModuleHarness.create({ modules: ['rr'], socket: udp('127.0.0.1', 20950) });
    const m = h.message(invite('sip:b@10.0.0.1'));
    m.forceSocket = udp('127.0.0.2', 20950);
    h.call('record_route', [], m);
    expect(wire(m)).toContain('Record-Route: <sip:127.0.0.2:20950;r2=on;lr>\r\nRecord-Route: <sip:127.0.0.1:20950;r2=on;lr>\r\n');
    const h0 = await ModuleHarness.create({ modules: ['rr'], params: [['rr', 'enable_double_rr', 0]], socket: udp('127.0.0.1', 20950) });
    const m0 = h0.message(invite('sip:b@10.0.0.1'));
    m0.forceSocket = udp('127.0.0.2', 20950);
    h0.call('record_route', [], m0);
    expect(wire(m0)).toContain('SIP/2.0\r\nRecord-Route: <sip:127.0.0.1:20950;lr>\r\nVia:');
  });

  test('the socket the request is sent through decides the double Record-Route, not the guess at record_route()', async () => {
    const h = await ModuleHarness.create({ modules: ['rr'], socket: udp('127.0.0.1', 20950) });
    const m = h.message(invite('sip:b@10.0.0.1')) as SipMsg;
    h.call('record_route', [], m);
    const sent = (socket?: SocketInfo) => buildForward(m, { socket }).toString('latin1');
    expect(sent(tcp('127.0.0.1', 20960))).toContain('SIP/2.0\r\nRecord-Route: <sip:127.0.0.1:20960;transport=tcp;r2=on;lr>\r\nRecord-Route: <sip:127.0.0.1:20950;r2=on;lr>\r\nVia:');
    expect(sent(udp('127.0.0.3', 20951))).toContain('SIP/2.0\r\nRecord-Route: <sip:127.0.0.3:20951;r2=on;lr>\r\nRecord-Route: <sip:127.0.0.1:20950;r2=on;lr>\r\nVia:');
    expect(sent(h.socket)).toContain('SIP/2.0\r\nRecord-Route: <sip:127.0.0.1:20950;lr>\r\nVia:');
    // add_rr_param after record_route keeps the entries send-time
    h.call('add_rr_param', [';p=1'], m);
    expect(sent(tcp('127.0.0.1', 20960))).toContain('Record-Route: <sip:127.0.0.1:20960;transport=tcp;r2=on;lr;p=1>\r\nRecord-Route: <sip:127.0.0.1:20950;r2=on;lr;p=1>\r\n');
  });
});

describe('loose_route (outcomes captured from kamailio 5.6)', () => {
  let h: ModuleHarness;
  beforeEach(async () => {
    h = await ModuleHarness.create({ modules: ['rr'], socket: udp('127.0.0.1', 20950) });
    h.core.globals.set('listen', [{ proto: 'udp', host: '127.0.0.1', port: 20950 }, { proto: 'udp', host: '127.0.0.2', port: 20950 }]);
  });

  test('no Route: -1', () => {
    expect(h.call('loose_route', [], h.message(invite('sip:lr@10.0.0.99', '', ';tag=tt'))).rc).toBe(-1);
  });

  test('our entry first in a field with two: removed, $du = next loose hop', () => {
    const m = h.message(invite('sip:lr@10.0.0.99', 'Route: <sip:127.0.0.1:20950;lr;ftag=ft1>, <sip:10.0.0.5;lr>\r\n', ';tag=tt'));
    expect(h.call('loose_route', [], m).rc).toBe(1);
    expect(m.dstUri).toBe('sip:10.0.0.5;lr');
    expect(m.newUri).toBeNull();
    expect(wire(m)).toContain('CSeq: 1 INVITE\r\nRoute: <sip:10.0.0.5;lr>\r\nContent-Length: 0');
  });

  test('next hop a strict router: R-URI saved as last Route, R-URI = that hop', () => {
    const m = h.message(invite('sip:lr@10.0.0.99', 'Route: <sip:127.0.0.1:20950;lr>\r\nRoute: <sip:10.0.0.5>\r\n', ';tag=tt'));
    expect(h.call('loose_route', [], m).rc).toBe(1);
    expect(m.newUri).toBe('sip:10.0.0.5');
    expect(m.dstUri).toBeNull();
    expect(wire(m)).toBe(invite('sip:lr@10.0.0.99', '', ';tag=tt') .replace('Content-Length: 0\r\n', 'Content-Length: 0\r\nRoute: <sip:lr@10.0.0.99>\r\n'));
  });

  test('a Route that is not ours: kept, $du = it', () => {
    const m = h.message(invite('sip:lr@10.0.0.99', 'Route: <sip:10.0.0.5;lr>\r\n', ';tag=tt'));
    expect(h.call('loose_route', [], m).rc).toBe(1);
    expect(m.dstUri).toBe('sip:10.0.0.5;lr');
    expect(wire(m)).toContain('Route: <sip:10.0.0.5;lr>\r\n');
  });

  test('double Record-Route (r2): both our entries removed', () => {
    const m = h.message(invite('sip:lr@10.0.0.99', 'Route: <sip:127.0.0.1:20950;r2=on;lr>,<sip:127.0.0.2:20950;r2=on;lr>,<sip:10.0.0.7;lr>\r\n', ';tag=tt'));
    expect(h.call('loose_route', [], m).rc).toBe(1);
    expect(m.dstUri).toBe('sip:10.0.0.7;lr');
    expect(wire(m)).toContain('CSeq: 1 INVITE\r\nRoute: <sip:10.0.0.7;lr>\r\nContent-Length');
  });

  test('both r2 entries filling one field: the whole field goes', () => {
    const m = h.message(invite('sip:lr@10.0.0.99', 'Route: <sip:127.0.0.2:20950;r2=on;lr>, <sip:127.0.0.1:20950;transport=udp;r2=on;lr>\r\nRoute: <sip:10.0.0.7;lr>\r\n', ';tag=tt'));
    expect(h.call('loose_route', [], m).rc).toBe(1);
    expect(m.dstUri).toBe('sip:10.0.0.7;lr');
    expect(wire(m)).toContain('CSeq: 1 INVITE\r\nRoute: <sip:10.0.0.7;lr>\r\nContent-Length');
    const only = h.message(invite('sip:b@10.0.0.99', 'Route: <sip:127.0.0.2:20950;r2=on;lr>,<sip:127.0.0.1:20950;r2=on;lr>\r\n', ';tag=tt'));
    expect(h.call('loose_route', [], only).rc).toBe(1);
    expect(wire(only)).toBe(invite('sip:b@10.0.0.99', '', ';tag=tt'));
  });

  test('previous hop strict (our URI in the R-URI): R-URI = last Route, $du = first', () => {
    const m = h.message(invite('sip:127.0.0.1:20950;lr;nat=yes', 'Route: <sip:10.0.0.8;lr>, <sip:final@10.0.0.9>\r\n', ';tag=tt'));
    expect(h.call('loose_route', [], m).rc).toBe(1);
    expect(m.dstUri).toBe('sip:10.0.0.8;lr');
    expect(m.newUri).toBe('sip:final@10.0.0.9');
    expect(wire(m)).toContain('Route: <sip:10.0.0.8;lr>\r\nContent-Length');
    expect(h.call('check_route_param', ['nat=yes'], m).rc).toBe(1);
  });

  test('initial request whose only Route is ours: -1 (not routed by the Route set)', () => {
    const m = h.message(invite('sip:b@10.0.0.99', 'Route: <sip:127.0.0.1:20950;lr>\r\n'));
    expect(h.call('loose_route', [], m).rc).toBe(-1);
    expect(wire(m)).not.toContain('Route:');
  });

  test('check_route_param and is_direction use the params of our Route entry', () => {
    const down = h.message(invite('sip:lr@10.0.0.99', 'Route: <sip:127.0.0.1:20950;lr;ftag=ft1;nat=yes>, <sip:10.0.0.5;lr>\r\n', ';tag=tt'));
    h.call('loose_route', [], down);
    expect(h.call('check_route_param', ['nat=yes'], down).rc).toBe(1);
    expect(h.call('check_route_param', ['nat=no'], down).rc).toBe(-1);
    expect(h.call('is_direction', ['downstream'], down).rc).toBe(1);
    expect(h.call('is_direction', ['upstream'], down).rc).toBe(-1);
    const up = h.message(invite('sip:lr@10.0.0.99', 'Route: <sip:127.0.0.1:20950;lr;ftag=zzz>\r\n', ';tag=tt'));
    h.call('loose_route', [], up);
    expect(h.call('is_direction', ['upstream'], up).rc).toBe(1);
    expect(() => h.call('is_direction', ['sideways'], up)).toThrow(/unknown direction "sideways"/);
  });

  test('API: register_rrcb runs after loose_route with our params; get_route_param reads them', () => {
    const seen: string[] = [];
    h.core.modules.findExport<(cb: (ctx: unknown, p: string) => void) => void>('rr', 'register_rrcb')!((_c, p) => seen.push(p));
    const get = h.core.modules.findExport<(m: unknown, n: string) => string | null | undefined>('rr', 'get_route_param')!;
    const m = h.message(invite('sip:lr@10.0.0.99', 'Route: <sip:127.0.0.1:20950;lr;did=abc>, <sip:10.0.0.5;lr>\r\n', ';tag=tt'));
    h.call('loose_route', [], m);
    expect(seen).toEqual([';lr;did=abc']);
    expect(get(m, 'did')).toBe('abc');
    expect(get(m, 'lr')).toBeNull();
    expect(get(m, 'nope')).toBeUndefined();
  });

  test('$route_uri is the first Route URI', async () => {
    const hp = await ModuleHarness.create({ modules: ['pv', 'rr'] });
    const m = hp.message(invite('sip:b@c', 'Route: <sip:10.0.0.1;lr;x=1>, <sip:10.0.0.2;lr>\r\n'));
    expect(hp.core.pv.parse('$route_uri').get(hp.context(m))).toBe('sip:10.0.0.1;lr;x=1');
    expect(hp.core.pv.parse('$route_uri').get(hp.context(hp.message(invite('sip:b@c'))))).toBeNull();
  });

  test('loose_route is a request-route function', () => {
    expect(() => h.call('loose_route', [], h.message(invite('sip:b@c')), RouteType.ONREPLY)).toThrow(/cannot be used in this route type/);
  });
});
