// One JSON-RPC subscription over a WebSocket that is opened again when its socket closes: the
// embedded miner's `pending` transactions and a node's batch watch's new heads.
//
// Two ways ethers' WebSocketProvider fails a long-running process, both handled here:
// - it listens for no 'error' on its socket, so a refused or broken connection was an uncaught
//   exception that ended the process ('close' follows the error; the reconnect hangs off that);
// - `destroy()` rejects the requests still pending, among them an `eth_subscribe` whose answer has
//   not come, which ethers awaits nowhere: an unhandled rejection in a process stopped or cut off
//   right after subscribing. The socket is closed instead and the provider dropped with it.
// The subscription is asked for once the socket is open, never before (a request on a socket that
// never opens is one more left pending).
import { WebSocketProvider } from 'ethers';

export interface Subscription {
  /** Whether the subscription stands now (the node has answered `eth_subscribe`, the socket is open). */
  readonly live: boolean;
  /** Closes the socket and opens none again. */
  stop(): void;
}

export interface SubscriptionOptions {
  /** ethers' event name: 'block' (new heads) or 'pending' (pending transaction hashes). */
  event: 'block' | 'pending';
  /** Called with each event's payload (a block number for 'block', a hash for 'pending'). */
  onEvent: (payload: unknown) => void;
  /** Called when the subscription stands, again after each reconnect. */
  onLive?: () => void;
  /** Called with a socket error (a refused connection, a broken one); the socket's close follows. */
  onError?: (message: string) => void;
  /** Wait before opening a closed socket again. */
  reconnectMs?: number;
}

const RECONNECT_MS = 1_000;

/** Closes a provider's socket without `destroy()` (see the header); an already closed one is fine. */
export function closeSocket(p: WebSocketProvider): void {
  try {
    (p.websocket as unknown as { close(): void }).close();
  } catch {
    /* closed already */
  }
}

export function keepSubscribed(url: string, o: SubscriptionOptions): Subscription {
  let stopped = false;
  let live = false;
  let socket: WebSocketProvider | undefined;
  let reconnect: NodeJS.Timeout | undefined;

  function open(): void {
    const s = new WebSocketProvider(url);
    socket = s;
    const raw = s.websocket as unknown as { on?: (ev: string, f: (e?: Error) => void) => void };
    raw.on?.('error', (e) => {
      if (!stopped) o.onError?.(e?.message ?? 'socket error');
    });
    raw.on?.('open', () => {
      if (stopped || socket !== s) return;
      s.on(o.event, (payload: unknown) => o.onEvent(payload)).then(
        () => {
          if (stopped || socket !== s) return;
          live = true;
          o.onLive?.();
        },
        () => {},
      );
    });
    raw.on?.('close', () => {
      if (socket !== s) return;
      live = false;
      socket = undefined;
      closeSocket(s);
      if (!stopped) reconnect = setTimeout(open, o.reconnectMs ?? RECONNECT_MS);
    });
  }
  open();

  return {
    get live() {
      return live;
    },
    stop() {
      stopped = true;
      live = false;
      clearTimeout(reconnect);
      const s = socket;
      socket = undefined;
      if (s) closeSocket(s);
    },
  };
}
