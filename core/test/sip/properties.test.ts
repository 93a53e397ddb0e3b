/** Property-based tests: generated messages round-trip; mutated bytes only ever give SipParseError. */
import fc from 'fast-check';
import { parseMessage, buildForward, buildReply, checkMessage, buildBadRequestReply, SipParseError, type SipMsg, type NameAddrValue } from '../../src/sip';
import { corpusFile, rcvFrom, touchAll } from './helpers';

const rcv = rcvFrom('192.0.2.50', 21002);
const alpha = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const word = (chars: string, min = 1, max = 12): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...chars.split('')), { minLength: min, maxLength: max }).map((a) => a.join(''));
const tokenChars = `${alpha}0123456789-.!%*_+\`'~`;
const token = word(tokenChars);
const hostname = fc.array(word(`${alpha}0123456789`, 1, 8), { minLength: 1, maxLength: 3 }).map((p) => `${p.join('.')}.example`);
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
const host = fc.oneof(hostname, ipv4, fc.constant('[2001:db8::1]'));
const port = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 65535 }));
const userPart = word(`${alpha}0123456789-_.!~*'()&=+$,;?/`, 1, 10);
const uriParam = fc.tuple(word(alpha, 1, 6), fc.option(word(`${alpha}0123456789`, 1, 6), { nil: null }));

interface UriModel { user: string | null; host: string; port: number; params: [string, string | null][] }
const uriModel: fc.Arbitrary<UriModel> = fc.record({
  user: fc.option(userPart, { nil: null }),
  host,
  port,
  params: fc.uniqueArray(uriParam, { maxLength: 3, selector: (p) => p[0].toLowerCase() }),
});
const uriText = (u: UriModel): string =>
  `sip:${u.user === null ? '' : `${u.user}@`}${u.host}${u.port ? `:${u.port}` : ''}${u.params.map(([n, v]) => (v === null ? `;${n}` : `;${n}=${v}`)).join('')}`;

interface ViaModel { transport: string; host: string; port: number; branch: string; rport: boolean }
const viaModel: fc.Arbitrary<ViaModel> = fc.record({
  transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'SCTP', 'WS'),
  host,
  port,
  branch: token.map((t) => `z9hG4bK${t}`),
  rport: fc.boolean(),
});
const viaText = (v: ViaModel): string => `SIP/2.0/${v.transport} ${v.host}${v.port ? `:${v.port}` : ''};branch=${v.branch}${v.rport ? ';rport' : ''}`;

interface AddrModel { display: string | null; quoted: boolean; uri: UriModel; tag: string | null }
const addrModel: fc.Arbitrary<AddrModel> = fc.record({
  display: fc.option(word(`${alpha} `, 1, 12).map((s) => s.trim()).filter((s) => s.length > 0), { nil: null }),
  quoted: fc.boolean(),
  uri: uriModel,
  tag: fc.option(token, { nil: null }),
});
const addrText = (a: AddrModel): string => {
  const disp = a.display === null ? '' : a.quoted ? `"${a.display}" ` : `${a.display} `;
  return `${disp}<${uriText(a.uri)}>${a.tag === null ? '' : `;tag=${a.tag}`}`;
};

interface MsgModel {
  method: string;
  ruri: UriModel;
  vias: ViaModel[];
  viaOneField: boolean;
  from: AddrModel;
  to: AddrModel;
  callId: string;
  cseq: number;
  maxForwards: number | null;
  contacts: AddrModel[];
  extra: [string, string][];
  body: Buffer;
  compact: boolean;
  fold: boolean;
  lowerNames: boolean;
}

