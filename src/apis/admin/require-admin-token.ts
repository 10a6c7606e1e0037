import { errorInfo } from '../camara-common/error-info.js'
import type { OperationHandler } from '../face.js'
import type { Control } from './control.js'

/**
 * Puts every control operation behind the optional admin token (`--admin-token`), so an
 * operation added later is protected without a line of its own.
 */
export function requireAdminToken(
  control: Control,
  handlers: Readonly<Record<string, OperationHandler>>,
): Record<string, OperationHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([operationId, handler]): [string, OperationHandler] => [
      operationId,
      (request) => {
        const refused = control.refuseAdmin(request.headers.authorization)
        return refused === undefined
          ? handler(request)
          : errorInfo(401, 'UNAUTHENTICATED', `Request not authenticated: ${refused}.`)
      },
    ]),
  )
}
