/**
 * @module
 * What a service is to the pipeline: its model, its operation table, and the few facts about
 * it that auditing and authorisation need. Each service folder exports one ServiceDefinition
 * from its `operations.ts`; `registry.ts` lists them.
 */
import type { Logger } from '../core/logger.js';
import type { Clock } from '../core/clock.js';
import type { Scope } from '../core/scope.js';
import type { ServiceError } from '../core/errors.js';
import type { SigningFacts } from '../auth/authenticate.js';
import type { BlobStore } from '../blob/blob-store.js';
import type { Principal } from '../auth/principal.js';
import type { ErrorStyle } from '../auth/errors.js';
import type { AuditResource, TlsDetails } from '../audit/record.js';
import type { AuditStyle } from '../audit/parameters.js';
import type { Operation, ServiceModel } from '../protocol/model.js';
import type { Store, Tx } from '../store/types.js';
import type { Settings } from '../core/settings.js';
import type { Subscriber } from '../server/dispatcher.js';

/** A handler's output type: the SDK's command output without the client-side `$metadata`. */
export type Out<T> = Omit<T, '$metadata'>;

/** Where a call came from. */
export interface RequestFacts {
  readonly sourceIp: string;
  readonly userAgent?: string;
  readonly host?: string;
  readonly tls?: TlsDetails;
  /** How the request was signed; undefined for anonymous and internal calls. */
  readonly signing?: SigningFacts;
  /** The length of a buffered request body (0 when the payload streams). */
  readonly bodyLength?: number;
}

/** What a handler may add to its call's CloudTrail record. */
export interface AuditNotes {
  /** Resources the call touched (record `resources`, LookupEvents ResourceType/ResourceName). */
  readonly resources: AuditResource[];
  additionalEventData?: Record<string, unknown>;
}

/** A call Custos makes on its own behalf (remediation, delivery, rule callbacks). */
export interface InternalCall {
  /** The model id of the service, e.g. `s3`. */
  readonly service: string;
  readonly operation: string;
  readonly input: Record<string, unknown>;
  /** Usually a service principal (see `servicePrincipal`). */
  readonly principal: Principal;
  readonly region: string;
  /** Condition keys an AWS service supplies when it acts for one of its resources (aws:SourceArn, aws:SourceAccount). */
  readonly conditionKeys?: Readonly<Record<string, string>>;
}

/** The shared, long-lived things services use, passed in at start. */
export interface ServiceEnvironment {
  readonly settings: Settings;
  readonly clock: Clock;
  readonly logger: Logger;
  /** For background work only; handlers use their call's `tx`. */
  readonly store: Store;
  /** Object bytes (S3), under the data directory. */
  readonly blobs: BlobStore;
  /**
   * Runs an operation through the pipeline without HTTP: authorised, executed and recorded in
   * CloudTrail like any call. Resolves with the output; rejects with the ServiceError.
   */
  invoke(call: InternalCall): Promise<Record<string, unknown>>;
  /** The base URL clients reach this server at (links in SNS messages): `--public-url`, else where it listens. */
  publicUrl(): string;
}

/** A file served under `/_custos/` on behalf of a service (e.g. SNS's signing certificate). */
export interface PublicFile {
  readonly contentType: string;
  readonly body: string | Buffer;
}

/** Work a service runs outside calls: feed subscribers and timers (delivery, evaluation). */
export interface BackgroundWork {
  readonly subscribers?: readonly Subscriber[];
  /** Started once the server listens. */
  start?(): void;
  /** Stopped before the store closes. */
  stop?(): Promise<void>;
  /** The file this work serves at a path under `/_custos/`, or undefined when the path is not its. */
  file?(path: string): Promise<PublicFile | undefined>;
}

/** Everything a handler knows about its call. */
export interface CallContext {
  readonly requestId: string;
  /** The CloudTrail eventID this call's record will carry (for outbox entries). */
  readonly eventId: string;
  readonly scope: Scope;
  readonly principal: Principal;
  readonly tx: Tx;
  /** The time of the call, ms. */
  readonly now: number;
  readonly request: RequestFacts;
  readonly audit: AuditNotes;
  readonly env: ServiceEnvironment;
  /**
   * Authorises one more permission the call turned out to need (the KMS key of an SSE-KMS object),
   * as the pipeline authorises the call's own action; throws the service's AccessDenied.
   */
  readonly authorize: (permission: Permission) => Promise<void>;
}

/** A permission beside a call's own action: an IAM action on resources, with its condition keys. */
export interface Permission {
  readonly action: string;
  readonly resources: readonly string[];
  readonly conditions?: Readonly<Record<string, string | readonly string[]>>;
}

/** An operation's implementation: typed input in, typed output out; throws ServiceErrors. */
export type Handler<I, O> = (input: I, ctx: CallContext) => Promise<O>;

/** What `prepare` knows: the call before its transaction. */
export interface PrepareContext {
  readonly requestId: string;
  readonly scope: Scope;
  readonly principal: Principal;
  readonly env: ServiceEnvironment;
  /** Authorises one more permission against committed state (see CallContext.authorize). */
  readonly authorize: (permission: Permission) => Promise<void>;
}

