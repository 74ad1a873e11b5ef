// The decode stage of an import: the first bytes of the file decide the encoding (given, or
// sniffed: a BOM, valid UTF-8, else Windows-1252); then each chunk of bytes becomes text. Bytes
// that are not valid in the encoding stop the decoding and are reported with their offset.
import { TextDecoder } from 'node:util';
import type { Rejection } from './formats.ts';
import { type Encoding, sniffEncoding } from './sniff.ts';

/** Bytes read before the encoding and the delimiter are decided. */
export const HEAD_BYTES = 64 * 1024;

type Chunks = AsyncIterator<Buffer | string>;

const asBuffer = (chunk: Buffer | string) =>
  typeof chunk === 'string' ? Buffer.from(chunk) : chunk;

export class TextDecoding {
  /** Bytes read so far. */
  bytes = 0;
  /** Offset of the first byte that is not valid in the encoding, once met. */
  failedAt: number | undefined;
  private readonly decoder: TextDecoder;

  private constructor(
    private readonly chunks: Chunks,
    readonly encoding: Encoding,
    readonly guessed: boolean,
    /** The stream ended within the head. */
    private ended: boolean,
  ) {
    // TextDecoder drops a UTF-8/UTF-16 byte-order mark itself (ignoreBOM: false).
    this.decoder = new TextDecoder(encoding, { fatal: encoding !== 'windows-1252' });
  }

  /** Reads the head of `chunks`; `head` is its text, or undefined when it is not decodable. */
  static async open(
    chunks: Chunks,
    forced: Encoding | undefined,
  ): Promise<{ decoding: TextDecoding; head: string | undefined }> {
    const head: Buffer[] = [];
    let headBytes = 0;
    let ended = false;
    while (headBytes < HEAD_BYTES) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        break;
      }
      const buf = asBuffer(next.value);
      head.push(buf);
      headBytes += buf.length;
    }
    const headBuf = Buffer.concat(head);
    const guess = forced ? { encoding: forced, guessed: false } : sniffEncoding(headBuf);
    const decoding = new TextDecoding(chunks, guess.encoding, guess.guessed, ended);
    const text = decoding.decode(headBuf, !ended);
    decoding.bytes = headBytes;
    return { decoding, head: text };
  }

  /** The next chunk's text; undefined at the end of the stream or at bytes not decodable. */
  async next(): Promise<string | undefined> {
    if (this.ended || this.failedAt !== undefined) return undefined;
    const next = await this.chunks.next();
    if (next.done) {
      this.ended = true;
      return undefined;
    }
    const buf = asBuffer(next.value);
    const text = this.decode(buf, true);
    this.bytes += buf.length;
    return text;
  }

  /** What the decoder still holds at the end of the stream (undefined if it is not decodable). */
  rest(): string | undefined {
    return this.decode(Buffer.alloc(0), false);
  }

  /** The rejection for bytes not valid in the encoding, at `line`. */
  notDecodable(line: number): Rejection {
    return {
      line,
      reason: `the file is not valid ${this.encoding.toUpperCase()} (from byte ${(this.failedAt ?? 0).toLocaleString('en-US')} on): save it as "CSV UTF-8", or pass --encoding windows-1252`,
    };
  }

  private decode(buf: Buffer, stream: boolean): string | undefined {
    try {
      return this.decoder.decode(buf, { stream });
    } catch {
      this.failedAt = this.bytes;
      return undefined;
    }
  }
}
