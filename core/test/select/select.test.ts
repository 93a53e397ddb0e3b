import { newCore, newCtx, sipMsg, INVITE } from '../pv/helpers';
import { PvError } from '../../src/pv/error';

const core = newCore();
const ctx = newCtx(core);
const sel = (t: string) => core.selects.parse(t).get(ctx);

describe('core selects on a parsed INVITE', () => {
  test.each([
    ['@ruri', 'sip:bob@example.com:5080;transport=tcp;user=phone'],
    ['@ruri.user', 'bob'],
    ['@RURI.Host', 'example.com'],
    ['@ruri.port', '5080'],
    ['@ruri.hostport', 'example.com:5080'],
    ['@ruri.transport', 'tcp'],
    ['@ruri.type', 'sip'],
    ['@ruri.params["transport"]', 'tcp'],
    ['@ruri.params["user"]', 'phone'],
    ['@from', '"Alice Liddell" <sip:alice@atlanta.example.com>;tag=a73kszlfl'],
    ['@from.uri', 'sip:alice@atlanta.example.com'],
    ['@from.uri.user', 'alice'],
    ['@f.tag', 'a73kszlfl'],
    ['@from.name', '"Alice Liddell"'],
    ['@to.uri.host', 'example.com'],
    ['@contact.uri.port', '5062'],
    ['@contact.expires', '60'],
    ['@contact.q', '0.7'],
    ['@via', 'SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK-1;rport'],
    ['@via[1].branch', 'z9hG4bK-1'],
    ['@via[2].host', 'proxy.example.net'],
    ['@v[2].transport', 'TCP'],
    ['@via[2].received', '192.0.2.9'],
    ['@via[2].params["received"]', '192.0.2.9'],
    ['@via[1].port', '5062'],
    ['@via[1].name', 'SIP'],
    ['@via[1].version', '2.0'],
    ['@via[2].params["branch"]', 'z9hG4bK-2'],
    ['@cseq', '314159 INVITE'],
    ['@cseq.num', '314159'],
    ['@cseq.method', 'INVITE'],
    ['@call_id', '3848276298220188511@atlanta.example.com'],
    ['@max_forwards', '70'],
    ['@user_agent', 'softphone/1.0'],
    ['@content_type', 'application/sdp'],
    ['@msg.header["X-Multi"]', 'one'],
    ['@msg.header["x-multi"][2]', 'two, three'],
    ['@msg.header["X-Multi"][-1]', 'two, three'],
    ['@msg.h.X_Multi', 'one'],
    ['@msg.first_line', 'INVITE sip:bob@example.com:5080;transport=tcp;user=phone SIP/2.0'],
    ['@msg.type', '1'],
    ['@msg.request.method', 'INVITE'],
    ['@msg.request.uri.user', 'bob'],
    ['@msg.request.version', 'SIP/2.0'],
    ['@method', 'INVITE'],
    ['@src.ip', '127.0.0.2'],
    ['@src.port', '5070'],
    ['@src.ip_port', '127.0.0.2:5070'],
    ['@dst.ip_port', '127.0.0.1:5060'],
    ['@received.proto_ip_port', 'udp:127.0.0.1:5060'],
    ['@branch.count', '0'],
    ['@sys.pid', String(process.pid)],
  ])('%s = %s', (text, want) => {
    expect(sel(text)).toBe(want);
  });

  test('missing values are undefined (null)', () => {
    expect(sel('@via[5]')).toBeNull();
    expect(sel('@to.tag')).toBeNull();
    expect(sel('@msg.header["X-None"]')).toBeNull();
    expect(sel('@dst_uri')).toBeNull();
    expect(sel('@status')).toBeNull();
    expect(sel('@ruri.params["nope"]')).toBeNull();
    // as Kamailio 5.6: flags without value and .params without a name are undefined
    expect(sel('@via[1].rport')).toBeNull();
    expect(sel('@ruri.params')).toBeNull();
    expect(sel('@from.uri.port')).toBeNull();
    expect(sel('@from.uri.hostport')).toBe('atlanta.example.com:5060');
  });

  test('routing state: rewritten R-URI, dst_uri, branches', () => {
    const c = newCtx(core);
    c.msg.newUri = 'sip:carol@chicago.example.com';
    c.msg.dstUri = 'sip:10.1.1.1:5070;transport=udp';
    c.branches.push({ uri: 'sip:b1@x', dstUri: null, path: null, q: 500, flags: 0, socket: null });
    const g = (t: string) => core.selects.parse(t).get(c);
    expect(g('@ruri.user')).toBe('carol');
    expect(g('@dst_uri.port')).toBe('5070');
    expect(g('@next_hop.host')).toBe('10.1.1.1');
    expect(g('@branch.count')).toBe('1');
    expect(g('@branch.uri[0].user')).toBe('b1');
    expect(g('@branch.q[0]')).toBe('500');
  });

  test('@next_hop.src_ip asks the transport which local socket reaches the next hop', () => {
    const c2 = newCore();
    const asked: unknown[] = [];
    const sock = { proto: 'tcp' as const, address: '127.0.0.9', port: 19003, af: 4 as const, name: 'tcp:127.0.0.9:19003' };
    c2.sender = { send: () => true, socketFor: (d) => (asked.push(d), sock) };
    const cx = newCtx(c2);
    cx.msg.dstUri = 'sip:10.1.1.1:5070;transport=tcp';
    expect(c2.selects.parse('@next_hop.src_ip').get(cx)).toBe('127.0.0.9');
    expect(asked).toEqual([{ proto: 'tcp', address: '10.1.1.1', port: 5070 }]);
    expect(core.selects.parse('@next_hop.src_ip').get(ctx)).toBe('127.0.0.1');
  });

  test('@sys.now forms', () => {
    const now = Math.floor(Date.now() / 1000);
    expect(Math.abs(Number(sel('@sys.now')) - now)).toBeLessThan(5);
    expect(sel('@sys.now.local["%Y"]')).toBe(String(new Date().getFullYear()));
    expect(sel('@sys.now.utc["%Z"]')).toBe('UTC');
  });

  test('reply selects', () => {
    const c = newCtx(core, sipMsg(['SIP/2.0 486 Busy Here', ...INVITE.slice(1)]));
    const g = (t: string) => core.selects.parse(t).get(c);
    expect(g('@status')).toBe('486');
    expect(g('@msg.response.code')).toBe('486');
    expect(g('@reason')).toBe('Busy Here');
    expect(g('@msg.type')).toBe('2');
    expect(g('@ruri')).toBeNull();
    expect(g('@method')).toBeNull();
  });

  test('a malformed header makes the select undefined, not a crash', () => {
    const c = newCtx(core, sipMsg([...INVITE.filter((l) => !l.startsWith('CSeq')), 'CSeq: abc']));
    expect(core.selects.parse('@cseq.num').get(c)).toBeNull();
  });
});

