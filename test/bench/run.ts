/**
 * `npm run bench`: every benchmark, one after another. Benchmarks print figures for humans to compare; nothing
 * here asserts on time.
 */
import { runBundleSizeBench } from './bundle-size';
import { runDocumentListBench } from './document-list-bench';
import { runDownloadBench } from './download-bench';
import { runFrontendBench } from './frontend-bench';
import { runIngestBench } from './ingest-bench';
import { runNotificationBench } from './notification-bench';
import { runRenderBench } from './render-bench';

await runBundleSizeBench();
runRenderBench();
await runIngestBench();
await runDocumentListBench();
await runDownloadBench();
await runNotificationBench();
await runFrontendBench();
