import { randomUUID } from 'node:crypto';
import type { Clock, IdGenerator } from '../../domain/ports';

export const systemClock: Clock = { now: () => new Date() };

/** UUID v4: 122 random bits, fixed length (so no id is a prefix of another). */
export const randomIds: IdGenerator = { newId: () => randomUUID() };
