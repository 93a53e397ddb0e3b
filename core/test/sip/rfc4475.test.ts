/** RFC 4475 torture messages: values the parser must produce, and how invalid ones are caught. */
import { parseMessage, checkMessage, buildBadRequestReply, buildForward, buildReply, uriEquals, SipParseError, type SipMsg } from '../../src/sip';
import { corpusFile, rcvFrom, touchAll } from './helpers';

const rcv = rcvFrom('192.0.2.99', 5060);
const load = (name: string): SipMsg => parseMessage(corpusFile(`rfc4475/${name}.dat`), rcv);

describe('RFC 4475 valid messages', () => {
  test('every valid message parses, passes checks, and every accessor works', () => {
    for (const name of [
      'badbranch', 'bcast', 'bext01', 'cparam01', 'cparam02', 'dblreq', 'esc01', 'esc02', 'escnull', 'intmeth', 'inv2543',
      'invut', 'longreq', 'lwsdisp', 'mpart01', 'noreason', 'novelsc', 'regaut01', 'regescrt', 'sdp01', 'semiuri',
      'transports', 'unkscm', 'unksm2', 'unreason', 'wsinv', 'zeromf',
    ]) {
      const m = load(`valid/${name}`);
      expect([name, checkMessage(m)]).toEqual([name, null]);
      expect([name, touchAll(m)]).toEqual([name, 0]);
    }
  });

  test('wsinv: folding and LWS everywhere', () => {
    const m = load('valid/wsinv');
    expect(m.method).toBe('INVITE');
    expect(m.uri().param('unknownparam')).toBeNull();
    expect(m.to().uri).toBe('sip:vivekg@chair-dnrc.example.com');
    expect(m.to().tag).toBe('1918181833n');
    expect(m.from().display).toBe('J Rosenberg \\"');
    expect(m.from().tag).toBe('98asjd8');
    expect(m.maxForwards()).toBe(68);
    expect(m.cseq()).toEqual({ num: 9, numText: '0009', method: 'INVITE' });
    expect(m.callId()).toBe('wsinv.ndaksdj@192.0.2.1');
    expect(m.vias().map((v) => [v.protocol, v.transport, v.host, v.branch])).toEqual([
      ['SIP/2.0', 'UDP', '192.0.2.2', '390skdjuw'],
      ['SIP/2.0', 'TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['SIP/2.0', 'UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(m.header('s')!.value).toBe('');
    expect(m.header('subject')!.name).toBe('s');
    expect(m.header('NewFangledHeader')!.value).toBe('newfangled value continued newfangled value');
    expect(m.header('UnknownHeaderWithUnusualValue')!.value).toBe(';;,,;;,;');
    expect(m.routes().map((r) => r.parsedUri.param('unknownwith'))).toEqual(['value']);
    const c = m.contacts();
    expect(c).not.toBe('*');
    const [contact] = c as Exclude<typeof c, '*'>;
    expect(contact.display).toBe('Quoted string ""');
    expect(contact.param('newparam')).toBe('newvalue');
    expect(contact.param('secondparam')).toBeNull();
    expect(contact.q).toBe(0.33);
    expect(m.contentType()!.mediaType).toBe('application/sdp');
    expect(m.body.length).toBe(150);
    expect(m.body.toString('latin1').startsWith('v=0\r\n')).toBe(true);
  });

  test('intmeth: extension method, odd user and password, quoted-pairs, UTF-8 param', () => {
    const m = load('valid/intmeth');
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    expect(m.cseq().method).toBe(m.method);
    const u = m.uri();
    expect(u.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(u.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(u.host).toBe('example.com');
    expect(m.to().display).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    expect(m.from().display).toBe("token1~` token2'+_ token3*%!.-");
    expect(m.from().tag).toBe("_token~1'+`*%!-.");
    const fromParam = m.from().param("fromParam''~+*_!.-%") as string;
    expect(Buffer.from(fromParam, 'latin1').toString('utf8')).toBe('"работающий"');
    expect(m.callId()).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(m.maxForwards()).toBe(255);
    expect(m.via().branch).toBe("z9hG4bK-.!%66*_+`'~");
  });

  test('esc01 / escnull / esc02: escapes are kept as written and matter in comparisons', () => {
    const m = load('valid/esc01');
    expect(m.uri().user).toBe('sips%3Auser%40example.com');
    expect(m.uri().host).toBe('example.net');
    expect(uriEquals(m.to().parsedUri, 'sip:user@example.com')).toBe(true);
    expect(m.from().parsedUri.user).toBe('I%20have%20spaces');
    const c = m.contacts() as Exclude<ReturnType<SipMsg['contacts']>, '*'>;
    expect(c[0].parsedUri.params).toEqual([
      { name: '%6C%72', value: null },
      { name: 'n%61me', value: 'v%61lue%25%34%31' },
    ]);
    expect(uriEquals(c[0].parsedUri, 'sip:caller@host5.example.net;lr;name=value%2541')).toBe(true);
    expect(m.callId()).toBe('esc01.239409asdfakjkn23onasd0-3234');
    expect(m.contentType()!.mediaType).toBe('application/sdp');

    const n = load('valid/escnull');
    const contacts = n.contacts() as Exclude<ReturnType<SipMsg['contacts']>, '*'>;
    expect(contacts.map((x) => x.parsedUri.user)).toEqual(['%00', '%00%00']);
    expect(uriEquals(contacts[0].parsedUri, contacts[1].parsedUri)).toBe(false);
    expect(n.to().parsedUri.user).toBe('null-%00-null');
    expect(n.contentLength()).toBe(0);

    const e = load('valid/esc02');
    expect(e.method).toBe('RE%47IST%45R');
    expect(e.method).not.toBe('REGISTER');
    expect(e.to().display).toBe('%Z%45');
    expect(e.headerAll('contact').length).toBe(2);
    expect(e.header('C%6Fntact')!.key).toBe('c%6fntact');
    expect((e.contacts() as unknown[]).length).toBe(2);
  });

  test('lwsdisp, semiuri, transports, longreq', () => {
    expect(load('valid/lwsdisp').from().display).toBe('caller');
    const s = load('valid/semiuri');
    expect(s.uri().user).toBe('user;par=u%40example.net');
    expect(s.uri().host).toBe('example.com');
    expect(s.uri().params).toEqual([]);
    expect(s.header('accept')!.value).toBe('application/sdp, application/pkcs7-mime, multipart/mixed, multipart/signed, message/sip, message/sipfrag');
    expect(load('valid/transports').vias().map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
    const l = load('valid/longreq');
    expect(l.vias().length).toBe(34);
    expect(l.headerAll('v').length).toBe(34);
    expect(new Set(l.headerAll('VIA').map((h) => h.name))).toEqual(new Set(['v', 'V', 'Via', 'VIA', 'VIa', 'vIa', 'viA', 'ViA', 'vIA', 'via']));
    expect(l.to().parsedUri.port).toBe(6000);
    expect(l.to().parsedUri.param('longparamnamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamename')).toBe('shortvalue');
    expect(l.from().tag).toBe('12982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982424');
    expect(l.callId().length).toBeGreaterThan(100);
  });

  test('dblreq: only the first message of the datagram, forwarded without the trailing octets', () => {
    const m = load('valid/dblreq');
    expect(m.method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
    expect(m.callId()).toBe('dblreq.0ha0isndaksdj99sdfafnl3lk233412');
    const out = buildForward(m, { via: { transport: 'UDP', host: '192.0.2.99', branch: 'z9hG4bKx' } }).toString('latin1');
    expect(out.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
    expect(out).not.toContain('INVITE');
  });

  test('mpart01: binary body framed by Content-Length and forwarded byte for byte', () => {
    const raw = corpusFile('rfc4475/valid/mpart01.dat');
    const m = parseMessage(raw, rcv);
    expect(m.contentType()!.mediaType).toBe('multipart/mixed');
    expect(m.contentType()!.params).toEqual([{ name: 'boundary', value: '7a9cbec02ceef655' }]);
    expect(m.body.length).toBe(553);
    expect(m.body.includes(0)).toBe(true);
    const out = buildForward(m, { via: { transport: 'UDP', host: '192.0.2.99', branch: 'z9hG4bKx' } });
    expect(out.subarray(out.length - 553).equals(m.body)).toBe(true);
  });

  test('replies: unreason, noreason, bcast', () => {
    const u = load('valid/unreason');
    expect(u.isRequest).toBe(false);
    expect(u.status).toBe(200);
    expect(Buffer.from(u.reason, 'latin1').toString('utf8')).toContain('= 2**3 * 5**2 но');
    expect(u.method).toBe('INVITE');
    const n = load('valid/noreason');
    expect([n.status, n.reason]).toEqual([100, '']);
    expect(load('valid/bcast').vias()[1].host).toBe('255.255.255.255');
  });

  test('contact params vs URI params (cparam01/02), escaped URI headers (regescrt)', () => {
    const c1 = (load('valid/cparam01').contacts() as Exclude<ReturnType<SipMsg['contacts']>, '*'>)[0];
    expect(c1.uri).toBe('sip:+19725552222@gw1.example.net');
    expect(c1.param('unknownparam')).toBeNull();
    expect(c1.parsedUri.params).toEqual([]);
    const c2 = (load('valid/cparam02').contacts() as Exclude<ReturnType<SipMsg['contacts']>, '*'>)[0];
    expect(c2.uri).toBe('sip:+19725552222@gw1.example.net;unknownparam');
    expect(c2.parsedUri.param('unknownparam')).toBeNull();
    expect(c2.params).toEqual([]);
    const r = (load('valid/regescrt').contacts() as Exclude<ReturnType<SipMsg['contacts']>, '*'>)[0];
    expect(r.parsedUri.headers).toBe('Route=%3Csip:sip.example.com%3E');
  });

  test('schemes, extensions, old-style requests', () => {
    const u = load('valid/unkscm').uri();
    expect([u.scheme, u.raw, u.host]).toEqual(['nobodyknowsthisscheme', 'nobodyKnowsThisScheme:totallyopaquecontent', '']);
    expect(load('valid/novelsc').uri().scheme).toBe('soap.beep');
    const k = load('valid/unksm2');
    expect([k.to().parsedUri.scheme, k.from().parsedUri.scheme]).toEqual(['isbn', 'http']);
    expect((k.contacts() as Exclude<ReturnType<SipMsg['contacts']>, '*'>)[0].parsedUri.scheme).toBe('name');
    const b = load('valid/bext01');
    expect(b.tokens('require')).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither']);
    expect(b.tokens('proxy-require')).toEqual(['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
    const a = load('valid/regaut01').credentials('authorization');
    expect(a.map((c) => [c.scheme, c.param('opaque-data')])).toEqual([['NoOneKnowsThisScheme', 'here']]);
    expect(load('valid/invut').contentType()!.mediaType).toBe('application/unknownformat');
    expect(load('valid/sdp01').header('accept')!.value).toBe('text/nobodyKnowsThis');
    expect(load('valid/zeromf').maxForwards()).toBe(0);
    expect(load('valid/badbranch').via().branch).toBe('z9hG4bK');
    const i = load('valid/inv2543');
    expect(i.via().branch).toBeUndefined();
    expect(i.from().tag).toBeUndefined();
    expect(i.maxForwards()).toBeUndefined();
    expect(i.contentLength()).toBeUndefined();
    expect(i.body.toString('latin1').startsWith('v=0')).toBe(true);
    expect(i.recordRoutes()[0].parsedUri.param('maddr')).toBe('ss1.example.com');
    // addr-spec form: `;user=phone` belongs to the header, not the URI
    expect(i.to().param('user')).toBe('phone');
    expect(i.to().parsedUri.params).toEqual([]);
  });
});

describe('RFC 4475 invalid messages', () => {
  // [file, how it is caught: 'parse' (where) or a checkMessage code, reason fragment]
  const cases: [string, 'parse' | number, string][] = [
    ['badinv01', 400, 'Via'],
    ['clerr', 'parse', 'content-length'],
    ['ncl', 'parse', 'content-length'],
    ['scalar02', 400, 'CSeq'],
    ['scalarlg', 400, 'CSeq'],
    ['quotbal', 400, 'To'],
    ['ltgtruri', 'parse', 'first-line'],
    ['lwsruri', 'parse', 'first-line'],
    ['lwsstart', 'parse', 'first-line'],
    ['trws', 'parse', 'first-line'],
    ['escruri', 400, 'Request-URI with headers'],
    ['regbadct', 400, 'Contact'],
    ['badaspec', 400, 'To'],
    ['baddn', 400, 'From'],
    ['badvers', 505, 'Version Not Supported'],
    ['mismatch01', 400, 'CSeq method'],
    ['mismatch02', 501, 'Not Implemented'],
    ['bigcode', 'parse', 'first-line'],
    ['insuf', 400, 'Missing'],
    ['multi01', 400, 'Duplicate'],
    ['mcl01', 'parse', 'content-length'],
  ];
  test.each(cases)('%s is caught (%s %s)', (name, how, what) => {
    const buf = corpusFile(`rfc4475/invalid/${name}.dat`);
    if (how === 'parse') {
      let err: unknown;
      try {
        parseMessage(buf, rcv);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SipParseError);
      expect((err as SipParseError).where).toBe(what);
      expect((err as SipParseError).offset).toBeGreaterThanOrEqual(0);
      // a request whose request line is readable gets a 400 naming the problem
      const reply = buildBadRequestReply(buf, rcv, (err as Error).message);
      if (name === 'bigcode') expect(reply).toBeNull();
      else {
        const text = reply!.toString('latin1');
        expect(text.startsWith(`SIP/2.0 400 ${(err as Error).message}\r\n`)).toBe(true);
        const r = parseMessage(reply!, rcv);
        expect(r.status).toBe(400);
        expect(r.callId()).toBe(text.match(/\r\nCall-ID: (\S+)\r\n/)![1]);
        expect(r.to().tag).toBeDefined();
      }
    } else {
      const m = parseMessage(buf, rcv);
      touchAll(m);
      const p = checkMessage(m);
      expect(p).not.toBeNull();
      expect(p!.code).toBe(how);
      expect(p!.reason).toContain(what);
      if (m.isRequest) {
        // the server answers with that code; the reply must parse with the request's identifiers
        const r = parseMessage(buildReply(m, p!.code, p!.reason), rcv);
        expect([r.status, r.reason]).toEqual([p!.code, p!.reason]);
        expect(r.headerAll('via').length).toBe(m.headerAll('via').length);
      }
    }
  });

  test('baddate parses; the Date value is left for whoever needs it', () => {
    const m = parseMessage(corpusFile('rfc4475/invalid/baddate.dat'), rcv);
    expect(checkMessage(m)).toBeNull();
    expect(m.header('date')!.value).toContain('EST');
  });

  test('unreferenced test.dat: no version, header without colon -> parse error, no reply without Via', () => {
    const buf = corpusFile('rfc4475/unreferenced/test.dat');
    expect(() => parseMessage(buf, rcv)).toThrow(SipParseError);
    expect(buildBadRequestReply(buf, rcv, 'bad')).toBeNull();
  });
});
