import { StreamFramer, SipParseError, parseMessage } from '../../src/sip';
import { rcvFrom } from './helpers';

const msg = (body: string, extra = ''): string =>
  `MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`;

describe('StreamFramer', () => {
  test('splits messages at any chunk boundary and skips CRLF keep-alives', () => {
    const stream = Buffer.from(`\r\n\r\n${msg('hello')}\r\n\r\n${msg('', 'X-A: 1\r\n')}\r\n${msg('world!')}`, 'latin1');
    for (let size = 1; size <= stream.length; size += 7) {
      const f = new StreamFramer();
      const out: string[] = [];
      for (let i = 0; i < stream.length; i += size) for (const m of f.push(stream.subarray(i, i + size))) out.push(m.toString('latin1'));
      expect(out).toEqual([msg('hello'), msg('', 'X-A: 1\r\n'), msg('world!')]);
      expect(f.buffered).toBe(0);
    }
  });

  test('a large message arriving one byte at a time is framed in linear time', () => {
    const text = msg('x'.repeat(64 * 1024), `X-Long: ${'y'.repeat(8 * 1024)}\r\n`);
    const bytes = Buffer.from(text, 'latin1');
    const f = new StreamFramer();
    const started = Date.now();
    const out: Buffer[] = [];
    for (let i = 0; i < bytes.length; i++) for (const m of f.push(bytes.subarray(i, i + 1))) out.push(m);
    expect(out.map((b) => b.equals(bytes))).toEqual([true]);
    expect(Date.now() - started).toBeLessThan(10000);
  });

  test('keep-alive only yields nothing', () => {
    const f = new StreamFramer();
    expect(f.push(Buffer.from('\r\n\r\n'))).toEqual([]);
    expect(f.push(Buffer.from('\r\n'))).toEqual([]);
    expect(f.buffered).toBe(0);
  });

  test('waits for the body, framed messages parse', () => {
    const f = new StreamFramer();
    const text = msg('0123456789');
    expect(f.push(Buffer.from(text.slice(0, -3)))).toEqual([]);
    const [m] = f.push(Buffer.from(text.slice(-3)));
    expect(parseMessage(m, rcvFrom('10.0.0.1', 21003, 'tcp', 1)).body.toString()).toBe('0123456789');
  });

  test('a folded line that looks like Content-Length is not one', () => {
    const f = new StreamFramer();
    const text = 'MESSAGE sip:a@b SIP/2.0\r\nX-Note: a\r\n Content-Length: 99\r\nl: 2\r\n\r\nhi';
    expect(f.push(Buffer.from(text)).map((b) => b.toString())).toEqual([text]);
  });

  test.each([
    ['missing Content-Length', 'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\n'],
    ['negative Content-Length', 'OPTIONS sip:a@b SIP/2.0\r\nl: -1\r\n\r\n'],
    ['conflicting Content-Length', 'OPTIONS sip:a@b SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\nab'],
  ])('framing error: %s', (_why, text) => {
    const f = new StreamFramer();
    expect(() => f.push(Buffer.from(text))).toThrow(SipParseError);
    expect(f.broken).toBe(true);
    expect(() => f.push(Buffer.from('x'))).toThrow(SipParseError);
  });

  test('oversized header section and message are rejected', () => {
    const f = new StreamFramer({ maxMessage: 100 });
    expect(() => f.push(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nX: ${'a'.repeat(200)}`))).toThrow(/too large/);
    const g = new StreamFramer({ maxMessage: 100 });
    expect(() => g.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nl: 500\r\n\r\n'))).toThrow(/too large/);
  });
});
