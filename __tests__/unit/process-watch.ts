import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * A Unix socket for a process an app's code starts to connect to and hold, sending its pid: `gone` settles when the
 * connection closes, which the kernel does only when that process has ended. It tells a test that the process did not
 * outlive the indexing without a clock: a test whose process lives on never sees `gone`, and fails by its timeout.
 */
export function processWatch(folder: string, name: string) {
  const path = join(folder, `${name}.sock`);
  let pid: number | undefined;
  let connected!: () => void;
  let gone!: () => void;
  const watch = {
    path,
    connected: new Promise<void>((settle) => (connected = settle)),
    gone: new Promise<void>((settle) => (gone = settle)),
    /** Ends the process (if a failing test left it running) and the socket. */
    close() {
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone already, as it should be.
        }
      }
      server.close();
    },
  };
  const server = createServer((socket) => {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      pid = Number(text);
      connected();
    });
    socket.on('close', gone);
    socket.on('error', () => {});
  });
  return new Promise<typeof watch>((ready) => server.listen(path, () => ready(watch)));
}
