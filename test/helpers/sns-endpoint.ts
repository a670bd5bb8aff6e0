/**
 * @module
 * A local HTTP endpoint for SNS subscriptions, as a real receiver would be written: it records
 * every POST, verifies each message's signature the way AWS's SNS message validators do (the
 * string to sign rebuilt from the documented field list, the certificate fetched from
 * SigningCertURL), and confirms subscriptions by fetching their SubscribeURL.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify, X509Certificate } from 'node:crypto';

/** One POST the endpoint received. */
export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The parsed JSON document, unless the delivery was raw. */
  readonly message?: Record<string, string> & { MessageAttributes?: Record<string, { Type: string; Value: string }> };
  /** Whether the signature verified against the certificate at SigningCertURL. */
  readonly signatureValid?: boolean;
  /** The status the endpoint answered with. */
  readonly status: number;
}

/** A running endpoint. */
export interface SnsEndpoint {
  readonly url: string;
  readonly received: Received[];
  /** Decides the status of each POST (default: 200); may return a promise that never settles, to hang. */
  answer: (received: Omit<Received, 'status'>, index: number) => number | Promise<number>;
  /** Whether SubscriptionConfirmations are confirmed by fetching their SubscribeURL (default: true). */
  autoConfirm: boolean;
  /** Waits until `condition` holds of what was received (polls; fails after 20 s). */
  waitFor(condition: (received: Received[]) => boolean, what: string): Promise<void>;
  close(): Promise<void>;
}

const SIGNED_FIELDS = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
} as const;

/** Verifies an SNS message's signature as AWS documents it. */
export async function verifySnsSignature(message: Record<string, string>): Promise<boolean> {
  const fields = SIGNED_FIELDS[message.Type as keyof typeof SIGNED_FIELDS];
  if (!fields || !message.SigningCertURL) return false;
  const text = fields.filter((f) => message[f] !== undefined).map((f) => `${f}\n${message[f]}\n`).join('');
  const certificate = new X509Certificate(await (await fetch(message.SigningCertURL)).text());
  const algorithm = message.SignatureVersion === '2' ? 'sha256' : 'sha1';
  return verify(algorithm, Buffer.from(text, 'utf8'), certificate.publicKey, Buffer.from(message.Signature ?? '', 'base64'));
}

/** Starts an endpoint on a free port. */
export async function startSnsEndpoint(): Promise<SnsEndpoint> {
  const received: Received[] = [];
  let server: Server;
  const endpoint: SnsEndpoint = {
    url: '',
    received,
    answer: () => 200,
    autoConfirm: true,
    async waitFor(condition, what) {
      const deadline = Date.now() + 20_000;
      while (!condition(received)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(received.map((r) => [r.headers['x-amz-sns-message-type'], r.status]))}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const raw = req.headers['x-amz-sns-rawdelivery'] === 'true';
        const message = raw ? undefined : JSON.parse(body) as Received['message'];
        const signatureValid = message ? await verifySnsSignature(message as Record<string, string>) : undefined;
        const entry = { headers: req.headers, body, message, signatureValid };
        const status = await endpoint.answer(entry, received.length);
        if (status >= 200 && status < 300 && endpoint.autoConfirm && message?.Type === 'SubscriptionConfirmation') {
          const confirmed = await fetch(message.SubscribeURL!);
          if (confirmed.status !== 200) throw new Error(`confirming failed: ${confirmed.status} ${await confirmed.text()}`);
        }
        received.push({ ...entry, status });
        res.writeHead(status).end();
      })().catch((error: unknown) => {
        received.push({ headers: req.headers, body: String(error), status: 599 });
        res.writeHead(500).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  (endpoint as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sns`;
  return endpoint;
}

/** The notifications (not confirmations) an endpoint received with a 2xx answer. */
export function notifications(endpoint: SnsEndpoint): Received[] {
  return endpoint.received.filter((r) => r.headers['x-amz-sns-message-type'] === 'Notification' && r.status < 300);
}
