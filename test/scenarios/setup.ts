import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import request from 'supertest'
import { onTestFinished, vi } from 'vitest'
import type { ReloadOutcome, SimulatorOptions } from '../../src/app/index.js'
import { ALICE, BOB, advance, startSimulator } from '../support/start-simulator.js'

export { ALICE, BOB }
const BASE = '/webrtc-call-handling/vwip'
const OFFER = { sdp: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/SAVPF 102\r\n' }
export const NEW_SESSION = { originatorAddress: ALICE, receiverAddress: BOB, offer: OFFER }

type Headers = Record<string, string>

/**
 * A strict, seeded simulator on the virtual clock with the shipped scenarios, and a client for
 * the call handling face that can name a scenario per request (x-callsim-scenario).
 * Registration checks are off: these tests are about scenarios, not devices.
 */
export async function setup(overrides: Partial<SimulatorOptions> = {}) {
  const simulator = startSimulator({ registration: 'optional', ...overrides })
  const http = request(simulator.app)
  const token = async (sub: string) => (await simulator.control.issueToken({ sub, expiresInMs: 24 * 3_600_000 })).token
  const tokens = { alice: await token(ALICE), bob: await token(BOB) }
  const headers = (extra: Headers = {}, bearer = tokens.alice): Headers => ({
    authorization: `Bearer ${bearer}`,
    'x-correlator': 'scenario-test',
    registrationId: 'reg-1',
    ...extra,
  })
  const session = (id: string) => `${BASE}/sessions/${encodeURIComponent(id)}`
  const withScenario = (scenario: string | undefined): Headers => (scenario === undefined ? {} : { 'x-callsim-scenario': scenario })

  return {
    simulator,
    http,
    tokens,
    createSession: (body: object = NEW_SESSION, extra: Headers = {}, bearer?: string) => http.post(`${BASE}/sessions`).set(headers(extra, bearer)).send(body),
    getSession: (id: string, extra: Headers = {}, bearer?: string) => http.get(session(id)).set(headers(extra, bearer)),
    updateStatus: (id: string, body: object, extra: Headers = {}) => http.put(`${session(id)}/status`).set(headers(extra)).send(body),
    deleteSession: (id: string, extra: Headers = {}) => http.delete(session(id)).set(headers(extra)),
    /** Places Alice's call under `scenario` (the header), or as selected otherwise, and returns its id. */
    placeCall: async (scenario?: string, body: object = NEW_SESSION): Promise<string> => {
      const created = await http.post(`${BASE}/sessions`).set(headers(withScenario(scenario))).send(body)
      if (created.status !== 201) throw new Error(`placeCall: ${created.status} ${created.text}`)
      return (created.body as { mediaSessionId: string }).mediaSessionId
    },
    withScenario,
    advance: (ms: number) => advance(simulator, ms),
    /** The control API's view of a call: status, endedBy, endedReason, timeline. */
    adminCall: async (id: string) => (await http.get(`/_callsim/calls/${encodeURIComponent(id)}`)).body as Record<string, unknown>,
    journal: async () => (await http.get('/_callsim/journal?limit=1000')).body as { total: number; entries: Record<string, unknown>[] },
    /**
     * Sends a request that a scenario may hold back on the virtual clock: waits until it is
     * either answered or parked on the clock, then advances the clock by `advanceMs`.
     */
    released: async <T>(pending: PromiseLike<T>, advanceMs: number): Promise<T> => {
      const before = simulator.clock.pending()
      let settled = false
      const outcome = Promise.resolve(pending).finally(() => {
        settled = true
      })
      outcome.catch(() => undefined)
      await vi.waitFor(
        () => {
          if (!settled && simulator.clock.pending() <= before) throw new Error('the request has not reached the fault stage yet')
        },
        { timeout: 5000, interval: 2 },
      )
      if (!settled) advance(simulator, advanceMs)
      return outcome
    },
  }
}

export type Setup = Awaited<ReturnType<typeof setup>>

/** A temporary folder holding `files` (name → text), removed when the test finishes. */
export function scenarioFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'callsim-scenarios-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** The next reload the --watch watcher makes, or a failure after 10 s. */
export function nextReload(t: Setup): Promise<ReloadOutcome> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop()
      reject(new Error('no reload within 10 s of the file change'))
    }, 10_000)
    const stop = t.simulator.scenarioReloader.onReload((outcome) => {
      clearTimeout(timer)
      stop()
      resolve(outcome)
    })
  })
}
