import { ok } from '../contract/index.js'
import { authorizationFor } from './authorize-step.js'
import { buildRequest } from './build-request.js'
import { SUBSCRIBE_OPERATION } from './check-steps.js'
import type { SubscribeStep } from './client-step.js'
import { sendHttp } from './http-client.js'
import { runRequest } from './run-request-step.js'
import { fail, type StepDone, type StepEnv, type StepResult } from './step-env.js'

/** A `subscribe` step: one createNotificationChannelSubscription per type, each pointing at the run's sink. */
export async function runSubscribe(env: StepEnv, step: SubscribeStep): Promise<StepResult> {
  const sink = env.context.sink
  if (!sink)
    return fail('error', [
      'subscribe: the run has no sink; this is a callsim bug, please report it',
    ])
  const deviceId = env.resolve(step.deviceId)
  if (!deviceId.ok) return deviceId
  let last: StepDone = {}
  const summaries: string[] = []
  for (const type of step.eventTypes) {
    const result = await runRequest(env, {
      kind: 'request',
      name: undefined,
      description: undefined,
      origin: step.origin,
      operationId: SUBSCRIBE_OPERATION,
      auth: step.auth,
      params: {},
      headers: {},
      body: {
        protocol: 'HTTP',
        sink: sink.url,
        types: [type],
        config: { subscriptionDetail: { deviceId: deviceId.value } },
      },
      rawBody: undefined,
      timeoutMs: undefined,
      advanceMs: 0,
      expect: { status: [201, 202], contract: 'valid', dropped: false },
      poll: undefined,
    })
    if (!result.ok) return result
    last = result.value
    const id = (last.record?.body as { id?: unknown } | undefined)?.id
    if (typeof id === 'string') env.subscriptions.push({ id, auth: step.auth })
    if (last.summary) summaries.push(last.summary)
  }
  return ok({ ...last, summary: summaries.join('; ') })
}

/**
 * Deletes what subscribe steps created, so a long-running target does not keep delivering to
 * a sink that is gone. Best effort: the scenario's verdict is already made.
 */
export async function unsubscribe(env: StepEnv): Promise<void> {
  const found = env.context.catalog.find('deleteNotificationChannelSubscription')
  for (const subscription of found.ok ? env.subscriptions : []) {
    const authorization = await authorizationFor(
      env,
      subscription.auth,
      found.ok ? found.value : undefined,
    )
    if (!authorization.ok || !found.ok) continue
    const headers: Record<string, string> =
      authorization.value === undefined ? {} : { authorization: authorization.value }
    const params = { subscriptionId: subscription.id }
    const built = buildRequest(found.value, {
      baseUrl: env.context.target.url,
      params,
      headers,
      body: undefined,
      rawBody: undefined,
    })
    // A subscription that cannot be deleted expires or fails its deliveries on its own.
    if (built.ok) await sendHttp(built.value, env.context.requestTimeoutMs)
  }
  env.subscriptions.length = 0
}
