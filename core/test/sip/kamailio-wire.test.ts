/**
 * Same bytes as Kamailio: the installed kamailio answers and forwards test requests, and the
 * builders must produce exactly what it sent (its To-tag and branch are taken over, as those
 * are its own choices). Skipped when kamailio is not installed. Ports 21020-21022.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMessage, buildReply, buildForward, buildCancel, buildAckForNon2xx, type SipMsg } from '../../src/sip';
import { rcvFrom } from './helpers';

const KAMAILIO = spawnSync('sh', ['-c', 'command -v kamailio'], { encoding: 'utf8' }).stdout.trim();
const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';
const KPORT = 21020;
const NEXT_HOP = 21021;
const CLIENT = 21022;

const cfg = `#!KAMAILIO
debug=1
log_stderror=yes
children=1
listen=udp:127.0.0.1:${KPORT}
server_signature=no
mpath="${MODULES}"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
request_route {
  if (is_method("CANCEL|ACK")) { if (t_check_trans()) t_relay(); exit; }
  if ($rU == "tmc") { $du = "sip:127.0.0.1:${NEXT_HOP}"; t_relay(); exit; }
  if ($rU == "frp" || $rU == "frpr") force_rport();
  if ($rU == "bdy") { set_body("a new body", "text/plain"); }
  if ($rU == "lmp") { append_hf("X-A: 1\r\n"); remove_hf("Contact"); insert_hf("X-First: 1\r\n"); }
  if ($rU == "fwd" || $rU == "frp" || $rU == "lmp" || $rU == "bdy") { $du = "sip:127.0.0.1:${NEXT_HOP}"; forward(); exit; }
  if ($rU == "ring") { sl_send_reply("180", "Ringing"); exit; }
  if ($rU == "rb") { set_reply_body("hello body", "text/plain"); append_to_reply("X-After: 1\r\n"); sl_send_reply("200", "OK"); exit; }
  append_to_reply("X-Reply: 1\\r\\n");
  sl_send_reply("404", "Not Here");
}
`;

const invite = (user: string, via: string): Buffer =>
  Buffer.from(
    [
      `INVITE sip:${user}@127.0.0.1:${KPORT} SIP/2.0`,
      `Via: ${via}`,
      'v: SIP/2.0/TCP second.example.com;branch=z9hG4bK2',
      'Max-Forwards: 70',
      'Record-Route: <sip:rr.example.com;lr>',
      'From: "A" <sip:a@example.com>;tag=111',
      'To: <sip:b@example.com>',
      `Call-ID: ${user}-${Date.now()}@x`,
      'CSeq: 5 INVITE',
      'Contact: <sip:a@10.0.0.1>',
      'Content-Length: 4',
      '',
      'body',
    ].join('\r\n'),
    'latin1',
  );

const describeIfKamailio = KAMAILIO ? describe : describe.skip;

describeIfKamailio('wire bytes equal Kamailio 5.6', () => {
  let kam: ChildProcess;
  let dir: string;
  let client: Socket;
  let nextHop: Socket;
  const arrivals: Buffer[] = [];
  const downstream: Buffer[] = [];
  let downWaiter: (() => void) | null = null;
  let waiter: (() => void) | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sipr-kam-'));
    writeFileSync(join(dir, 'k.cfg'), cfg);
    // own process group, so its worker processes can be stopped with it
    kam = spawn(KAMAILIO, ['-f', join(dir, 'k.cfg'), '-DD', '-E', '-n', '1'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let log = '';
    kam.stderr!.on('data', (d) => (log += d));
    const onMessage = (b: Buffer): void => {
      arrivals.push(b);
      waiter?.();
    };
    client = createSocket('udp4').on('message', onMessage);
    nextHop = createSocket('udp4').on('message', (b: Buffer) => {
      downstream.push(b);
      downWaiter?.();
      onMessage(b);
    });
    await new Promise<void>((r) => client.bind(CLIENT, '127.0.0.1', r));
    await new Promise<void>((r) => nextHop.bind(NEXT_HOP, '127.0.0.1', r));
    // ready when it answers an OPTIONS-like probe
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline) {
      const got = await exchange(invite('probe', 'SIP/2.0/UDP 127.0.0.1:21022;branch=z9hG4bKp'), 300).catch(() => null);
      if (got) return;
    }
    throw new Error(`kamailio did not start:\n${log}`);
  }, 20000);

  afterAll(async () => {
    if (kam?.pid !== undefined && kam.exitCode === null) {
      const exited = new Promise<void>((r) => kam.once('exit', () => r()));
      process.kill(-kam.pid, 'SIGTERM');
      const timer = setTimeout(() => process.kill(-kam.pid!, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    client?.close();
    nextHop?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function exchange(req: Buffer, timeoutMs = 3000): Promise<Buffer> {
    arrivals.length = 0;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiter = null;
        reject(new Error('no answer from kamailio'));
      }, timeoutMs);
      waiter = () => {
        clearTimeout(timer);
        waiter = null;
        resolve(arrivals[0]);
      };
      client.send(req, KPORT, '127.0.0.1');
    });
  }

  /** Next request arriving at the next hop (replies to the client are not waited for). */
  function fromProxy(timeoutMs = 3000): Promise<Buffer> {
    if (downstream.length > 0) return Promise.resolve(downstream.shift()!);
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        downWaiter = null;
        reject(new Error('nothing reached the next hop'));
      }, timeoutMs);
      downWaiter = () => {
        clearTimeout(timer);
        downWaiter = null;
        resolve(downstream.shift()!);
      };
    });
  }

  const received = (req: Buffer): SipMsg => parseMessage(req, rcvFrom('127.0.0.1', CLIENT));

  test.each([
    ['nf', 'SIP/2.0/UDP client.example.com:5099;branch=z9hG4bKabc;rport', 404, 'Not Here'],
    ['ring', 'SIP/2.0/UDP client.example.com:21022;branch=z9hG4bKabc', 180, 'Ringing'],
    ['nf', 'SIP/2.0/UDP 127.0.0.1:21022;branch=z9hG4bKabc', 404, 'Not Here'],
    ['frpr', 'SIP/2.0/UDP client.example.com:5099;received=10.1.1.1;branch=z9hG4bKabc', 404, 'Not Here'],
    ['nf', 'SIP/2.0/UDP 127.0.0.1:21022;branch=z9hG4bKabc;rport', 404, 'Not Here'],
    ['frpr', 'SIP/2.0/UDP 127.0.0.1:21022;branch=z9hG4bKabc', 404, 'Not Here'],
    ['rb', 'SIP/2.0/UDP 127.0.0.1:21022;branch=z9hG4bKabc', 200, 'OK'],
  ])('reply to %s via %s', async (user, via, code, reason) => {
    const req = invite(user, via);
    const theirs = await exchange(req);
    const tag = /\r\nTo: [^\r]*;tag=([^;\r]+)\r\n/.exec(theirs.toString('latin1'))![1];
    const msg = received(req);
    if (user === 'frpr') msg.forceRport = true;
    if (user === 'nf' || user === 'frpr') msg.addReplyHeader('X-Reply: 1\r\n');
    if (user === 'rb') {
      msg.setReplyBody('hello body', 'text/plain');
      msg.addReplyHeader('X-After: 1\r\n');
    }
    expect(buildReply(msg, code as number, reason as string, { toTag: tag }).toString('latin1')).toBe(theirs.toString('latin1'));
  });

  test.each([
    [['Via: SIP/2.0/UDP 127.0.0.1:21020;branch=z9hG4bKk1', 'Via: SIP/2.0/UDP 127.0.0.1:21022;branch=z9hG4bKc1']],
    [['Via: SIP/2.0/UDP 127.0.0.1:21020;branch=z9hG4bKk1 ,  SIP/2.0/UDP 127.0.0.1:21022;branch=z9hG4bKc1', 'v: SIP/2.0/TCP x.example.com']],
  ])('forwarded reply with %j', async (vias) => {
    const reply = Buffer.from(
      ['SIP/2.0 200 OK', ...vias, 'From: <sip:a@example.com>;tag=1', 'To: <sip:b@example.com>;tag=2', 'Call-ID: r@x', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''].join('\r\n'),
      'latin1',
    );
    const theirs = await exchange(reply);
    expect(buildForward(received(reply)).toString('latin1')).toBe(theirs.toString('latin1'));
  });

  test.each([
    ['fwd', 'SIP/2.0/UDP client.example.com:5099;branch=z9hG4bKabc;rport'],
    ['fwd', 'SIP/2.0/UDP 127.0.0.1:21022;branch=z9hG4bKabc'],
    ['frp', 'SIP/2.0/UDP client.example.com:5099;branch=z9hG4bKabc'],
    ['frp', 'SIP/2.0/UDP client.example.com;rport=1;received=10.1.1.1;branch=z9hG4bKabc'],
    ['lmp', 'SIP/2.0/UDP client.example.com;branch=z9hG4bKabc'],
    ['bdy', 'SIP/2.0/UDP client.example.com;branch=z9hG4bKabc'],
    ['fwd', 'SIP/2.0/UDP 127.0.0.1:21022;branch=z9hG4bKabc;rport'],
    ['frp', 'SIP/2.0/UDP 127.0.0.1:21022;branch=z9hG4bKabc'],
  ])('forward of %s via %s', async (user, via) => {
    const req = invite(user, via);
    const theirs = await exchange(req);
    const branch = /\r\nVia: SIP\/2\.0\/UDP 127\.0\.0\.1:21020;branch=([^;\r]+)\r\n/.exec(theirs.toString('latin1'))![1];
    const msg = received(req);
    msg.forceRport = user === 'frp';
    if (user === 'bdy') msg.setBody('a new body', 'text/plain');
    if (user === 'lmp') {
      msg.appendHeader('X-A: 1\r\n');
      msg.removeHeaders('contact');
      msg.prependHeader('X-First: 1\r\n');
    }
    const ours = buildForward(msg, { via: { transport: 'UDP', host: '127.0.0.1', port: KPORT, branch } });
    expect(ours.toString('latin1')).toBe(theirs.toString('latin1'));
  });

  test('tm: CANCEL and ACK for a 487 sent downstream', async () => {
    const call = (method: string, extra: string[]): Buffer =>
      Buffer.from(
        [
          `${method} sip:tmc@127.0.0.1:${KPORT} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${CLIENT};branch=z9hG4bKtm1;rport`,
          'Max-Forwards: 70',
          'From: "A" <sip:a@example.com>;tag=111',
          'To: <sip:b@example.com>',
          'Call-ID: tm-cancel@x',
          `CSeq: 7 ${method}`,
          ...extra,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
        'latin1',
      );
    downstream.length = 0;
    client.send(call('INVITE', ['Contact: <sip:a@127.0.0.1:21022>', 'Supported: timer']), KPORT, '127.0.0.1');
    const inviteBytes = await fromProxy();
    const invite = parseMessage(inviteBytes, rcvFrom('127.0.0.1', KPORT));
    const answer = (status: string, cseqMethod: string, vias: string): Buffer =>
      Buffer.from(
        [`SIP/2.0 ${status}`, vias, 'From: "A" <sip:a@example.com>;tag=111', 'To: <sip:b@example.com>;tag=dn1', 'Call-ID: tm-cancel@x', `CSeq: 7 ${cseqMethod}`, 'Content-Length: 0', '', ''].join('\r\n'),
        'latin1',
      );
    const inviteVias = invite.headerAll('via').map((h) => inviteBytes.toString('latin1', h.start, h.end).trimEnd()).join('\r\n');
    nextHop.send(answer('180 Ringing', 'INVITE', inviteVias), KPORT, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 100));
    client.send(call('CANCEL', []), KPORT, '127.0.0.1');
    const cancel = await fromProxy();
    expect(buildCancel(invite).toString('latin1')).toBe(cancel.toString('latin1'));
    const cancelVia = parseMessage(cancel, rcvFrom('127.0.0.1', KPORT)).find('via')!;
    nextHop.send(answer('200 OK', 'CANCEL', cancel.toString('latin1', cancelVia.start, cancelVia.end).trimEnd()), KPORT, '127.0.0.1');
    const final = answer('487 Request Terminated', 'INVITE', inviteVias);
    nextHop.send(final, KPORT, '127.0.0.1');
    const ack = await fromProxy();
    expect(buildAckForNon2xx(invite, parseMessage(final, rcvFrom('127.0.0.1', NEXT_HOP))).toString('latin1')).toBe(ack.toString('latin1'));
  });
});
