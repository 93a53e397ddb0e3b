import { pvCore, newCtx, sipMsg, INVITE } from './setup';

const { core } = pvCore();
const read = (text: string, ctx = newCtx(core)) => core.pv.parse(text).get(ctx);

describe('message PVs on a parsed INVITE', () => {
  test.each<[string, string | number | null]>([
    ['$ru', 'sip:bob@example.com:5080;transport=tcp;user=phone'],
    ['$(ruri)', 'sip:bob@example.com:5080;transport=tcp;user=phone'],
    ['$rU', 'bob'],
    ['$(ruri.user)', 'bob'],
    ['$rd', 'example.com'],
    ['$rp', 5080],
    ['$rP', 'tcp'],
    ['$ou', 'sip:bob@example.com:5080;transport=tcp;user=phone'],
    ['$oU', 'bob'],
    ['$od', 'example.com'],
    ['$op', 5080],
    ['$oP', 'tcp'],
    ['$du', null],
    ['$dd', null],
    ['$fu', 'sip:alice@atlanta.example.com'],
    ['$fU', 'alice'],
    ['$fd', 'atlanta.example.com'],
    ['$fn', '"Alice Liddell"'],
    ['$ft', 'a73kszlfl'],
    ['$tu', 'sip:bob@example.com'],
    ['$tU', 'bob'],
    ['$td', 'example.com'],
    ['$tn', 'Bob'],
    ['$tt', null],
    ['$ci', '3848276298220188511@atlanta.example.com'],
    ['$cs', '314159'],
    ['$rm', 'INVITE'],
    ['$rs', null],
    ['$rr', null],
    ['$ct', '<sip:alice@10.0.0.1:5062>;expires=60;q=0.7'],
    ['$cT', 'application/sdp'],
    ['$cl', 4],
    ['$bs', 4],
    ['$rb', 'v=0\n'],
    ['$ua', 'softphone/1.0'],
    ['$ai', null],
    ['$si', '127.0.0.2'],
    ['$sp', 5070],
    ['$Ri', '127.0.0.1'],
    ['$Rp', 5060],
    ['$pr', 'udp'],
    ['$fs', null],
    ['$pp', process.pid],
    ['$mf', 0],
    ['$mF', '00000000'],
    ['$null', null],
    ['$hdr(X-Multi)', 'one'],
    ['$(hdr(x-multi)[1])', 'two, three'],
    ['$(hdr(X-Multi)[-1])', 'two, three'],
    ['$(hdr(X-Multi)[*])', 'one, two, three'],
    ['$(hdr(X-Multi)[5])', null],
    ['$hdr(v)', 'SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK-1;rport'],
    ['$(hdr(Via)[1])', 'SIP/2.0/TCP proxy.example.net;branch=z9hG4bK-2;received=192.0.2.9'],
    ['$hdr(X-None)', null],
    ['$sel(via[2].branch)', 'z9hG4bK-2'],
    ['$sel(@cseq.method)', 'INVITE'],
    ['$sel(msg.header["X-None"])', null],
    ['$(fu{uri.user})', 'alice'],
    ['$(ru{uri.param,user})', 'phone'],
    ['$(ct{nameaddr.uri}{uri.port})', '5062'],
  ])('%s', (text, want) => {
    expect(read(text, newCtx(core, sipMsg(INVITE, 'v=0\n')))).toEqual(want);
  });

  test('$ml, $mb and $mi come from the received buffer', () => {
    const ctx = newCtx(core, sipMsg(INVITE, 'v=0\n'));
    expect(read('$ml', ctx)).toBe(ctx.msg.buf.length);
    expect(read('$mb', ctx)).toBe(ctx.msg.buf.toString('latin1'));
    expect(read('$mi', ctx)).toBe(ctx.msg.id);
  });

  test('defaults: port 5060 and transport udp when absent', () => {
    const ctx = newCtx(core, sipMsg(['OPTIONS sip:x.example SIP/2.0', ...INVITE.slice(1)]));
    expect(read('$rp', ctx)).toBe(5060);
    expect(read('$rP', ctx)).toBe('udp');
    expect(read('$rU', ctx)).toBeNull();
  });

  test('replies: $rs int, $rr reason, $rm the CSeq method, $ru null', () => {
    const ctx = newCtx(core, sipMsg(['SIP/2.0 180 Ringing', ...INVITE.slice(1)]));
    expect(read('$rs', ctx)).toBe(180);
    expect(read('$rr', ctx)).toBe('Ringing');
    expect(read('$rm', ctx)).toBe('INVITE');
    expect(read('$ru', ctx)).toBeNull();
  });

  test('identity and credential headers', () => {
    const ctx = newCtx(core, sipMsg([
      'REGISTER sip:example.com SIP/2.0', ...INVITE.slice(1),
      'P-Asserted-Identity: "Ali" <sip:ali@pai.example>, <tel:+15551234>',
      'P-Preferred-Identity: "Pref" <sip:pref@ppi.example>',
      'Remote-Party-ID: <sip:rpid@r.example>;party=calling',
      'Diversion: <sip:div@d.example>;reason=unconditional;privacy=full',
      'Refer-To: <sip:target@t.example>',
      'Authorization: Digest username="alice@atlanta.example.com", realm="atlanta.example.com", nonce="abc", uri="sip:example.com", response="0123"',
    ]));
    expect(read('$ai', ctx)).toBe('sip:ali@pai.example');
    expect(read('$pu', ctx)).toBe('sip:pref@ppi.example');
    expect(read('$pU', ctx)).toBe('pref');
    expect(read('$pd', ctx)).toBe('ppi.example');
    expect(read('$pn', ctx)).toBe('"Pref"');
    expect(read('$re', ctx)).toBe('sip:rpid@r.example');
    expect(read('$di', ctx)).toBe('sip:div@d.example');
    expect(read('$dir', ctx)).toBe('unconditional');
    expect(read('$dip', ctx)).toBe('full');
    expect(read('$rt', ctx)).toBe('sip:target@t.example');
    expect(read('$au', ctx)).toBe('alice@atlanta.example.com');
    expect(read('$aU', ctx)).toBe('alice');
    expect(read('$ad', ctx)).toBe('atlanta.example.com');
    expect(read('$ar', ctx)).toBe('atlanta.example.com');
    expect(read('$adu', ctx)).toBe('sip:example.com');
    const inv = newCtx(core, sipMsg([...INVITE, 'Proxy-Authorization: Digest username="palice", realm="p.example", nonce="n", uri="sip:x", response="1"']));
    expect(read('$au', inv)).toBe('palice');
    expect(read('$Au', inv)).toBe('alice@atlanta.example.com');
    expect(read('$ad', inv)).toBe('');
    expect(read('$au', newCtx(core))).toBeNull();
  });

  test('a malformed header reads as null instead of throwing', () => {
    const ctx = newCtx(core, sipMsg([...INVITE.filter((l) => !l.startsWith('From')), 'From: <sip:broken']));
    expect(read('$fu', ctx)).toBeNull();
    expect(read('$ci', ctx)).toBe('3848276298220188511@atlanta.example.com');
  });

  test('$(err.*) report the last malformed header a PV or select touched', () => {
    const errs = (ctx: ReturnType<typeof newCtx>) => ['class', 'level', 'info', 'rcode', 'rreason'].map((n) => read(`$(err.${n})`, ctx));
    const ok = newCtx(core);
    expect(read('$fu', ok)).toBe('sip:alice@atlanta.example.com');
    expect(errs(ok)).toEqual([0, 0, null, 0, null]);
    const ctx = newCtx(core, sipMsg([...INVITE.filter((l) => !l.startsWith('From')), 'From: <sip:broken']));
    expect(errs(ctx)).toEqual([0, 0, null, 0, null]);
    expect(read('$fu', ctx)).toBeNull();
    const [cls, level, info, rcode, rreason] = errs(ctx);
    expect([cls, level, rcode, rreason]).toEqual([1, 3, 400, 'bad headers']);
    expect(info).toMatch(/^error parsing from: /);
    const sel = newCtx(core, sipMsg([...INVITE.filter((l) => !l.startsWith('Via')), 'Via: SIP/2.0/UDP']));
    expect(core.selects.parse('@via[1].host').get(sel)).toBeNull();
    expect(read('$(err.rreason)', sel)).toBe('bad Via header');
    expect(() => core.pv.parse('$(err.class)').set(ok, 1)).toThrow(/read-only/);
  });

  test('$time parts and $Ts are cached per message', () => {
    const ctx = newCtx(core);
    const ts = read('$Ts', ctx) as number;
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(5);
    const d = new Date(ts * 1000);
    expect(read('$time(year)', ctx)).toBe(d.getFullYear());
    expect(read('$time(mon)', ctx)).toBe(d.getMonth() + 1);
    expect(read('$time(wday)', ctx)).toBe(d.getDay() + 1);
    expect(read('$time(hour)', ctx)).toBe(d.getHours());
    expect(read('$Tf', ctx)).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
    expect(read('$Ts', ctx)).toBe(ts);
    expect(() => core.pv.parse('$time(decade)')).toThrow(/unknown \$time part/);
  });

  test('later Kamailio PVs: $rz, $rv, $hdrc, $RAi/$RAp, $TV', () => {
    const ctx = newCtx(core);
    expect(read('$rz', ctx)).toBe('tel');
    expect(read('$rz', newCtx(core, sipMsg(['OPTIONS sips:x@y SIP/2.0', ...INVITE.slice(1)])))).toBe('sips');
    expect(read('$rv', ctx)).toBe('SIP/2.0');
    expect(read('$rv', newCtx(core, sipMsg(['SIP/2.0 180 Ringing', ...INVITE.slice(1)])))).toBe('SIP/2.0');
    expect(read('$hdrc(X-Multi)', ctx)).toBe(2);
    expect(read('$hdrc(v)', ctx)).toBe(2);
    expect(read('$hdrc(X-None)', ctx)).toBe(0);
    expect(read('$RAi', ctx)).toBe('127.0.0.1');
    expect(read('$RAp', ctx)).toBe(5060);
    expect(read('$mt', ctx)).toBe(1);
    expect(read('$mt', newCtx(core, sipMsg(['SIP/2.0 180 Ringing', ...INVITE.slice(1)])))).toBe(2);
    expect(read('$conid', ctx)).toBeNull();
    const s = read('$TV(s)', ctx) as number;
    expect(Math.abs(s - Date.now() / 1000)).toBeLessThan(5);
    expect(read('$TV(s)', ctx)).toBe(s);
    expect(read('$TV(u)', ctx)).toBe(read('$TV(u)', ctx));
    expect(read('$TV(Sn)', ctx)).toMatch(/^\d+\.\d{6}$/);
    expect(read('$TV(un)', ctx)).toBeLessThan(1e6);
    expect(() => core.pv.parse('$TV(x)')).toThrow(/unknown \$TV key/);
  });

  test('unknown inner names are refused at parse time', () => {
    expect(() => core.pv.parse('$branch(nope)')).toThrow(/unknown \$branch attribute/);
    expect(() => core.pv.parse('$snd(nope)')).toThrow(/unknown \$snd key/);
    expect(() => core.pv.parse('$sel(nosuch.thing)')).toThrow(/unable to resolve select/);
    expect(() => core.pv.parse('$hdr(a b)')).toThrow(/bad header name/);
  });
});

