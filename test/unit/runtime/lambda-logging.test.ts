import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaLogger, withInvocationLogging } from '../../../functions/runtime/lambda-logging';

afterEach(() => {
  vi.restoreAllMocks();
});

/** What the function's logger wrote to stdout, as parsed lines. */
function stdoutLines() {
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return () => write.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
}

describe('Lambda invocation logging', () => {
  it("stamps every line of an invocation with the service and Lambda's request id, and only the first as a cold start", async () => {
    // Arrange
    const lines = stdoutLines();
    const log = lambdaLogger('render-worker');
    const handler = withInvocationLogging(async (job: string, _context: { awsRequestId: string }) => {
      log.info('Render job done', { job });
      return job.length;
    });

    // Act
    log.info('at import');
    const results = [await handler('first', { awsRequestId: 'r-1' }), await handler('second', { awsRequestId: 'r-2' })];
    log.info('between invocations');

    // Assert
    expect(results).toEqual([5, 6]);
    expect(lines()).toEqual([
      expect.not.objectContaining({ requestId: expect.anything() }),
      expect.objectContaining({ service: 'render-worker', job: 'first', requestId: 'r-1', coldStart: true }),
      expect.objectContaining({ service: 'render-worker', job: 'second', requestId: 'r-2' }),
      expect.not.objectContaining({ requestId: expect.anything() }),
    ]);
    expect(lines()[2]).not.toHaveProperty('coldStart');
  });

  it('clears the request id when the handler fails, and passes the failure on', async () => {
    // Arrange
    const lines = stdoutLines();
    const log = lambdaLogger('api');
    const handler = withInvocationLogging(async (_event: unknown, _context: { awsRequestId: string }) => {
      throw new Error('S3 hiccup');
    });

    // Act
    const failure = await handler({}, { awsRequestId: 'r-9' }).catch((error: unknown) => error);
    log.info('afterwards');

    // Assert
    expect(failure).toEqual(new Error('S3 hiccup'));
    expect(lines().at(-1)).not.toHaveProperty('requestId');
  });
});
