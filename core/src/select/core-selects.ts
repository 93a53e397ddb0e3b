/**
 * The core select table (select-framework.md §4). Every URI-valued step gets the generic URI
 * suffixes (.user, .host, ...) through a NESTED row.
 */
import { parseUriCached } from '../pv/uri-cache';
import { parseNameAddr, parseNameAddrList } from '../sip/nameaddr';
import { parseCredentials, type Credentials } from '../sip/fields';
import type { NameAddr, SipUri, Via } from '../sip/types';
import type { Proto } from '../transport/types';
import type { RunCtx } from '../script/types';
import { SelFlag, type SelParam, type SelectFn, type SelectRow } from './types';
import { formatTime } from './strftime';
import { firstLine, sipVersion } from '../pv/first-line';
import { displayAsWritten, unquoteParam } from '../pv/display';

const { NESTED, CONSUME_NEXT_STR, CONSUME_NEXT_INT, OPTIONAL, PARAM_EXPECTED } = SelFlag;

function strArg(args: readonly SelParam[], i: number): string | null {
  const a = args[i];
  return a && a.type === 'str' ? a.s : null;
}
function intArg(args: readonly SelParam[], i: number, dflt: number): number {
  const a = args[i];
  return a && a.type === 'int' ? a.n : dflt;
}

/** Value of a named parameter; a flag without value is undefined too, as in Kamailio. */
function paramOf(params: readonly { name: string; value: string | null }[], name: string): string | null {
  const n = name.toLowerCase();
  for (const p of params) if (p.name.toLowerCase() === n) return p.value === null ? null : unquoteParam(p.value);
  return null;
}

/** `.params["name"]`: the name is mandatory. */
function paramsRow(parent: SelectFn, list: (ctx: RunCtx, input: any) => readonly { name: string; value: string | null }[] | null): void {
  row(parent, 'params', (ctx, input, a) => {
    const l = list(ctx, input);
    return l === null ? null : paramOf(l, strArg(a, 1)!);
  }, CONSUME_NEXT_STR);
}

const rows: SelectRow[] = [];
function row(parent: SelectFn | null, name: string | null, fn: SelectFn, flags = 0, type: 'str' | 'int' = 'str'): SelectFn {
  rows.push({ parent, type, name, fn, flags });
  return fn;
}
function named(parent: SelectFn | null, names: string[], fn: SelectFn, flags = 0): SelectFn {
  for (const n of names) row(parent, n, fn, flags);
  return fn;
}

// --- generic URI suffixes
const anyUri: SelectFn = (_ctx, input: string) => parseUriCached(input);
const uriProducers: SelectFn[] = [];
function uriProducer(fn: SelectFn): SelectFn {
  uriProducers.push(fn);
  return fn;
}
// a tel: number without its visual separators (+1-555-0100 reads +15550100), as Kamailio's select
row(anyUri, 'user', (_c, u: SipUri) => (u.scheme === 'tel' || u.scheme === 'tels' ? u.user.replace(/[-.()]/g, '') : u.user));
row(anyUri, 'host', (_c, u: SipUri) => u.host);
row(anyUri, 'port', (_c, u: SipUri) => (u.port ? String(u.port) : null));
row(anyUri, 'pwd', (_c, u: SipUri) => u.password);
// without a name Kamailio resolves the path but yields nothing
row(anyUri, 'params', (_c, u: SipUri, a) => {
  const name = strArg(a, 1);
  return name === null ? null : paramOf(u.params, name);
}, CONSUME_NEXT_STR | OPTIONAL);
// Kamailio writes the default port when the URI has none
row(anyUri, 'hostport', (_c, u: SipUri) => `${u.host}:${u.port || (u.scheme === 'sips' ? 5061 : 5060)}`);
row(anyUri, 'transport', (_c, u: SipUri) => paramOf(u.params, 'transport') ?? '');
row(anyUri, 'type', (_c, u: SipUri) => u.scheme);

// --- request URI, destination
const msgRuri: SelectFn = (ctx) => (ctx.msg.isRequest ? (ctx.msg.newUri ?? ctx.msg.ruri) : null);
named(null, ['ruri', 'request_uri'], uriProducer(msgRuri));
row(null, 'dst_uri', uriProducer((ctx) => ctx.msg.dstUri));
const nextHop = row(null, 'next_hop', uriProducer((ctx) => ctx.msg.dstUri ?? (ctx.msg.isRequest ? (ctx.msg.newUri ?? ctx.msg.ruri) : null)));
// the local address the transport would send from to reach the next hop
row(nextHop, 'src_ip', (ctx, hop: string) => {
  const u = parseUriCached(hop);
  const sender = ctx.core.sender;
  if (u === null || sender === null) return ctx.msg.rcv.socket.address;
  const proto = (u.param('transport') || (u.scheme === 'sips' ? 'tls' : 'udp')).toLowerCase() as Proto;
  return (ctx.msg.forceSocket ?? sender.socketFor({ proto, address: u.host, port: u.port || 5060 }))?.address ?? ctx.msg.rcv.socket.address;
});

