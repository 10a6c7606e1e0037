/**
 * Why `listen` failed, in words that name the option to change: a port in use is the port's
 * fault, a name that does not resolve or an address the machine does not have is the host's.
 */
export function listenProblem(error: Error, host: string, port: number): string {
  const code = (error as NodeJS.ErrnoException).code
  const where = `${host}:${port}`
  switch (code) {
    case 'EADDRINUSE':
      return `Failed to listen on ${where}: the port is already in use. Choose another --port (0 picks a free one).`
    case 'EACCES':
      return `Failed to listen on ${where}: this user may not listen on port ${port}. Choose a --port from 1024 up (0 picks a free one).`
    case 'EADDRNOTAVAIL':
      return `Failed to listen on ${where}: ${host} is not an address of this machine. Choose another --host, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return `Failed to listen on ${where}: the host name ${host} does not resolve to an address. Choose another --host, e.g. 127.0.0.1 or localhost.`
    default:
      return `Failed to listen on ${where}: ${error.message}. Check --host and --port.`
  }
}