/** One row of a service's operation table. */
export interface OperationSpec<I = any, O = any> {
  readonly handler: Handler<I, O>;
  /**
   * Slow work before the transaction (e.g. staging an upload to disk), so that the handler,
   * which runs inside it, stays fast. Returns the input the handler gets.
   */
  readonly prepare?: (input: I, ctx: PrepareContext) => Promise<I>;
  /**
   * Runs after a prepared call's transaction has settled, whatever the outcome; `committed` says
   * whether the handler's changes were committed. Undoes what `prepare` left when they were not.
   */
  readonly settle?: (input: I, committed: boolean, ctx: PrepareContext) => Promise<void>;
  /**
   * Authorise the call (action and `requires`) against committed state before `prepare` too, so that
   * a denied call stages nothing (S3 uploads); it is authorised again in its transaction.
   */
  readonly authorizeFirst?: true;
  /** The call needs no permission (GetCallerIdentity). */
  readonly unauthorized?: true;
  /** Defaults from the name: Get/List/Describe/Head/Lookup... are read-only. */
  readonly readOnly?: boolean;
  /** Whether the record keeps responseElements; by default only calls that are not read-only do. */
  readonly recordResponse?: boolean;
  /** CloudTrail eventCategory; S3 object-level and Lambda Invoke calls are Data. */
  readonly category?: 'Management' | 'Data';
  /** The IAM action; defaults to `<signing name>:<Operation>`. */
  readonly action?: string;
  /** The ARNs the call acts on, for authorisation; defaults to `*`. */
  readonly resources?: (input: I, ctx: Pick<CallContext, 'scope' | 'principal'>) => string[];
  /**
   * Further permissions the call needs beside its action, authorised with it (a copy's s3:GetObject
   * on its source).
   */
  readonly requires?: (input: I, ctx: Pick<CallContext, 'scope' | 'principal'>) => readonly Permission[];
  /** Service-specific condition keys for authorisation (`s3:prefix`, `aws:RequestTag/...`). */
  readonly conditions?: (input: I, ctx: Pick<CallContext, 'scope' | 'principal'>) => Readonly<Record<string, string | readonly string[]>>;
  /**
   * The call may come without credentials (SNS ConfirmSubscription and Unsubscribe from the links
   * in a message): the handler authorises such a call itself (by its token), and this gives the
   * scope it acts in, read from its input.
   */
  readonly anonymous?: (input: I) => Scope | undefined;
}

/** A resource-based policy (bucket, topic, key or function policy) and the account that owns the resource. */
export interface ResourcePolicy {
  readonly ownerAccountId: string;
  /** The policy document as JSON; undefined when the resource exists but has no policy. */
  readonly document?: string;
  /** The resource's tags, for aws:ResourceTag/<key> conditions. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The policy itself must allow the call (KMS key policies): identity-based policies of the
   * owning account count only where it allows the account, and its root user is not exempt.
   */
  readonly required?: boolean;
}

/** A finished call, as a service's `recordDetails` sees it. */
export interface RecordedCall {
  readonly operation: Operation;
  /** The decoded input ({} when the request could not be decoded). */
  readonly input: Record<string, unknown>;
  readonly output?: Record<string, unknown>;
  readonly error?: ServiceError;
  readonly ctx: CallContext;
  /** requestParameters as the service's audit style writes them. */
  readonly requestParameters: unknown;
  /** responseElements as the audit style writes them; null when the record keeps none. */
  readonly responseElements: unknown;
}

/** What a service records its own way; every field left out keeps the default. */
export interface RecordDetails {
  readonly eventName?: string;
  /** The record's errorCode, when the service writes it differently from the error's code (EC2's `Client.`). */
  readonly errorCode?: string;
  readonly requestParameters?: unknown;
  readonly responseElements?: unknown;
  readonly additionalEventData?: Record<string, unknown>;
  readonly resources?: readonly AuditResource[];
  /** The account and region whose log holds the record, when not the call's scope. */
  readonly scope?: Scope;
}

/** A service as the pipeline sees it. */
export interface ServiceDefinition {
  readonly model: ServiceModel;
  /** The CloudTrail eventSource, e.g. `sts.amazonaws.com`. */
  readonly eventSource: string;
  /** Global services keep state and records in us-east-1 whatever the request's region. */
  readonly global?: boolean;
  readonly operations: Readonly<Record<string, OperationSpec>>;
  /** How the service words the errors every service has (authentication, denial, validation). */
  readonly errorStyle: ErrorStyle;
  /** How records name this service's parameters. */
  readonly auditStyle?: AuditStyle;
  /** Overrides the style's error for input that breaks the model's constraints. */
  readonly validationError?: (messages: string[]) => ServiceError;
  /** Overrides the style's AccessDenied error (SNS answers `AuthorizationError`). */
  readonly accessDenied?: (message: string) => ServiceError;
  /** Background work, created once per server. */
  readonly background?: (env: ServiceEnvironment) => BackgroundWork;
  /** The resource-based policy governing an ARN this service owns, for authorisation (undefined: no such resource). */
  readonly resourcePolicy?: (tx: Tx, arn: string) => Promise<ResourcePolicy | undefined>;
  /**
   * The parts of a call's CloudTrail record the service shapes itself (S3: requestParameters with
   * Host, additionalEventData...). Runs in the call's transaction, after the handler: await only `ctx.tx`.
   */
  readonly recordDetails?: (call: RecordedCall) => Promise<RecordDetails>;
}

const READ_ONLY_PREFIXES = ['Get', 'List', 'Describe', 'Head', 'Lookup', 'Search', 'Select', 'Check', 'Test', 'Validate', 'Verify', 'Decrypt', 'Encrypt', 'GenerateDataKey', 'Filter'];

/** Whether an operation only reads, by its declaration or else by AWS's naming convention. */
export function isReadOnly(operationName: string, spec: OperationSpec | undefined): boolean {
  if (spec?.readOnly !== undefined) return spec.readOnly;
  return READ_ONLY_PREFIXES.some((prefix) => operationName.startsWith(prefix));
}
