import { canonicalJson } from '@cryptostream/schema';
import { HttpAnswer, httpRequest } from '@cryptostream/service-runtime';
import { SchemaRefusedError, SchemaRegistryUnavailableError } from './schema-registry.errors';

/** A version of an artifact as the registry knows it. */
export interface RegisteredVersion {
  readonly groupId: string;
  readonly artifactId: string;
  /** The registry's version name: "1", "2", … in registration order. */
  readonly version: string;
  /** Unique across the registry: what producers put in the record header. */
  readonly globalId: number;
}

export interface ApicurioClientOptions {
  /** The registry's base URL, e.g. `http://127.0.0.1:8081` (`SCHEMA_REGISTRY_URL`). */
  readonly url: string;
  /** The artifact group of every cryptostream schema. */
  readonly group: string;
  /** Per request: a registry that answers slower counts as not answering. */
  readonly timeoutMs?: number;
}

interface ProblemDetails {
  readonly detail?: string;
  readonly title?: string;
  readonly name?: string;
}

/**
 * The few calls of Apicurio Registry's v3 REST API that cryptostream needs, on `httpRequest`: a
 * network failure or a 5xx is {@link SchemaRegistryUnavailableError} (retriable), a rule
 * violation {@link SchemaRefusedError} with the registry's own words.
 */
export class ApicurioClient {
  readonly url: string;
  readonly group: string;
  readonly #api: string;
  readonly #timeoutMs: number;

  constructor({ url, group, timeoutMs = 5_000 }: ApicurioClientOptions) {
    this.url = url.replace(/\/+$/, '');
    this.group = group;
    this.#api = `${this.url}/apis/registry/v3`;
    this.#timeoutMs = timeoutMs;
  }

  /** Where a person (or `curl`) lists the group's artifacts. */
  get browseUrl(): string {
    return `${this.#api}/groups/${encodeURIComponent(this.group)}/artifacts`;
  }

  /**
   * The version of `artifactId` whose content is `content` (compared as JSON): found when it
   * exists, else created (with its group and the artifact, the first time), subject to the
   * artifact's rules. `file` names the schema in a refusal. Step by step rather than with
   * `ifExists=FIND_OR_CREATE_VERSION`: Apicurio 3.3.3 answered that with ArtifactNotFound for
   * minutes when several new groups were created at once on a loaded machine.
   */
  async findOrCreateVersion(artifactId: string, content: string, file: string): Promise<RegisteredVersion> {
    const group = `/groups/${encodeURIComponent(this.group)}`;
    const artifact = `${group}/artifacts/${encodeURIComponent(artifactId)}`;
    const versions = await this.#request('GET', `${artifact}/versions?limit=1000`);
    if (versions.status === 404) {
      await this.#createOnce('POST', '/groups', { groupId: this.group }, `create group ${this.group}`);
      const body = { artifactId, artifactType: 'JSON', firstVersion: { content: { content, contentType: 'application/json' } } };
      const created = await this.#request('POST', `${group}/artifacts`, body);
      if (created.status !== 409) return (await this.#refusedOr<{ version: RegisteredVersion }>(created, artifactId, file, `register ${artifactId}`)).version;
      // Created meanwhile by another instance: find or add the version as below.
      return this.findOrCreateVersion(artifactId, content, file);
    }
    const { versions: known = [] } = await this.#expectOk<{ versions?: RegisteredVersion[] }>(versions, `list the versions of ${artifactId}`);
    const wanted = canonicalJson(JSON.parse(content));
    for (const version of known) {
      const stored = await this.#expectOk<unknown>(await this.#request('GET', `${artifact}/versions/${encodeURIComponent(version.version)}/content`), `read ${artifactId} version ${version.version}`);
      if (canonicalJson(stored) === wanted) return version;
    }
    const added = await this.#request('POST', `${artifact}/versions`, { content: { content, contentType: 'application/json' } });
    return this.#refusedOr<RegisteredVersion>(added, artifactId, file, `add a version to ${artifactId}`);
  }

  /** A refusal of the registry's rules as {@link SchemaRefusedError}, or the answer. */
  async #refusedOr<T>(response: HttpAnswer, artifactId: string, file: string, what: string): Promise<T> {
    if (response.status === 400 || response.status === 409 || response.status === 422) {
      throw new SchemaRefusedError(`${this.group}/${artifactId}`, file, reasonOf(response.jsonOrUndefined<ProblemDetails>() ?? {}));
    }
    return this.#expectOk<T>(response, what);
  }

  /** A create that may find its object there already (409). */
  async #createOnce(method: string, path: string, body: unknown, what: string): Promise<void> {
    const response = await this.#request(method, path, body);
    if (response.status !== 409 && !response.ok) await this.#expectOk(response, what);
  }

  /** Sets the artifact's compatibility rule (BACKWARD), or leaves the one it has. */
  async ensureCompatibilityRule(artifactId: string, level = 'BACKWARD'): Promise<void> {
    const path = `/groups/${encodeURIComponent(this.group)}/artifacts/${encodeURIComponent(artifactId)}/rules`;
    await this.#createOnce('POST', path, { ruleType: 'COMPATIBILITY', config: level }, `set the compatibility rule of ${artifactId}`);
  }

  /** What a global id stands for, with its schema; undefined when the registry has no such id. */
  async lookUp(globalId: number): Promise<{ readonly version: RegisteredVersion; readonly schema: unknown } | undefined> {
    const found = await this.#request('GET', `/search/versions?globalId=${globalId}`);
    const { versions = [] } = await this.#expectOk<{ versions?: RegisteredVersion[] }>(found, `look up schema id ${globalId}`);
    if (versions.length === 0) return undefined;
    const content = await this.#request('GET', `/ids/globalIds/${globalId}`);
    if (content.status === 404) return undefined;
    return { version: versions[0], schema: await this.#expectOk<unknown>(content, `read schema id ${globalId}`) };
  }

  /** Resolves once the registry answers (its `/system/info`); `SchemaRegistryUnavailableError` while it does not. */
  async ping(): Promise<void> {
    await this.#expectOk<unknown>(await this.#request('GET', '/system/info'), 'read its system info');
  }

  async #request(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    try {
      return await httpRequest(`${this.#api}${path}`, {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs: this.#timeoutMs,
      });
    } catch (error) {
      throw new SchemaRegistryUnavailableError(this.url, (error as Error).message, error);
    }
  }

  async #expectOk<T>(response: HttpAnswer, what: string): Promise<T> {
    if (response.ok) return response.json<T>();
    const problem = reasonOf(response.jsonOrUndefined<ProblemDetails>() ?? {});
    if (response.status >= 500) throw new SchemaRegistryUnavailableError(this.url, `${what}: HTTP ${response.status} ${problem}`);
    throw new Error(`schema registry ${this.url}: cannot ${what}: HTTP ${response.status} ${problem}`);
  }
}

function reasonOf(problem: ProblemDetails): string {
  return problem.detail ?? problem.title ?? problem.name ?? 'no reason given';
}

/** The client of the configured registry (`SCHEMA_REGISTRY_URL` and its companions), or undefined when none is. */
export function apicurioClientFor(settings: { readonly url: string | undefined; readonly group: string; readonly timeoutMs: number }): ApicurioClient | undefined {
  return settings.url === undefined ? undefined : new ApicurioClient({ url: settings.url, group: settings.group, timeoutMs: settings.timeoutMs });
}