const msgModel: fc.Arbitrary<MsgModel> = fc.record({
  method: fc.oneof(fc.constantFrom('INVITE', 'OPTIONS', 'REGISTER', 'BYE', 'MESSAGE'), token.filter((t) => !/^sip\//i.test(t))),
  ruri: uriModel,
  vias: fc.array(viaModel, { minLength: 1, maxLength: 4 }),
  viaOneField: fc.boolean(),
  from: addrModel,
  to: addrModel,
  callId: fc.tuple(token, fc.option(hostname, { nil: null })).map(([a, b]) => (b ? `${a}@${b}` : a)),
  cseq: fc.integer({ min: 0, max: 4294967295 }),
  maxForwards: fc.option(fc.nat(255), { nil: null }),
  contacts: fc.array(addrModel, { maxLength: 3 }),
  extra: fc.array(fc.tuple(word(alpha, 2, 10).map((n) => `X-${n}`), word(`${alpha}0123456789 ;=,.:/`, 0, 20).map((v) => v.trim())), { maxLength: 4 }),
  body: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  compact: fc.boolean(),
  fold: fc.boolean(),
  lowerNames: fc.boolean(),
});

function render(m: MsgModel): Buffer {
  const name = (long: string, short: string): string => (m.compact ? short : m.lowerNames ? long.toLowerCase() : long);
  const lines = [`${m.method} ${uriText(m.ruri)} SIP/2.0`];
  if (m.viaOneField) lines.push(`${name('Via', 'v')}: ${m.vias.map(viaText).join(m.fold ? ',\r\n ' : ', ')}`);
  else for (const v of m.vias) lines.push(`${name('Via', 'v')}: ${viaText(v)}`);
  lines.push(`${name('From', 'f')}: ${addrText(m.from)}`, `${name('To', 't')}:${m.fold ? '\r\n\t' : ' '}${addrText(m.to)}`);
  lines.push(`${name('Call-ID', 'i')}: ${m.callId}`, `CSeq: ${m.cseq} ${m.method}`);
  if (m.maxForwards !== null) lines.push(`Max-Forwards: ${m.maxForwards}`);
  if (m.contacts.length > 0) lines.push(`${name('Contact', 'm')}: ${m.contacts.map(addrText).join(', ')}`);
  for (const [n, v] of m.extra) lines.push(`${n}: ${v}`);
  lines.push(`${name('Content-Length', 'l')}: ${m.body.length}`, '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), m.body]);
}

function checkUri(u: { user: string; host: string; port: number; params: readonly { name: string; value: string | null }[] }, e: UriModel): void {
  expect([u.user, u.host, u.port]).toEqual([e.user ?? '', e.host, e.port]);
  expect(u.params.map((p) => [p.name, p.value])).toEqual(e.params);
}

function checkAddr(a: NameAddrValue, e: AddrModel): void {
  expect(a.display).toBe(e.display ?? '');
  checkUri(a.parsedUri, e.uri);
  expect(a.tag).toBe(e.tag ?? undefined);
}

function checkModel(p: SipMsg, m: MsgModel): void {
  expect(p.method).toBe(m.method);
  checkUri(p.uri(), m.ruri);
  expect(p.vias().map((v) => [v.transport, v.host, v.port, v.branch, v.rport])).toEqual(
    m.vias.map((v) => [v.transport, v.host, v.port, v.branch, v.rport ? null : undefined]),
  );
  checkAddr(p.from(), m.from);
  checkAddr(p.to(), m.to);
  expect(p.callId()).toBe(m.callId);
  expect(p.cseq().num).toBe(m.cseq);
  expect(p.maxForwards()).toBe(m.maxForwards ?? undefined);
  const contacts = p.contacts();
  expect(contacts).not.toBe('*');
  (contacts as NameAddrValue[]).forEach((c, i) => checkAddr(c, m.contacts[i]));
  expect((contacts as NameAddrValue[]).length).toBe(m.contacts.length);
  for (const [n, v] of m.extra) expect(p.headerAll(n).map((h) => h.value)).toContain(v);
  expect(p.body.equals(m.body)).toBe(true);
}

describe('properties', () => {
  test('parse(render(model)) gives the model back; forwarding keeps it', () => {
    fc.assert(
      fc.property(msgModel, (m) => {
        const p = parseMessage(render(m), rcv);
        checkModel(p, m);
        expect(checkMessage(p)).toBeNull();
        // forwarded without changes of ours except a new Via: same message plus that Via
        const fwd = parseMessage(buildForward(p, { via: { transport: 'UDP', host: '127.0.0.1', port: 21000, branch: 'z9hG4bKf' }, markReceived: false }), rcv);
        checkModel(fwd, { ...m, vias: [{ transport: 'UDP', host: '127.0.0.1', port: 21000, branch: 'z9hG4bKf', rport: false }, ...m.vias] });
        // a reply parses and carries the request's dialog identifiers
        const r = parseMessage(buildReply(p, 486, 'Busy Here', { toTag: 'rt' }), rcv);
        expect([r.status, r.callId(), r.cseq().num, r.from().tag, r.to().tag]).toEqual([486, m.callId, m.cseq, m.from.tag ?? undefined, m.to.tag ?? 'rt']);
        expect(r.vias().length).toBe(m.vias.length);
      }),
      { numRuns: 300 },
    );
  });

  test('applyChanges: reads after msg_apply_changes see the edited message', () => {
    fc.assert(
      fc.property(msgModel, word(alpha, 1, 8), fc.uint8Array({ maxLength: 50 }), (m, hname, body) => {
        const p = parseMessage(render(m), rcv);
        p.appendHeader(`X-Added-${hname}: 1\r\n`);
        p.removeHeaders('call-id');
        p.prependHeader('Call-ID: replaced\r\n');
        p.setBody(Buffer.from(body));
        p.applyChanges();
        expect(p.callId()).toBe('replaced');
        expect(p.header(`x-added-${hname}`)!.value).toBe('1');
        expect(p.body.equals(Buffer.from(body))).toBe(true);
        expect(p.contentLength()).toBe(body.length);
        expect(p.changes).toEqual([]);
        checkModel(p, { ...m, callId: 'replaced', body: Buffer.from(body), extra: [...m.extra, [`X-Added-${hname}`, '1']] });
      }),
      { numRuns: 150 },
    );
  });

  const seeds = [
    'rfc4475/valid/wsinv.dat', 'rfc4475/valid/intmeth.dat', 'rfc4475/valid/esc01.dat', 'rfc4475/valid/longreq.dat', 'rfc4475/valid/mpart01.dat',
    'rfc4475/valid/unreason.dat', 'rfc5118/wire/valid/mult-ip-in-header', 'rfc4475/valid/regaut01.dat',
  ].map(corpusFile);

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.nat(255) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.constantFrom(...[',', ';', '"', '<', '>', ':', '\r\n', '\r\n ', '%', '[', ']', '@', '=', '\0'].map((s) => Buffer.from(s))) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );
  type Mutation = { kind: 'set'; at: number; byte: number } | { kind: 'insert'; at: number; bytes: Uint8Array } | { kind: 'delete'; at: number; len: number } | { kind: 'truncate'; at: number };

  function mutate(src: Buffer, ops: Mutation[]): Buffer {
    let b = Buffer.from(src);
    for (const op of ops) {
      const at = b.length === 0 ? 0 : op.at % b.length;
      if (op.kind === 'set') b[at] = op.byte;
      else if (op.kind === 'insert') b = Buffer.concat([b.subarray(0, at), op.bytes, b.subarray(at)]);
      else if (op.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + op.len)]);
      else b = b.subarray(0, at);
    }
    return b;
  }

  test('mutated messages: only SipParseError from parsing, accessors, checks and builders', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...seeds), msgModel.map(render)), fc.array(mutation, { minLength: 1, maxLength: 6 }), (seed, ops) => {
        const buf = mutate(seed, ops as Mutation[]);
        try {
          const m = parseMessage(buf, rcv);
          touchAll(m);
          const problem = checkMessage(m);
          if (m.isRequest) {
            buildReply(m, problem?.code ?? 200, problem?.reason ?? 'OK');
            buildForward(m, { via: { transport: 'UDP', host: '127.0.0.1', branch: 'z9hG4bKm' } });
          } else buildForward(m);
        } catch (e) {
          if (!(e instanceof SipParseError)) throw e;
          const r = buildBadRequestReply(buf, rcv, e.message);
          if (r) expect(r.toString('latin1').startsWith('SIP/2.0 400 ')).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