describe('credentials, name-addr headers and SDP', () => {
  const SDP = 'v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 49170 RTP/AVP 0\r\n';
  const c = newCtx(core, sipMsg([
    ...INVITE.filter((l) => !l.startsWith('Content-Type')),
    'Authorization: Digest username="alice@atlanta.example.com", realm="atlanta.example.com", nonce="n0nce", uri="sip:bob@example.com", response="0123", qop=auth, nc=00000001, cnonce="c1", algorithm=MD5',
    'Authorization: Digest username="bob", realm="other.example", nonce="n2", uri="sip:x", response="9"',
    'Proxy-Authorization: Digest username="palice", realm="p.example", nonce="pn", uri="sip:y", response="f"',
    'Refer-To: <sip:target@t.example>',
    'Remote-Party-ID: "R" <sip:rpid@r.example>;party=calling',
    'Content-Type: application/sdp',
  ], SDP));
  const g = (t: string) => core.selects.parse(t).get(c);
  test.each([
    ['@authorization["atlanta.example.com"].username', 'alice@atlanta.example.com'],
    ['@authorization["atlanta.example.com"].username.user', 'alice'],
    ['@authorization["atlanta.example.com"].username.domain', 'atlanta.example.com'],
    ['@authorization["atlanta.example.com"].nonce', 'n0nce'],
    ['@authorization["atlanta.example.com"].qop', 'auth'],
    ['@authorization["atlanta.example.com"].nc', '00000001'],
    ['@authorization["other.example"].username', 'bob'],
    ['@authorization["other.example"].username.domain', null],
    ['@authorization["none.example"].realm', null],
    ['@proxy_authorization["p.example"].response', 'f'],
    ['@refer_to', '<sip:target@t.example>'],
    ['@refer_to.uri.host', 't.example'],
    ['@rpid.name', '"R"'],
    ['@remote_party_id.params["party"]', 'calling'],
    ['@pai.uri', null],
    ['@msg.body.sdp.line["m"]', 'audio 49170 RTP/AVP 0'],
    ['@msg.body.sdp.line["c"]', 'IN IP4 10.0.0.1'],
    ['@msg.body.sdp.line["z"]', null],
  ])('%s', (t, want) => {
    expect(g(t)).toBe(want);
  });

  test('@authorization needs the realm', () => {
    expect(() => core.selects.parse('@authorization')).toThrow(/needs a \["name"\]/);
  });
});