// --- name-addr headers
function nameAddrRows(names: string[], header: string, parse: (ctx: RunCtx) => NameAddr): void {
  const whole = named(null, names, (ctx) => ctx.msg.header(header)?.value ?? null);
  row(whole, 'uri', uriProducer((ctx) => parse(ctx).uri));
  row(whole, 'tag', (ctx) => parse(ctx).tag ?? null);
  row(whole, 'name', (ctx) => displayAsWritten(parse(ctx)));
  paramsRow(whole, (ctx) => parse(ctx).params);
}
nameAddrRows(['from', 'f'], 'from', (ctx) => ctx.msg.from());
nameAddrRows(['to', 't'], 'to', (ctx) => ctx.msg.to());
/** Only called after the whole-header step found the header (an absent one stops the select there). */
function headerNameAddr(header: string) {
  return (ctx: RunCtx): NameAddr => parseNameAddr(ctx.msg.header(header)!.value, header);
}
nameAddrRows(['refer_to'], 'refer-to', headerNameAddr('refer-to'));
nameAddrRows(['rpid', 'remote_party_id'], 'remote-party-id', headerNameAddr('remote-party-id'));
nameAddrRows(['pai', 'asserted_identity'], 'p-asserted-identity', headerNameAddr('p-asserted-identity'));

// --- credentials for a realm: `@authorization["realm"]`
interface CredentialsValue {
  raw: string;
  c: Credentials;
}
function credentialRows(names: string[], header: string): void {
  const creds = named(null, names, (ctx, _in, a): CredentialsValue | null => {
    const realm = strArg(a, 1);
    for (const f of ctx.msg.headerAll(header)) {
      const c = parseCredentials(f.value, header);
      if (c.realm === realm) return { raw: f.value, c };
    }
    return null;
  }, CONSUME_NEXT_STR);
  const username = row(creds, 'username', (_c, v: CredentialsValue) => v.c.username);
  row(username, 'user', (_c, u: string) => u.split('@')[0]);
  row(username, 'domain', (_c, u: string) => {
    const at = u.indexOf('@');
    return at < 0 ? null : u.slice(at + 1);
  });
  for (const p of ['realm', 'nonce', 'uri', 'cnonce', 'nc', 'response', 'opaque', 'algorithm', 'qop'] as const) {
    row(creds, p, (_c, v: CredentialsValue) => v.c.param(p));
  }
}
credentialRows(['authorization'], 'authorization');
credentialRows(['proxy_authorization'], 'proxy-authorization');

// --- contact
function firstContact(ctx: RunCtx) {
  const c = ctx.msg.contacts();
  return c === '*' || c.length === 0 ? null : c[0];
}
const contact = named(null, ['contact', 'm'], (ctx) => ctx.msg.header('contact')?.value ?? null);
row(contact, 'uri', uriProducer((ctx) => firstContact(ctx)?.uri ?? null));
row(contact, 'name', (ctx) => {
  const c = firstContact(ctx);
  return c ? displayAsWritten(c) : null;
});
row(contact, 'q', (ctx) => {
  const q = firstContact(ctx)?.q;
  return q === undefined ? null : String(q);
});
row(contact, 'expires', (ctx) => {
  const e = firstContact(ctx)?.expires;
  return e === undefined ? null : String(e);
});
paramsRow(contact, (ctx) => firstContact(ctx)?.params ?? null);
for (const p of ['methods', 'received', 'instance']) row(contact, p, (ctx) => {
  const c = firstContact(ctx);
  return c ? paramOf(c.params, p === 'instance' ? '+sip.instance' : p) : null;
});