describe('writes change the routing state', () => {
  test('$ru, $rU, $rd, $rp rewrite the request URI', () => {
    const ctx = newCtx(core);
    const set = (t: string, v: string | number | null) => core.pv.parse(t).set(ctx, v);
    set('$rU', 'carol');
    expect(ctx.msg.newUri).toBe('sip:carol@example.com:5080;transport=tcp;user=phone');
    set('$rd', 'chicago.example.com');
    set('$rp', 5090);
    expect(ctx.msg.newUri).toBe('sip:carol@chicago.example.com:5090;transport=tcp;user=phone');
    set('$rp', null);
    expect(ctx.msg.newUri).toBe('sip:carol@chicago.example.com;transport=tcp;user=phone');
    set('$rU', null);
    expect(ctx.msg.newUri).toBe('sip:chicago.example.com;transport=tcp;user=phone');
    expect(read('$rU', ctx)).toBeNull();
    set('$rU', 'dave');
    expect(read('$ru', ctx)).toBe('sip:dave@chicago.example.com;transport=tcp;user=phone');
    expect(read('$ou', ctx)).toBe('sip:bob@example.com:5080;transport=tcp;user=phone');
    set('$ru', 'sip:x@[2001:db8::1]:5062');
    set('$rd', 'y.example');
    expect(read('$ru', ctx)).toBe('sip:x@y.example:5062');
    expect(() => set('$ru', null)).toThrow(/\$null/);
    expect(() => set('$ru', 'not a uri')).toThrow(/not a valid URI/);
    expect(() => set('$rp', 'abc')).toThrow(/integer/);
  });

  test('$du set and reset; $dd/$dp/$dP follow', () => {
    const ctx = newCtx(core);
    const du = core.pv.parse('$du');
    du.set(ctx, 'sip:10.0.0.9:5070;transport=tcp');
    expect(ctx.msg.dstUri).toBe('sip:10.0.0.9:5070;transport=tcp');
    expect(read('$dd', ctx)).toBe('10.0.0.9');
    expect(read('$dp', ctx)).toBe(5070);
    expect(read('$dP', ctx)).toBe('tcp');
    du.set(ctx, null);
    expect(ctx.msg.dstUri).toBeNull();
  });

  test('flags: $mf/$bf/$sf take ints, hex forms read 8 digits', () => {
    const ctx = newCtx(core);
    core.pv.parse('$mf').set(ctx, 5);
    core.pv.parse('$bF').set(ctx, '255');
    core.pv.parse('$sf').set(ctx, 0x10);
    expect(ctx.msg.flags).toBe(5);
    expect(ctx.msg.bflags).toBe(255);
    expect(ctx.sflags).toBe(16);
    expect(read('$mF', ctx)).toBe('00000005');
    expect(read('$bF', ctx)).toBe('000000ff');
    expect(read('$sF', ctx)).toBe('00000010');
    expect(() => core.pv.parse('$mf').set(ctx, 'x')).toThrow(/integer/);
  });

  test('$br appends a branch; $bR, $ds and $branch() read the set', () => {
    const ctx = newCtx(core);
    core.pv.parse('$br').set(ctx, 'sip:one@a.example');
    ctx.branches.push({ uri: 'sip:two@b.example', dstUri: 'sip:10.0.0.2', path: null, q: 500, flags: 3, socket: null });
    expect(read('$br', ctx)).toBe('sip:one@a.example');
    expect(read('$bR', ctx)).toBe('sip:one@a.example, sip:two@b.example');
    expect(read('$ds', ctx)).toBe('Contact: <sip:one@a.example>, <sip:two@b.example>;q=0.5');
    core.pv.parse('$rU').set(ctx, 'new');
    expect(read('$ds', ctx)).toBe('Contact: <sip:new@example.com:5080;transport=tcp;user=phone>, <sip:one@a.example>, <sip:two@b.example>;q=0.5');
    expect(read('$ds', newCtx(core))).toBeNull();
    expect(read('$branch(count)', newCtx(core))).toBeNull();
    expect(read('$branch(count)', ctx)).toBe(2);
    expect(read('$branch(uri)', ctx)).toBe('sip:one@a.example');
    expect(read('$(branch(dst_uri)[1])', ctx)).toBe('sip:10.0.0.2');
    expect(read('$(branch(q)[1])', ctx)).toBe(500);
    expect(read('$(branch(flags)[-1])', ctx)).toBe(3);
    expect(read('$(branch(uri)[2])', ctx)).toBeNull();
  });

  test('$fs needs a listening socket; $null resets', () => {
    const ctx = newCtx(core);
    expect(() => core.pv.parse('$fs').set(ctx, 'udp:127.0.0.1:19999')).toThrow(/no listening socket/);
    const sock = { proto: 'udp' as const, address: '127.0.0.1', port: 19001, af: 4 as const, name: 'udp:127.0.0.1:19001' };
    const c2 = pvCore().core;
    c2.sender = { send: () => true, socketFor: () => sock, sockets: [sock] } as never;
    const ctx2 = newCtx(c2);
    c2.pv.parse('$fs').set(ctx2, '127.0.0.1:19001');
    expect(ctx2.msg.forceSocket).toBe(sock);
    expect(c2.pv.parse('$fs').get(ctx2)).toBe('udp:127.0.0.1:19001');
    c2.pv.parse('$fs').set(ctx2, null);
    expect(ctx2.msg.forceSocket).toBeNull();
  });

  test('read-only PVs refuse writes', () => {
    for (const t of ['$fu', '$ci', '$hdr(From)', '$si', '$null', '$ou']) expect(core.pv.parse(t).writable).toBe(false);
  });
});