describe('resolution errors at start', () => {
  test.each([
    ['@nosuch', /unable to resolve select '@nosuch' at 'nosuch'/],
    ['@ruri.nosuch', /unable to resolve/],
    ['@src', /incomplete/],
    ['@msg.header', /incomplete/],
    ['@via[1].params', /needs a \["name"\]/],
    ['@from.params', /needs a \["name"\]/],
    ['@via[x]', /bad index/],
    ['@msg.header["X', /unterminated/],
    ['@ruri..user', /unexpected/],
  ])('%s', (text, re) => {
    let e: unknown;
    try {
      core.selects.parse(text);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(PvError);
    expect((e as PvError).code).toBe('SIPR_CFG_SELECT');
    expect((e as Error).message).toMatch(re);
  });

  test('selectEnd stops at the first character that cannot continue a select', () => {
    expect(core.selects.selectEnd('@via[1].branch=="x"', 0)).toBe(14);
    expect(core.selects.selectEnd('x @msg.header["A"][-1] y', 2)).toBe(22);
  });
});

describe('module selects', () => {
  test('a SelectExport gets the remaining parts', () => {
    const c2 = newCore();
    c2.selects.register({ path: ['tm', 'uac'], handler: (_ctx, rest) => `uac:${rest.join('/')}` });
    c2.selects.register({ path: ['tm', 'method'], handler: (cx) => cx.msg.method });
    const cx = newCtx(c2);
    expect(c2.selects.parse('@tm.uac[2].status').get(cx)).toBe('uac:2/status');
    expect(c2.selects.parse('@TM.method').get(cx)).toBe('INVITE');
    expect(() => c2.selects.parse('@tm.other')).toThrow(/unable to resolve/);
  });
});

describe('Record-Route and name-addr header selects', () => {
  const rrCtx = newCtx(core, sipMsg([...INVITE, 'Record-Route: "Edge" <sip:p1.example;lr;ftag=a1>, <sip:p2.example;lr>', 'Record-Route: <sip:p3.example>']));
  const s = (t: string) => core.selects.parse(t).get(rrCtx);
  test.each([
    ['@rr', '"Edge" <sip:p1.example;lr;ftag=a1>, <sip:p2.example;lr>'],
    ['@record_route.uri', 'sip:p1.example;lr;ftag=a1'],
    ['@rr.uri.host', 'p1.example'],
    ['@rr.uri.params["ftag"]', 'a1'],
    ['@rr.name', '"Edge"'],
    ['@msg.h.From.nameaddr.uri', 'sip:alice@atlanta.example.com'],
    ['@msg.h.From.nameaddr.name', '"Alice Liddell"'],
    ['@msg.h.To.nameaddr.uri.user', 'bob'],
    ['@msg.h.Record_Route[2].nameaddr.uri', 'sip:p3.example'],
  ])('%s = %s', (path, want) => {
    expect(s(path)).toBe(want);
  });

  test('absent or malformed: undefined', () => {
    expect(sel('@rr.uri')).toBeNull();
    expect(sel('@msg.h.X_None.nameaddr.uri')).toBeNull();
    const bad = newCtx(core, sipMsg([...INVITE, 'Record-Route: <sip:p1.example']));
    expect(core.selects.parse('@rr.uri').get(bad)).toBeNull();
  });
});
