import { describe, expect, it } from 'vitest';
import { parseSiloClinics, storageRouting } from '../../../functions/runtime/storage-routing';

const SILO_ID = '0b6c1f2e-4a5d-4c3b-9e8f-7a6b5c4d3e2f';
const POOLED_ID = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const POOL = { tableName: 'pool-table', buckets: { documents: 'pool-documents', auditAnchors: 'anchors' } };
const SILO = { tenantId: SILO_ID, slug: 'halsan-nord', tableName: 'silo-table', documentsBucket: 'silo-documents' };

describe('routing each clinic to its storage', () => {
  it("sends a silo clinic's table and documents to its silo, its anchors to the shared anchor bucket", () => {
    const storageFor = storageRouting(POOL, [SILO]);
    expect(storageFor(SILO_ID)).toEqual({
      tableName: 'silo-table',
      buckets: { documents: 'silo-documents', auditAnchors: 'anchors' },
    });
  });

  it('sends every other clinic to the pool', () => {
    expect(storageRouting(POOL, [SILO])(POOLED_ID)).toEqual(POOL);
    expect(storageRouting(POOL, [])(SILO_ID)).toEqual(POOL);
  });
});

describe('reading SILO_CLINICS', () => {
  it('reads the list the API stack writes', () => {
    expect(parseSiloClinics(JSON.stringify([SILO]))).toEqual([SILO]);
    expect(parseSiloClinics('[]')).toEqual([]);
  });

  it.each([
    [undefined, /SILO_CLINICS is not set/u],
    ['  ', /SILO_CLINICS is not set/u],
    ['not json', /not JSON/u],
    ['{"tenantId":"x"}', /must be a JSON list/u],
    [JSON.stringify([{ ...SILO, tenantId: 'X' }]), /SILO_CLINICS\[0\]\.tenantId must be a clinic id/u],
    [JSON.stringify([{ ...SILO, tenantId: SILO_ID.toUpperCase() }]), /SILO_CLINICS\[0\]\.tenantId/u],
    [JSON.stringify([SILO, { ...SILO, slug: 'other' }]), /names clinic .* twice/u],
    [JSON.stringify([{ ...SILO, slug: '' }]), /SILO_CLINICS\[0\]\.slug must be a non-empty string/u],
    [JSON.stringify([{ ...SILO, tableName: 7 }]), /SILO_CLINICS\[0\]\.tableName/u],
    [JSON.stringify([null]), /SILO_CLINICS\[0\]\.tenantId/u],
    [JSON.stringify([{ ...SILO, documentsBucket: undefined }]), /SILO_CLINICS\[0\]\.documentsBucket/u],
  ])('refuses %j, naming what is wrong', (value, problem) => {
    expect(() => parseSiloClinics(value)).toThrow(problem);
  });
});