// --- via (1-based index)
const via = named(null, ['via', 'v'], (ctx, _in, a) => {
  const n = intArg(a, 1, 1);
  const vias = ctx.msg.vias();
  const i = n < 0 ? vias.length + n : n - 1;
  return i >= 0 && i < vias.length ? vias[i] : null;
}, CONSUME_NEXT_INT | OPTIONAL);
row(via, 'name', (_c, v: Via) => v.protocol.split('/')[0] ?? null);
row(via, 'version', (_c, v: Via) => v.protocol.split('/')[1] ?? null);
row(via, 'transport', (_c, v: Via) => v.transport);
row(via, 'host', (_c, v: Via) => v.host);
row(via, 'port', (_c, v: Via) => (v.port ? String(v.port) : null));
for (const p of ['branch', 'received', 'rport', 'i', 'alias', 'maddr', 'ttl']) row(via, p, (_c, v: Via) => paramOf(v.params, p));
paramsRow(via, (_c, v: Via) => v.params);

// --- cseq, call-id and plain header bodies
const cseq = row(null, 'cseq', (ctx) => ctx.msg.header('cseq')?.value ?? null);
row(cseq, 'num', (ctx) => ctx.msg.cseq().numText);
row(cseq, 'method', (ctx) => ctx.msg.cseq().method);
named(null, ['call_id', 'callid'], (ctx) => ctx.msg.callId());
for (const h of [
  'expires', 'max_forwards', 'content_type', 'content_length', 'subject', 'organization', 'priority',
  'session_expires', 'min_se', 'user_agent', 'sip_if_match', 'event', 'date', 'identity', 'identity_info',
  'accept', 'allow', 'supported', 'require', 'proxy_require', 'server',
]) {
  const hname = h.replace(/_/g, '-');
  row(null, h, (ctx) => ctx.msg.header(hname)?.value ?? null);
}

// --- Record-Route: the whole first field; .uri/.name/.params are its first entry
const rr = named(null, ['record_route', 'rr'], (ctx) => ctx.msg.header('record-route')?.value ?? null);
const firstRr = (_c: RunCtx, field: string): NameAddr | null => parseNameAddrList(field, 'record-route')[0] ?? null;
row(rr, 'uri', uriProducer((c, field: string) => firstRr(c, field)?.uri ?? null));
row(rr, 'name', (c, field: string) => {
  const na = firstRr(c, field);
  return na === null ? null : displayAsWritten(na);
});
paramsRow(rr, (c, field: string) => firstRr(c, field)?.params ?? null);

// --- message
const msg = named(null, ['msg', 'message'], (ctx) => ctx.msg.buf.toString('latin1'));
row(msg, 'first_line', (ctx) => firstLine(ctx.msg));
row(msg, 'flags', (ctx) => String(ctx.msg.flags));
row(msg, 'len', (ctx) => String(ctx.msg.buf.length));
const msgId = row(msg, 'id', (ctx) => String(ctx.msg.id));
row(msgId, 'hex', (ctx) => ctx.msg.id.toString(16));
// Kamailio prints the first-line type code: 1 request, 2 reply
row(msg, 'type', (ctx) => (ctx.msg.isRequest ? '1' : '2'));
const header = named(msg, ['header', 'h'], () => '', PARAM_EXPECTED);
const anyHeader = row(header, null, (ctx, _in, a) => {
  const name = strArg(a, 0)!.replace(/_/g, '-');
  const n = intArg(a, 1, 1);
  const all = ctx.msg.headerAll(name);
  const i = n < 0 ? all.length + n : n - 1;
  return i >= 0 && i < all.length ? all[i].value : null;
}, CONSUME_NEXT_INT | OPTIONAL);
// `.nameaddr.name` / `.nameaddr.uri` read a header body as a name-addr (e.g. @msg.h.P_Called_Party_ID)
const nameaddr = row(anyHeader, 'nameaddr', (_c, field: string) => field);
row(nameaddr, 'name', (_c, field: string) => displayAsWritten(parseNameAddr(field, 'header')));
row(nameaddr, 'uri', uriProducer((_c, field: string) => parseNameAddr(field, 'header').uri));
const body = named(msg, ['body', 'content'], (ctx) => ctx.msg.body.toString('latin1'));
const sdp = row(body, 'sdp', (_c, b: string) => b, PARAM_EXPECTED);
// the value of the first line of that type: `line["m"]` of `m=audio 49170 RTP/AVP 0` is `audio 49170 RTP/AVP 0`
row(sdp, 'line', (_c, b: string, a) => {
  const prefix = strArg(a, 1) + '=';
  for (const line of b.split(/\r?\n/)) if (line.startsWith(prefix)) return line.slice(prefix.length);
  return null;
}, CONSUME_NEXT_STR);
const firstLineVersion: SelectFn = (ctx) => sipVersion(ctx.msg);
const method: SelectFn = (ctx) => (ctx.msg.isRequest ? ctx.msg.method : null);
const status: SelectFn = (ctx) => (ctx.msg.isRequest ? null : String(ctx.msg.status));
const reason: SelectFn = (ctx) => (ctx.msg.isRequest ? null : ctx.msg.reason);
const request = row(msg, 'request', (ctx) => (ctx.msg.isRequest ? '' : null), PARAM_EXPECTED);
row(request, 'method', method);
row(request, 'uri', uriProducer((ctx) => ctx.msg.ruri || null));
row(request, 'version', firstLineVersion);
const response = row(msg, 'response', (ctx) => (ctx.msg.isRequest ? null : ''), PARAM_EXPECTED);
named(response, ['status', 'code'], status);
row(response, 'reason', reason);
row(response, 'version', firstLineVersion);
row(null, 'method', method);
row(null, 'version', firstLineVersion);
named(null, ['status', 'code'], status);
row(null, 'reason', reason);

