import { parseMessage, buildReply, buildForward, replyDestination, buildCancel, buildAckForNon2xx } from '../../src/sip';
import { crlf, rcvFrom } from './helpers';

const invite = crlf([
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport',
  'v: SIP/2.0/TCP b.example.com, SIP/2.0/UDP c.example.com',
  'Max-Forwards: 70',
  'Record-Route: <sip:p1.example.com;lr>',
  'From: "Alice" <sip:alice@a.com>;tag=1',
  'To: <sip:bob@example.com>',
  'Call-ID: abc@x',
  'CSeq: 1 INVITE',
  'Contact: <sip:alice@10.0.0.1>',
  'Content-Length: 4',
  '',
  'body',
]);

describe('buildReply', () => {
  test('copies Via/From/To/Call-ID/CSeq, adds received/rport and To-tag', () => {
    const m = parseMessage(invite, rcvFrom());
    expect(buildReply(m, 404, 'Not Here', { toTag: 'xyz' }).toString('latin1')).toBe(
      [
        'SIP/2.0 404 Not Here',
        'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport=5070;received=10.0.0.9',
        'v: SIP/2.0/TCP b.example.com, SIP/2.0/UDP c.example.com',
        'From: "Alice" <sip:alice@a.com>;tag=1',
        'To: <sip:bob@example.com>;tag=xyz',
        'Call-ID: abc@x',
        'CSeq: 1 INVITE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });

  test('100 gets no To-tag; 180 keeps Record-Route; reply headers, body and Content-Type', () => {
    const m = parseMessage(invite, rcvFrom('10.0.0.1', 5060));
    const r100 = buildReply(m, 100, 'Trying').toString('latin1');
    expect(r100).toContain('\r\nTo: <sip:bob@example.com>\r\n');
    expect(r100).not.toContain('Record-Route');
    // RFC 3581: rport asked for, so received is written even though the sent-by matches
    expect(r100).toContain('Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport=5060;received=10.0.0.1\r\n');
    m.addReplyHeader('X-A: 1\r\n');
    const r180 = buildReply(m, 180, 'Ringing', { toTag: 't', headers: 'X-B: 2\r\n', body: 'hi', contentType: 'text/plain' });
    expect(r180.toString('latin1')).toBe(
      [
        'SIP/2.0 180 Ringing',
        'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport=5060;received=10.0.0.1',
        'v: SIP/2.0/TCP b.example.com, SIP/2.0/UDP c.example.com',
        'Record-Route: <sip:p1.example.com;lr>',
        'From: "Alice" <sip:alice@a.com>;tag=1',
        'To: <sip:bob@example.com>;tag=t',
        'Call-ID: abc@x',
        'CSeq: 1 INVITE',
        'X-A: 1',
        'X-B: 2',
        'Content-Type: text/plain',
        'Content-Length: 2',
        '',
        'hi',
      ].join('\r\n'),
    );
  });

  test('toTag null: no tag added (as Kamailio below 180)', () => {
    const r = buildReply(parseMessage(invite, rcvFrom()), 150, 'Hmm', { toTag: null }).toString('latin1');
    expect(r).toContain('\r\nTo: <sip:bob@example.com>\r\n');
  });

  test('generated To-tag is stable for retransmissions of one request', () => {
    const a = buildReply(parseMessage(invite, rcvFrom()), 486, 'Busy Here').toString('latin1');
    const b = buildReply(parseMessage(invite, rcvFrom()), 486, 'Busy Here').toString('latin1');
    expect(a).toMatch(/\r\nTo: <sip:bob@example.com>;tag=[0-9a-f]{8}-[0-9a-f]{8}\r\n/);
    expect(a).toBe(b);
  });
});

describe('buildForward', () => {
  test('request: new Via on top, new R-URI, Max-Forwards decremented, received marked', () => {
    const m = parseMessage(invite, rcvFrom());
    m.newUri = 'sip:bob@10.1.1.1:5080';
    const out = buildForward(m, {
      via: { transport: 'udp', host: '127.0.0.1', port: 5060, branch: 'z9hG4bKnew', rport: true },
      decrementMaxForwards: true,
    });
    expect(out.toString('latin1')).toBe(
      [
        'INVITE sip:bob@10.1.1.1:5080 SIP/2.0',
        'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKnew;rport',
        'Via: SIP/2.0/UDP 10.0.0.1:5060;received=10.0.0.9;branch=z9hG4bK1;rport=5070',
        'v: SIP/2.0/TCP b.example.com, SIP/2.0/UDP c.example.com',
        'Max-Forwards: 69',
        'Record-Route: <sip:p1.example.com;lr>',
        'From: "Alice" <sip:alice@a.com>;tag=1',
        'To: <sip:bob@example.com>',
        'Call-ID: abc@x',
        'CSeq: 1 INVITE',
        'Contact: <sip:alice@10.0.0.1>',
        'Content-Length: 4',
        '',
        'body',
      ].join('\r\n'),
    );
  });

  test('request: lumps applied and Content-Length fixed for a new body', () => {
    const m = parseMessage(invite, rcvFrom('10.0.0.1', 5060));
    m.appendHeader('X-Added: yes\r\n');
    m.removeHeader(m.header('contact')!);
    m.prependHeader('X-First: 1\r\n');
    m.setBody('longer body');
    const out = buildForward(m, { via: { transport: 'TCP', host: 'proxy.example.com', branch: 'z9hG4bK2' } }).toString('latin1');
    expect(out).toBe(
      [
        'INVITE sip:bob@example.com SIP/2.0',
        'X-First: 1',
        'Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bK2',
        'Via: SIP/2.0/UDP 10.0.0.1:5060;received=10.0.0.1;branch=z9hG4bK1;rport=5060',
        'v: SIP/2.0/TCP b.example.com, SIP/2.0/UDP c.example.com',
        'Max-Forwards: 70',
        'Record-Route: <sip:p1.example.com;lr>',
        'From: "Alice" <sip:alice@a.com>;tag=1',
        'To: <sip:bob@example.com>',
        'Call-ID: abc@x',
        'CSeq: 1 INVITE',
        'Content-Length: 11',
        'X-Added: yes',
        '',
        'longer body',
      ].join('\r\n'),
    );
    // the received bytes stay as they were
    expect(m.buf.equals(invite)).toBe(true);
  });

  test('reply: top Via removed (whole field, or first value of a multi-value field)', () => {
    const r1 = parseMessage(
      crlf(['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP p.example.com;branch=z9hG4bKp', 'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bKa', 'CSeq: 1 INVITE', 'Content-Length: 0', '', '']),
      rcvFrom(),
    );
    expect(buildForward(r1).toString('latin1')).toBe(
      ['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bKa', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''].join('\r\n'),
    );
    const r2 = parseMessage(
      crlf(['SIP/2.0 180 Ringing', 'v: SIP/2.0/UDP p.example.com;branch=z9hG4bKp , SIP/2.0/UDP a.example.com', 'CSeq: 1 INVITE', '', '']),
      rcvFrom(),
    );
    expect(r2.method).toBe('INVITE');
    expect(buildForward(r2).toString('latin1')).toBe(
      ['SIP/2.0 180 Ringing', 'v: SIP/2.0/UDP a.example.com', 'CSeq: 1 INVITE', '', ''].join('\r\n'),
    );
  });

  test('stream target gets a Content-Length when missing; dblreq trailing octets dropped', () => {
    const m = parseMessage(crlf(['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK3', '', '']), rcvFrom());
    expect(buildForward(m, { stream: true }).toString('latin1')).toBe(
      ['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK3', 'Content-Length: 0', '', ''].join('\r\n'),
    );
    const two = parseMessage(crlf(['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK3', 'l: 0', '', 'INVITE sip:x SIP/2.0']), rcvFrom());
    expect(buildForward(two).toString('latin1')).toBe(
      ['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK3', 'l: 0', '', ''].join('\r\n'),
    );
  });
});

describe('received / rport on the top Via', () => {
  const req = (via: string): Buffer =>
    crlf(['OPTIONS sip:a@b SIP/2.0', `Via: ${via}`, 'From: <sip:x@y>;tag=1', 'To: <sip:a@b>', 'Call-ID: c', 'CSeq: 1 OPTIONS', '', '']);
  const topVia = (out: Buffer): string => out.toString('latin1').split('\r\n').find((l) => l.startsWith('Via: SIP/2.0/UDP h') || l.startsWith('Via: SIP/2.0/UDP 10.'))!;

  test('old rport values are replaced; an old received is replaced when forwarding, kept in a local reply', () => {
    const m = parseMessage(req('SIP/2.0/UDP h.example.com;received=1.1.1.1;rport=9;branch=z9hG4bK1'), rcvFrom('10.0.0.9', 5070));
    expect(topVia(buildReply(m, 200, 'OK', { toTag: 't' }))).toBe(
      'Via: SIP/2.0/UDP h.example.com;received=1.1.1.1;rport=5070;branch=z9hG4bK1;received=10.0.0.9',
    );
    expect(topVia(buildForward(m, { via: { transport: 'UDP', host: '127.0.0.1', branch: 'z9hG4bK2' } }))).toBe(
      'Via: SIP/2.0/UDP h.example.com;received=10.0.0.9;rport=5070;branch=z9hG4bK1',
    );
  });

  test('force_rport: rport then received, after the sent-by in requests and at the end in replies', () => {
    const m = parseMessage(req('SIP/2.0/UDP h.example.com;branch=z9hG4bK1'), rcvFrom('10.0.0.9', 5070));
    m.forceRport = true;
    expect(topVia(buildReply(m, 200, 'OK', { toTag: 't' }))).toBe('Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1;rport=5070;received=10.0.0.9');
    expect(topVia(buildForward(m, { via: { transport: 'UDP', host: '127.0.0.1', branch: 'z9hG4bK2' } }))).toBe(
      'Via: SIP/2.0/UDP h.example.com;rport=5070;received=10.0.0.9;branch=z9hG4bK1',
    );
    expect(replyDestination(m)).toMatchObject({ address: '10.0.0.9', port: 5070 });
  });

  test('nothing added when the sent-by is the source address and there is no rport', () => {
    const m = parseMessage(req('SIP/2.0/UDP 10.0.0.9:5090;branch=z9hG4bK1'), rcvFrom('10.0.0.9', 5070));
    expect(topVia(buildReply(m, 200, 'OK', { toTag: 't' }))).toBe('Via: SIP/2.0/UDP 10.0.0.9:5090;branch=z9hG4bK1');
    expect(replyDestination(m)).toMatchObject({ address: '10.0.0.9', port: 5090 });
  });
});

describe('replyDestination', () => {
  test('rport -> source address and port; no rport -> source address, Via port', () => {
    const m = parseMessage(invite, rcvFrom());
    expect(replyDestination(m)).toMatchObject({ proto: 'udp', address: '10.0.0.9', port: 5070 });
    const n = parseMessage(crlf(['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/UDP h.example.com:5099;branch=z9hG4bK3', '', '']), rcvFrom());
    expect(replyDestination(n)).toMatchObject({ address: '10.0.0.9', port: 5099 });
    const d = parseMessage(crlf(['OPTIONS sip:a@b SIP/2.0', 'Via: SIP/2.0/TLS h.example.com;branch=z9hG4bK3;maddr=239.1.1.1', '', '']), rcvFrom());
    expect(replyDestination(d)).toMatchObject({ address: '239.1.1.1', port: 5061 });
  });

  test('stream: back on the connection', () => {
    const m = parseMessage(invite, rcvFrom('10.0.0.9', 40000, 'tcp', 7));
    expect(replyDestination(m)).toMatchObject({ proto: 'tcp', address: '10.0.0.9', port: 40000, connId: 7 });
  });
});

describe('local requests', () => {
  test('CANCEL and ACK for a non-2xx reply', () => {
    const sent = parseMessage(
      crlf([
        'INVITE sip:bob@10.1.1.1 SIP/2.0',
        'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1',
        'Max-Forwards: 69',
        'Route: <sip:r1.example.com;lr>',
        'Contact: <sip:alice@10.0.0.1>',
        'From: <sip:alice@a.com>;tag=1',
        'To: <sip:bob@example.com>',
        'Call-ID: abc@x',
        'CSeq: 7 INVITE',
        'Content-Length: 0',
        '',
        '',
      ]),
      rcvFrom(),
    );
    // the INVITE's order; only the top via value; Contact and the body are not copied
    const common = ['Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx', 'Max-Forwards: 69', 'Route: <sip:r1.example.com;lr>', 'From: <sip:alice@a.com>;tag=1'];
    expect(buildCancel(sent, { headers: 'Reason: SIP;cause=200\r\n' }).toString('latin1')).toBe(
      ['CANCEL sip:bob@10.1.1.1 SIP/2.0', ...common, 'To: <sip:bob@example.com>', 'Call-ID: abc@x', 'CSeq: 7 CANCEL', 'Reason: SIP;cause=200', 'Content-Length: 0', '', ''].join('\r\n'),
    );
    const reply = parseMessage(crlf(['SIP/2.0 486 Busy Here', 'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx', 'To: <sip:bob@example.com>;tag=b', 'CSeq: 7 INVITE', '', '']), rcvFrom());
    expect(buildAckForNon2xx(sent, reply).toString('latin1')).toBe(
      ['ACK sip:bob@10.1.1.1 SIP/2.0', ...common, 'To: <sip:bob@example.com>;tag=b', 'Call-ID: abc@x', 'CSeq: 7 ACK', 'Content-Length: 0', '', ''].join('\r\n'),
    );
  });
});