describe('$snd in onsend_route', () => {
  test('local socket, buffer and length; null elsewhere', () => {
    const ctx = newCtx(core);
    expect(read('$snd(ip)', ctx)).toBeNull();
    const socket = { proto: 'udp' as const, address: '127.0.0.1', port: 19002, af: 4 as const, name: 'udp:127.0.0.1:19002' };
    ctx.send = { buf: Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n'), dst: { proto: 'udp', address: '127.0.0.3', port: 5060, socket } };
    expect(read('$snd(ip)', ctx)).toBe('127.0.0.1');
    expect(read('$snd(port)', ctx)).toBe(19002);
    expect(read('$snd(proto)', ctx)).toBe('udp');
    expect(read('$snd(af)', ctx)).toBe(2);
    expect(read('$snd(len)', ctx)).toBe(25);
    expect(read('$snd(buf)', ctx)).toBe('OPTIONS sip:x SIP/2.0\r\n\r\n');
    expect(read('$sndfrom(port)', ctx)).toBe(19002);
    expect(read('$sndto(ip)', ctx)).toBe('127.0.0.3');
    expect(read('$sndto(port)', ctx)).toBe(5060);
    expect(read('$sndto(af)', ctx)).toBe(2);
    expect(read('$sndto(len)', ctx)).toBe(25);
  });
});