// --- transport
const src = row(null, 'src', () => '', PARAM_EXPECTED);
row(src, 'ip', (ctx) => ctx.msg.rcv.srcIp);
row(src, 'port', (ctx) => String(ctx.msg.rcv.srcPort));
row(src, 'ip_port', (ctx) => `${ctx.msg.rcv.srcIp}:${ctx.msg.rcv.srcPort}`);
const dst = row(null, 'dst', () => '', PARAM_EXPECTED);
row(dst, 'ip', (ctx) => ctx.msg.rcv.dstIp);
row(dst, 'port', (ctx) => String(ctx.msg.rcv.dstPort));
row(dst, 'ip_port', (ctx) => `${ctx.msg.rcv.dstIp}:${ctx.msg.rcv.dstPort}`);
const received = row(null, 'received', () => '', PARAM_EXPECTED);
row(received, 'proto', (ctx) => ctx.msg.rcv.proto);
row(received, 'ip', (ctx) => ctx.msg.rcv.dstIp);
row(received, 'port', (ctx) => String(ctx.msg.rcv.dstPort));
row(received, 'ip_port', (ctx) => `${ctx.msg.rcv.dstIp}:${ctx.msg.rcv.dstPort}`);
row(received, 'proto_ip_port', (ctx) => `${ctx.msg.rcv.proto}:${ctx.msg.rcv.dstIp}:${ctx.msg.rcv.dstPort}`);

// --- destination set: index 0 is the first additional branch
const branch = row(null, 'branch', () => '', PARAM_EXPECTED);
row(branch, 'count', (ctx) => String(ctx.branches.length));
function branchAt(ctx: RunCtx, a: readonly SelParam[]) {
  return ctx.branches[intArg(a, 1, 0)] ?? null;
}
row(branch, 'uri', uriProducer((ctx, _in, a) => branchAt(ctx, a)?.uri ?? null), CONSUME_NEXT_INT | OPTIONAL);
row(branch, 'dst_uri', uriProducer((ctx, _in, a) => branchAt(ctx, a)?.dstUri ?? null), CONSUME_NEXT_INT | OPTIONAL);
row(branch, 'q', (ctx, _in, a) => {
  const b = branchAt(ctx, a);
  return b ? String(b.q) : null;
}, CONSUME_NEXT_INT | OPTIONAL);
row(branch, 'uriq', (ctx, _in, a) => {
  const b = branchAt(ctx, a);
  return b ? (b.q >= 0 ? `<${b.uri}>;q=${b.q}` : b.uri) : null;
}, CONSUME_NEXT_INT | OPTIONAL);

// --- system
const sys = row(null, 'sys', () => '', PARAM_EXPECTED);
row(sys, 'pid', () => String(process.pid));
let uniqueCounter = 0;
row(sys, 'unique', () => `${process.pid.toString(16)}-${Date.now().toString(16)}-${(++uniqueCounter).toString(16)}`);
row(sys, 'server_id', (ctx) => String(ctx.core.globals.get('server_id') ?? 0));
const now = row(sys, 'now', () => String(Math.floor(Date.now() / 1000)));
row(now, 'local', (_c, _in, a) => formatTime(new Date(), strArg(a, 1), false), CONSUME_NEXT_STR | OPTIONAL);
named(now, ['gmt', 'utc'], (_c, _in, a) => formatTime(new Date(), strArg(a, 1), true), CONSUME_NEXT_STR | OPTIONAL);

for (const p of uriProducers) rows.push({ parent: p, type: 'str', name: null, fn: anyUri, flags: NESTED });

export const coreSelectRows: readonly SelectRow[] = rows;
