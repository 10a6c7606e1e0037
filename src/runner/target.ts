import { err, ok, type Result } from '../contract/index.js'
import { sendHttp } from './http-client.js'
import { ERROR_BODY_LENGTH, shortenMiddle } from './shorten-middle.js'

/** Where a callsim serves its control API; the runner uses it only when the target is a callsim. */
export const CONTROL_BASE_PATH = '/_callsim'

export type TargetKind =
  { readonly kind: 'callsim'; readonly clock: 'virtual' | 'system' } | { readonly kind: 'other' }

/**
 * The system under test. The runner asks `GET /_callsim/clock` once to learn whether the target
 * is a callsim and how its clock runs: a callsim gets the scenario header, its tokens are minted
 * by its control API and a virtual clock is advanced instead of waited for. Anything else is
 * treated as a real provider.
 */
export class Target {
  private known: TargetKind | undefined

  constructor(
    readonly url: string,
    private readonly timeoutMs: number,
    /** The bearer token of a callsim started with --admin-token, for its control API. */
    readonly adminToken?: string,
  ) {}

  private control(path: string): string {
    return `${this.url.replace(/\/+$/, '')}${CONTROL_BASE_PATH}${path}`
  }

  private controlHeaders(json: boolean): Record<string, string> {
    return {
      accept: 'application/json',
      ...(json ? { 'content-type': 'application/json' } : {}),
      ...(this.adminToken === undefined ? {} : { authorization: `Bearer ${this.adminToken}` }),
    }
  }

  /** `GET /_callsim/clock`: what describe and pendingTasks read. */
  private readClock(): ReturnType<typeof sendHttp> {
    return sendHttp(
      {
        method: 'GET',
        url: this.control('/clock'),
        headers: this.controlHeaders(false),
        body: undefined,
      },
      this.timeoutMs,
    )
  }

  /** What the target is; a target that cannot be reached is asked again next time. */
  async describe(): Promise<Result<TargetKind, string>> {
    if (this.known) return ok(this.known)
    const sent = await this.readClock()
    if (!sent.ok) {
      // A real provider may not even have the path; only a failure to connect at all counts.
      if (sent.error.kind === 'dropped' || sent.error.kind === 'other') {
        this.known = { kind: 'other' }
        return ok(this.known)
      }
      return err(sent.error.message)
    }
    if (sent.value.status === 401 && this.adminToken === undefined) {
      return err(
        `${this.url} answers 401 on ${CONTROL_BASE_PATH}/clock: it is a callsim whose control API is protected; pass its --admin-token to the run.`,
      )
    }
    let clock: unknown
    try {
      clock = (JSON.parse(sent.value.text) as { kind?: unknown }).kind
    } catch {
      clock = undefined
    }
    this.known =
      sent.value.status === 200 && (clock === 'virtual' || clock === 'system')
        ? { kind: 'callsim', clock }
        : { kind: 'other' }
    return ok(this.known)
  }

  /** How many tasks wait on a callsim's clock (`GET /_callsim/clock`), e.g. a reply held back by a latency fault. */
  async pendingTasks(): Promise<Result<number, string>> {
    const sent = await this.readClock()
    if (!sent.ok) return err(sent.error.message)
    try {
      const pending = (JSON.parse(sent.value.text) as { pendingTasks?: unknown }).pendingTasks
      if (sent.value.status === 200 && typeof pending === 'number') return ok(pending)
    } catch {
      // Reported below, like any other answer that is not a clock status.
    }
    return err(`GET ${CONTROL_BASE_PATH}/clock answered ${sent.value.status} without pendingTasks`)
  }

  /** Moves a callsim's virtual clock; everything due fires before the answer comes back. */
  async advanceClock(ms: number): Promise<Result<void, string>> {
    const sent = await sendHttp(
      {
        method: 'POST',
        url: this.control('/clock'),
        headers: this.controlHeaders(true),
        body: JSON.stringify({ advance: ms }),
      },
      this.timeoutMs,
    )
    if (!sent.ok) return err(sent.error.message)
    if (sent.value.status !== 200)
      return err(
        `Failed to advance the virtual clock: POST ${CONTROL_BASE_PATH}/clock answered ${sent.value.status} ${shortenMiddle(sent.value.text, ERROR_BODY_LENGTH)}`,
      )
    return ok(undefined)
  }

  /**
   * Whether a callsim knows a scenario (`GET /_callsim/scenarios/{id}`); undefined when it cannot
   * tell (an older callsim), in which case the run goes on and the target has the last word.
   */
  async hasScenario(id: string): Promise<Result<boolean | undefined, string>> {
    const sent = await sendHttp(
      {
        method: 'GET',
        url: this.control(`/scenarios/${encodeURIComponent(id)}`),
        headers: this.controlHeaders(false),
        body: undefined,
      },
      this.timeoutMs,
    )
    if (!sent.ok) return err(sent.error.message)
    if (sent.value.status === 200) return ok(true)
    if (
      sent.value.status === 404 &&
      sent.value.headers['content-type']?.includes('json') &&
      sent.value.text.includes('NOT_FOUND')
    )
      return ok(false)
    return ok(undefined)
  }

  /** Asks a callsim's control API for a token (`POST /_callsim/tokens`). */
  async mintToken(request: {
    sub: string
    scope?: string | undefined
    claims?: Readonly<Record<string, unknown>> | undefined
  }): Promise<Result<string, string>> {
    const sent = await sendHttp(
      {
        method: 'POST',
        url: this.control('/tokens'),
        headers: this.controlHeaders(true),
        body: JSON.stringify({
          sub: request.sub,
          ...(request.scope === undefined ? {} : { scope: request.scope }),
          ...(request.claims === undefined ? {} : { claims: request.claims }),
        }),
      },
      this.timeoutMs,
    )
    if (!sent.ok) return err(sent.error.message)
    let token: unknown
    try {
      token = (JSON.parse(sent.value.text) as { token?: unknown }).token
    } catch {
      token = undefined
    }
    if (sent.value.status !== 201 || typeof token !== 'string') {
      return err(
        `Failed to get a token for ${request.sub} from POST ${CONTROL_BASE_PATH}/tokens: it answered ${sent.value.status} ${shortenMiddle(sent.value.text, ERROR_BODY_LENGTH)}`,
      )
    }
    return ok(token)
  }
}
