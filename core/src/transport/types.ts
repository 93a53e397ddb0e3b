/** Transport-level facts every layer shares. Owner: transport layer. */
export type Proto = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss' | 'sctp';

/** A local listening socket (`listen=udp:127.0.0.1:5060`). */
export interface SocketInfo {
  readonly proto: Proto;
  readonly address: string;
  readonly port: number;
  readonly af: 4 | 6;
  /** `proto:address:port`, as Kamailio prints sockets. */
  readonly name: string;
  /** advertised_address / advertised_port for this socket, when set. */
  readonly advertisedAddress?: string;
  readonly advertisedPort?: number;
}

/** Where a message came from and on which local socket it arrived. */
export interface ReceiveInfo {
  readonly srcIp: string;
  readonly srcPort: number;
  readonly dstIp: string;
  readonly dstPort: number;
  readonly proto: Proto;
  readonly af: 4 | 6;
  readonly socket: SocketInfo;
  /** Stream transports: id of the connection, so replies go back on it. */
  readonly connId?: number;
}

/** Where to send: a resolved next hop. */
export interface Destination {
  proto: Proto;
  address: string;
  port: number;
  /** Force this local socket (force_send_socket); else chosen by the transport. */
  socket?: SocketInfo;
  /** Reuse this stream connection when it is still open. */
  connId?: number;
  /** Stream: only use an open connection, never open one (set_forward_no_connect / set_reply_no_connect). */
  noConnect?: boolean;
  /** Stream: close the connection once this is written (set_forward_close / set_reply_close). */
  close?: boolean;
}

/** Told that the connection a send was queued on could not be established; `reason` is for logs. */
export type ConnectFailFn = (reason: string) => void;

/** The part of the transport layer other layers call. */
export interface Sender {
  /**
   * Send bytes; synchronous queueing, errors are reported through the returned boolean/log.
   * A stream send may open a connection: when that connect then fails (refused, timed out),
   * `onConnectFail` is called once with the reason, so a caller can fail what it sent at once.
   */
  send(dst: Destination, data: Buffer, onConnectFail?: ConnectFailFn): boolean;
  /** Pick the local socket used to reach dst (for Via/Record-Route building). */
  socketFor(dst: Destination): SocketInfo | undefined;
  /** The listening sockets of this process (for `myself`, force_send_socket, $Ri...). */
  readonly sockets?: readonly SocketInfo[];
  /** Let requests to the peer's address on `port` reuse stream connection connId (force_tcp_alias). */
  addAlias?(connId: number, port: number): boolean;
}
