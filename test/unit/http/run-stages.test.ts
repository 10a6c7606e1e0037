import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import request from 'supertest'
import { expect, test } from 'vitest'
import { runStages } from '../../../src/http/run-stages.js'

/** An app with the stages and an error handler that names the error, as callsim's does. */
function setup(stages: RequestHandler[]) {
  const app = express()
  app.use(runStages(stages))
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status(500).json({ error: error instanceof Error ? error.message : String(error) })
  }
  app.use(onError)
  return app
}

const mark =
  (name: string): RequestHandler =>
  (_req, res, next) => {
    res.locals.seen = [...((res.locals.seen as string[] | undefined) ?? []), name]
    next()
  }

test('runs the stages in order until one answers', async () => {
  const app = setup([
    mark('a'),
    mark('b'),
    (_req, res) => void res.json({ seen: res.locals.seen }),
    mark('never'),
  ])
  const response = await request(app).get('/x')
  expect(response.status).toBe(200)
  expect(response.body).toEqual({ seen: ['a', 'b'] })
})

test('hands next(error) to the error handler and skips the remaining stages', async () => {
  const app = setup([
    mark('a'),
    (_req, _res, next) => next(new Error('refused')),
    (_req, res) => void res.json({ reached: true }),
  ])
  const response = await request(app).get('/x')
  expect(response.status).toBe(500)
  expect(response.body).toEqual({ error: 'refused' })
})

test('turns a throw in a stage resumed from an event into an error response, not a crash', async () => {
  const app = setup([
    (_req, _res, next) => {
      setImmediate(() => next())
    },
    () => {
      throw new Error('stage failed')
    },
  ])
  const response = await request(app).get('/x')
  expect(response.status).toBe(500)
  expect(response.body).toEqual({ error: 'stage failed' })
})

test('falls through to Express when every stage moves on', async () => {
  const app = setup([mark('a'), mark('b')])
  const response = await request(app).get('/x')
  expect(response.status).toBe(404)
})

test('continues with the stages chosen for the request once the first ones have run', async () => {
  const app = express()
  app.use(
    runStages([mark('route')], (req) =>
      req.path === '/control'
        ? [mark('gate'), (_req, res) => void res.json({ seen: res.locals.seen })]
        : [(_req, res) => void res.json({ seen: res.locals.seen })],
    ),
  )
  expect((await request(app).get('/control')).body).toEqual({ seen: ['route', 'gate'] })
  expect((await request(app).get('/sessions')).body).toEqual({ seen: ['route'] })
})
