import express, { type RequestHandler } from 'express'
import request from 'supertest'
import { expect, test } from 'vitest'
import type { Face } from '../../../src/apis/index.js'
import type { CompiledOperation } from '../../../src/contract/index.js'
import { runStages } from '../../../src/http/run-stages.js'
import { planStages, routedToOperation, type RoutedStage } from '../../../src/http/stage-plan.js'

// Plain stand-ins for what routing finds: the plan looks only at these fields.
const camara = { id: 'camara', controlPlane: false } as unknown as Face
const control = { id: 'control', controlPlane: true } as unknown as Face
const createSession = { operationId: 'createSession' } as unknown as CompiledOperation
const getClock = { operationId: 'getClock' } as unknown as CompiledOperation

/** An app whose route stage sends `/<face>/<operation>` to those, and answers with the stages passed. */
function setup(stages: RoutedStage[]) {
  const faces: Record<string, Face> = { camara, control }
  const operations: Record<string, CompiledOperation> = { createSession, getClock }
  const route: RequestHandler = (req, res, next) => {
    const [, face, operation] = req.path.split('/')
    res.locals.callsim = { face: faces[face ?? ''], operation: operations[operation ?? ''] }
    res.locals.seen = []
    next()
  }
  const answer: RequestHandler = (_req, res) => void res.json({ seen: res.locals.seen })
  const app = express()
  app.use(runStages([route], planStages([...stages, { handle: answer, appliesTo: () => true }])))
  return app
}

function stage(name: string, appliesTo: RoutedStage['appliesTo']): RoutedStage & { asked: number } {
  const counted = {
    asked: 0,
    handle: ((_req, res, next) => {
      ;(res.locals.seen as string[]).push(name)
      next()
    }) as RequestHandler,
    appliesTo: (face: Face, operation: CompiledOperation | undefined) => {
      counted.asked += 1
      return appliesTo(face, operation)
    },
  }
  return counted
}

test('runs each request through the stages that apply to its face and operation only', async () => {
  const gate = stage('gate', (face) => face.controlPlane === true)
  const handle = stage('handle', routedToOperation)
  const app = setup([gate, handle])
  expect((await request(app).get('/camara/createSession')).body).toEqual({ seen: ['handle'] })
  expect((await request(app).get('/control/getClock')).body).toEqual({ seen: ['gate', 'handle'] })
  expect((await request(app).get('/control/nothing-here')).body).toEqual({ seen: ['gate'] })
})

test('decides once per operation, not once per request', async () => {
  const gate = stage('gate', (face) => face.controlPlane === true)
  const app = setup([gate])
  for (let round = 0; round < 3; round += 1) {
    await request(app).get('/camara/createSession')
    await request(app).get('/control/getClock')
  }
  expect(gate.asked).toBe(2)
})
