import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MailRefusedError, type OutgoingMail } from '../../domain/mail';
import type { Clock, IdGenerator, Mailer } from '../../domain/ports';

/** One mail as the sink keeps it: the message and when it was "sent". */
export interface SunkMail extends OutgoingMail {
  readonly id: string;
  readonly sentAt: string;
}

export interface FileMailSink extends Mailer {
  /** Every mail in the sink, newest first. */
  list(): Promise<readonly SunkMail[]>;
  /** One mail by its id; undefined if the sink has none by that id. */
  get(id: string): Promise<SunkMail | undefined>;
}

/**
 * The local stand-in for SES: each mail becomes one JSON file in `directory` (under the data folder of `npm start`),
 * so invitations and resets can be followed by hand on the dev mail page, and tests read what was "sent". A file
 * is written under a temporary name and renamed, so a reader never sees half a mail.
 */
export function fileMailSink(options: {
  readonly directory: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}): FileMailSink {
  const { directory, clock, ids } = options;
  // Orders the mails of one millisecond by when they were sent, which their random ids would not.
  let sequence = 0;

  async function mailFileNames(): Promise<string[]> {
    const names = await readdir(directory).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    return names.filter((name) => name.endsWith('.json'));
  }

  const read = async (name: string) => JSON.parse(await readFile(join(directory, name), 'utf8')) as SunkMail;

  return {
    async send(mail) {
      const sentAt = clock.now().toISOString();
      const id = ids.newId();
      sequence += 1;
      const stored: SunkMail = { ...mail, id, sentAt };
      // The time and the sequence first, so that the names sort by age.
      const name = `${sentAt.replaceAll(':', '-')}_${String(sequence).padStart(9, '0')}_${id}.json`;
      const temporary = join(directory, `.${name}.tmp`);
      try {
        await mkdir(directory, { recursive: true });
        await writeFile(temporary, JSON.stringify(stored, null, 2), { mode: 0o600 });
        await rename(temporary, join(directory, name));
      } catch (error) {
        // Until the rename the mail is not in the sink: nothing was "sent", as when SES refuses one.
        throw new MailRefusedError('The mail sink could not store the mail.', { cause: error });
      }
    },
    async list() {
      const names = (await mailFileNames()).sort().reverse();
      return Promise.all(names.map(read));
    },
    async get(id) {
      // Matched against the names in the folder, never joined into a path: an id cannot reach another file.
      const name = (await mailFileNames()).find((candidate) => candidate.endsWith(`_${id}.json`));
      return name === undefined ? undefined : read(name);
    },
  };
}
